//! Finished background jobs (scan/query with ops or a UDF), for `query-show`, `scan-show` and
//! the legacy `jobs:` command. Jobs run to completion before the server answers the request,
//! so every job listed is done; the table keeps the most recent ones.

use std::collections::VecDeque;
use std::sync::Mutex;

/// How many finished jobs are remembered.
const KEEP: usize = 256;

/// One finished job.
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub trid: u64,
    pub ns: String,
    pub set: String,
    pub sindex: String,
    pub n_pids: usize,
    pub succeeded: u64,
    pub failed: u64,
    pub filtered: u64,
    pub run_ms: u64,
}

impl Job {
    fn describe(&self) -> String {
        let mut s = format!("trid={}:ns={}", self.trid, self.ns);
        if !self.set.is_empty() {
            s += &format!(":set={}", self.set);
        }
        if !self.sindex.is_empty() {
            s += &format!(":sindex-name={}", self.sindex);
        }
        s + &format!(
            ":n-pids-requested={}:rps=0:active-threads=0:status=done(ok):job-progress=100.00:run-time={}:time-since-done=0:recs-throttled=0:recs-filtered-meta=0:recs-filtered-bins={}:recs-succeeded={}:recs-failed={}",
            self.n_pids, self.run_ms, self.filtered, self.succeeded, self.failed
        )
    }
}

/// The finished-jobs table.
#[derive(Default)]
pub struct Jobs {
    done: Mutex<VecDeque<Job>>,
}

impl Jobs {
    /// Records a finished job.
    pub fn record(&self, job: Job) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        done.retain(|j| j.trid != job.trid);
        if done.len() == KEEP {
            done.pop_front();
        }
        done.push_back(job);
    }

    /// `query-show[:trid=N]`, `scan-show[:trid=N]`, `jobs:module=…;cmd=get-job;trid=N` (also
    /// `id=`). Without an id, every job; an unknown id is `ERROR:2:job not found`.
    pub fn show(&self, rest: &str) -> String {
        let id = rest
            .split(';')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("trid") || k.eq_ignore_ascii_case("id"))
            .map(|(_, v)| v);
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        match id {
            None => done.iter().map(Job::describe).collect::<Vec<_>>().join(";"),
            Some(v) => match v
                .parse::<u64>()
                .ok()
                .and_then(|t| done.iter().find(|j| j.trid == t))
            {
                Some(j) => j.describe(),
                None => "ERROR:2:job not found".into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_finished_jobs() {
        let jobs = Jobs::default();
        jobs.record(Job {
            trid: 7,
            ns: "test".into(),
            succeeded: 3,
            ..Default::default()
        });
        let s = jobs.show("trid=7");
        assert!(s.starts_with("trid=7:ns=test:"), "{s}");
        assert!(s.contains(":status=done(ok):") && s.contains(":recs-succeeded=3:"));
        assert_eq!(jobs.show("trid=8"), "ERROR:2:job not found");
        assert_eq!(jobs.show("module=query;cmd=get-job;trid=7"), s);
        assert_eq!(jobs.show(""), s);
    }
}

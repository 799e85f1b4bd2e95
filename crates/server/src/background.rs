//! Background scans and queries: the write ops of the request applied to every record the scan
//! (or index filter) selects, each through the single-record write path (so generation, TTL,
//! filter expression and index maintenance behave as for a single write). The job runs to
//! completion before the LAST message answers the request; `query-show` then reports it done.
//!
//! Background UDF jobs apply the record UDF to every selected record (see [`crate::udf`]).

use std::time::Instant;

use crate::command::{Call, Command};
use crate::expr::Expr;
use crate::jobs::Job;
use crate::msg::*;
use crate::ops;
use crate::query::plan::Plan;
use crate::query::{parts, select};
use crate::record::Digest;
use crate::result as rc;
use crate::store::Namespace;
use crate::stream::last_only;
use crate::{single, udf, State};

/// Runs a background job (the request's write ops, or `call` when it names a UDF) and answers
/// with the LAST message.
pub fn handle(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    plan: Option<&Plan>,
    call: Option<&Call<'_>>,
) -> Vec<u8> {
    let started = Instant::now();
    let mut job = Job {
        trid: m
            .field(FIELD_TRID)
            .and_then(|t| <[u8; 8]>::try_from(t).ok())
            .map_or(0, u64::from_be_bytes),
        ns: ns.name.clone(),
        set: String::from_utf8_lossy(m.field(FIELD_SET).unwrap_or(&[])).into_owned(),
        sindex: plan.map_or(String::new(), |p| p.index.def.name.clone()),
        ..Default::default()
    };
    let res = match call {
        None => run_ops(state, ns, m, plan, &mut job),
        Some(call) => run_udf(state, ns, m, call, plan, &mut job),
    };
    if let Err(code) = res {
        return last_only(code);
    }
    job.run_ms = started.elapsed().as_millis() as u64;
    state.jobs.record(job);
    last_only(rc::OK)
}

/// The records the job runs on, with their sets; counts the requested partitions.
fn targets(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    plan: Option<&Plan>,
    job: &mut Job,
) -> Result<Vec<(Digest, std::sync::Arc<str>)>, u8> {
    let parts = parts::requested(m, plan.is_some())?;
    job.n_pids = parts.len();
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    Ok(select(state, ns, &parts, plan, set))
}

/// The single-record write a job runs on one selected record (no ops, no filter, no UDF: the
/// caller adds its own).
fn command<'a>(m: &Message<'_>, ns: &'a Namespace, digest: Digest, set: &'a str) -> Command<'a> {
    Command {
        info1: 0,
        info2: INFO2_WRITE,
        info3: 0,
        generation: 0,
        ttl: m.header.ttl,
        namespace: ns.name.as_bytes(),
        set: Some(set.as_bytes()),
        key: None,
        digest,
        filter: None,
        udf: None,
        mrt: false,
        ops: &[],
    }
}

/// Counts one record's result.
fn tally(job: &mut Job, result: u8) {
    match result {
        rc::OK => job.succeeded += 1,
        rc::FILTERED_OUT => job.filtered += 1,
        // Deleted since it was selected.
        rc::KEY_NOT_FOUND => {}
        _ => job.failed += 1,
    }
}

/// A background UDF: the record UDF applied to every selected record that still exists.
fn run_udf(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    call: &Call<'_>,
    plan: Option<&Plan>,
    job: &mut Job,
) -> Result<(), u8> {
    let filter = m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose()?;
    for (digest, rec_set) in &targets(state, ns, m, plan, job)? {
        let cmd = Command {
            udf: Some(*call),
            ..command(m, ns, *digest, rec_set)
        };
        let origin = udf::Origin::Background;
        tally(
            job,
            udf::apply(state, ns, &cmd, call, filter.as_ref(), origin).result,
        );
    }
    Ok(())
}

fn run_ops(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    plan: Option<&Plan>,
    job: &mut Job,
) -> Result<(), u8> {
    if m.ops.is_empty() || m.ops.iter().any(|o| ops::is_read(o.code)) {
        return Err(rc::PARAMETER);
    }
    let filter = m.field(FIELD_FILTER_EXP);
    if let Some(f) = filter {
        Expr::filter(f)?;
    }
    let keep3 = INFO3_CREATE_OR_REPLACE | INFO3_REPLACE_ONLY;
    for (digest, rec_set) in &targets(state, ns, m, plan, job)? {
        let cmd = Command {
            info2: INFO2_WRITE | (m.header.info2 & INFO2_RESPOND_ALL_OPS),
            info3: INFO3_UPDATE_ONLY | (m.header.info3 & keep3),
            filter,
            ops: &m.ops,
            ..command(m, ns, *digest, rec_set)
        };
        tally(job, single::execute(state, &cmd).result);
    }
    Ok(())
}

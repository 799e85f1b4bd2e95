//! Foreground partition scans: messages without a DIGEST field, an index filter or write ops.
//!
//! Matching records are streamed in descending digest order within each partition, resuming
//! after a digest when asked, and the stream ends with a LAST message.

use std::collections::VecDeque;

use crate::expr::{self, Expr};
use crate::msg::*;
use crate::record::{partition_of, Digest, PARTITIONS};
use crate::result as rc;
use crate::store::Namespace;
use crate::stream::{last_only, max_records, Projection, Run};
use crate::State;

/// How many records ahead of the one being sent a scan prefetches.
const AHEAD: usize = 8;

/// Runs a scan message: its reply streams one partition at a time (see [`Run`]).
pub fn handle<'a>(
    state: &'a State,
    ns: &'a Namespace,
    m: &Message<'a>,
) -> Result<Run<'a>, Vec<u8>> {
    let pids = m.field(FIELD_PID_ARRAY);
    let digests = m.field(FIELD_DIGEST_ARRAY);
    if pids.is_none() && digests.is_none() {
        return Err(last_only(rc::UNSUPPORTED_FEATURE));
    }
    // Partitions to walk, each with an optional "resume below this digest" point.
    let mut work: Vec<(usize, Option<Digest>)> = Vec::new();
    let mut seen = vec![false; PARTITIONS];
    for c in pids.unwrap_or(&[]).chunks_exact(2) {
        let pid = u16::from_le_bytes([c[0], c[1]]) as usize;
        if pid < PARTITIONS && !std::mem::replace(&mut seen[pid], true) {
            work.push((pid, None));
        }
    }
    for c in digests.unwrap_or(&[]).chunks_exact(20) {
        let mut d = [0u8; 20];
        d.copy_from_slice(c);
        let pid = partition_of(&d);
        if !std::mem::replace(&mut seen[pid], true) {
            work.push((pid, Some(d)));
        }
    }
    let max = max_records(m);
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let projection = Projection::of(m);
    let filter = match m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose() {
        Ok(f) => f,
        Err(code) => return Err(last_only(code)),
    };
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();

    let mut sent = 0u64;
    let mut work = work.into_iter();
    Ok(Run::new(move |stream| {
        let Some((pid, resume)) = work.next() else {
            return false;
        };
        let part = ns.read(pid);
        part.walk_down(set, resume, |records| {
            // The records a few places ahead are fetched into cache while this one is encoded.
            let mut window = VecDeque::with_capacity(AHEAD);
            loop {
                while window.len() < AHEAD {
                    let Some((d, r)) = records.next() else { break };
                    r.prefetch();
                    window.push_back((d, r));
                }
                let Some((digest, rec)) = window.pop_front() else {
                    return;
                };
                if sent >= max {
                    return;
                }
                if rec.expired(now)
                    || set.is_some_and(|s| s != rec.set.as_bytes())
                    || !expr::passes(filter.as_ref(), rec, digest, now_ns)
                {
                    continue;
                }
                if stream.record(&ns.name, digest, rec, &projection, None) {
                    sent += 1;
                }
            }
        });
        sent < max
    }))
}

//! Background scans and queries: the write ops of the request applied to every record the scan
//! (or index filter) selects, each through the single-record write path (so generation, TTL,
//! filter expression and index maintenance behave as for a single write). The job runs to
//! completion before the LAST message answers the request; `query-show` then reports it done.
//!
//! Background UDF jobs apply the record UDF to every selected record (see [`crate::udf`]);
//! aggregation queries (stream UDFs) are foreground queries answered by [`crate::udf::stream`].

use std::time::Instant;

use crate::command::Command;
use crate::expr::Expr;
use crate::jobs::Job;
use crate::msg::*;
use crate::ops;
use crate::record::Digest;
use crate::result as rc;
use crate::sindex::parts::{self, Part};
use crate::sindex::plan::Plan;
use crate::store::Namespace;
use crate::{batch, single, State};

/// Answers a background (or UDF) scan/query message.
pub fn handle(state: &State, ns: &Namespace, m: &Message<'_>) -> Vec<u8> {
    let started = Instant::now();
    let plan = match Plan::of(ns, m) {
        Ok(p) => p,
        Err(code) => return batch::last_only(code),
    };
    if m.field(FIELD_UDF_OP) == Some(&[UDF_OP_AGGREGATE]) {
        if let Some(call) = crate::command::Call::from_fields(|k| m.field(k)) {
            return crate::udf::stream::handle(state, ns, m, &call, plan.as_ref());
        }
    }
    let mut job = Job {
        trid: m
            .field(FIELD_TRID)
            .and_then(|t| <[u8; 8]>::try_from(t).ok())
            .map_or(0, u64::from_be_bytes),
        ns: ns.name.clone(),
        set: String::from_utf8_lossy(m.field(FIELD_SET).unwrap_or(&[])).into_owned(),
        sindex: plan
            .as_ref()
            .map_or(String::new(), |p| p.index.def.name.clone()),
        ..Default::default()
    };
    let res = match crate::command::Call::from_fields(|k| m.field(k)) {
        None => run_ops(state, ns, m, plan.as_ref(), &mut job),
        Some(call) => run_udf(state, ns, m, &call, plan.as_ref(), &mut job),
    };
    if let Err(code) = res {
        return batch::last_only(code);
    }
    job.run_ms = started.elapsed().as_millis() as u64;
    state.jobs.record(job);
    batch::last_only(rc::OK)
}

/// The records a job touches: digest and set of each live record selected.
pub(crate) fn select(
    state: &State,
    ns: &Namespace,
    parts: &[Part],
    plan: Option<&Plan>,
    set: Option<&[u8]>,
) -> Vec<(Digest, Box<str>)> {
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();
    let mut out = Vec::new();
    let wanted = |set_of: &str| set.is_none_or(|s| s == set_of.as_bytes());
    for part in parts {
        match plan {
            Some(p) => p.visit(ns, *part, now, now_ns, |_, d, r| {
                if wanted(&r.set) {
                    out.push((*d, r.set.clone()));
                }
                true
            }),
            None => {
                let records = ns.read(part.pid);
                let iter: Box<dyn Iterator<Item = _>> = match part.resume {
                    Some(r) => Box::new(records.range(..r.digest).rev()),
                    None => Box::new(records.iter().rev()),
                };
                for (d, r) in iter {
                    if !r.expired(now) && wanted(&r.set) {
                        out.push((*d, r.set.clone()));
                    }
                }
            }
        }
    }
    out
}

/// UDF_OP value of an aggregation query.
const UDF_OP_AGGREGATE: u8 = 1;

/// A background UDF: the record UDF applied to every selected record that still exists.
fn run_udf(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    call: &crate::command::Call<'_>,
    plan: Option<&Plan>,
    job: &mut Job,
) -> Result<(), u8> {
    let filter = m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose()?;
    let parts = parts::requested(m, plan.is_some())?;
    job.n_pids = parts.len();
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    for (digest, rec_set) in &select(state, ns, &parts, plan, set) {
        let cmd = Command {
            info1: 0,
            info2: INFO2_WRITE,
            info3: 0,
            generation: 0,
            ttl: m.header.ttl,
            namespace: ns.name.as_bytes(),
            set: Some(rec_set.as_bytes()),
            key: None,
            digest: *digest,
            filter: None,
            udf: Some(*call),
            mrt: false,
            ops: &[],
        };
        let origin = crate::udf::Origin::Background;
        match crate::udf::apply(state, ns, &cmd, call, filter.as_ref(), origin).result {
            rc::OK => job.succeeded += 1,
            rc::FILTERED_OUT => job.filtered += 1,
            rc::KEY_NOT_FOUND => {}
            _ => job.failed += 1,
        }
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
    let parts = parts::requested(m, plan.is_some())?;
    job.n_pids = parts.len();
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let targets = select(state, ns, &parts, plan, set);
    let keep3 = INFO3_CREATE_OR_REPLACE | INFO3_REPLACE_ONLY;
    for (digest, rec_set) in &targets {
        let cmd = Command {
            info1: 0,
            info2: INFO2_WRITE | (m.header.info2 & INFO2_RESPOND_ALL_OPS),
            info3: INFO3_UPDATE_ONLY | (m.header.info3 & keep3),
            generation: 0,
            ttl: m.header.ttl,
            namespace: ns.name.as_bytes(),
            set: Some(rec_set.as_bytes()),
            key: None,
            digest: *digest,
            filter,
            udf: None,
            mrt: false,
            ops: &m.ops,
        };
        match single::execute(state, &cmd).result {
            rc::OK => job.succeeded += 1,
            rc::FILTERED_OUT => job.filtered += 1,
            // Deleted since it was selected.
            rc::KEY_NOT_FOUND => {}
            _ => job.failed += 1,
        }
    }
    Ok(())
}

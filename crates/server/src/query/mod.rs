//! Index queries and the records a scan or query selects.
//!
//! [`plan`] resolves a message's index filter to an index, [`parts`] the partitions (and resume
//! points) it asks for. A foreground index query ([`handle`]) streams the records the filter
//! selects like a scan's, each with the index value it was found under (BVAL); background jobs
//! and aggregations take the selected records from [`select`].

pub mod parts;
pub mod plan;

use crate::expr::{self, Expr};
use crate::msg::*;
use crate::record::Digest;
use crate::store::Namespace;
use crate::stream::{last_only, max_records, Projection, Run};
use crate::State;
use parts::Part;
use plan::Plan;

/// Runs a foreground index query: its reply streams one partition at a time (see [`Run`]).
pub fn handle<'a>(
    state: &'a State,
    ns: &'a Namespace,
    m: &Message<'a>,
    plan: Plan,
) -> Result<Run<'a>, Vec<u8>> {
    let parts = match parts::requested(m, true) {
        Ok(p) => p,
        Err(code) => return Err(last_only(code)),
    };
    let filter = match m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose() {
        Ok(f) => f,
        Err(code) => return Err(last_only(code)),
    };
    let max = max_records(m);
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let projection = Projection::of(m);
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();

    let mut sent = 0u64;
    let mut parts = parts.into_iter();
    Ok(Run::new(move |stream| {
        let Some(part) = parts.next() else {
            return false;
        };
        plan.visit(ns, part, now, now_ns, |bval, digest, rec| {
            if set.is_some_and(|s| s != rec.set.as_bytes())
                || !expr::passes(filter.as_ref(), rec, digest, now_ns)
            {
                return true;
            }
            if stream.record(&ns.name, digest, rec, &projection, Some(bval)) {
                sent += 1;
            }
            sent < max
        });
        sent < max
    }))
}

/// The records a job or aggregation touches: digest and set of each live record selected.
pub fn select(
    state: &State,
    ns: &Namespace,
    parts: &[Part],
    plan: Option<&Plan>,
    set: Option<&[u8]>,
) -> Vec<(Digest, std::sync::Arc<str>)> {
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
                records.walk_down(set, part.resume.map(|r| r.digest), |it| {
                    for (d, r) in it {
                        if !r.expired(now) && wanted(&r.set) {
                            out.push((*d, r.set.clone()));
                        }
                    }
                });
            }
        }
    }
    out
}

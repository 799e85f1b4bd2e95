//! Scans and queries: messages without a DIGEST field.
//!
//! Foreground partition scans stream matching records (descending digest order within each
//! partition, resuming after a digest when asked) and end with a LAST message. Messages with an
//! index filter go to [`crate::sindex::query`], background jobs to [`crate::background`].

use std::collections::BTreeSet;

use crate::command::OutBin;
use crate::expr::Expr;
use crate::frame;
use crate::msg::*;
use crate::ops;
use crate::record::{partition_of, Digest, PARTITIONS};
use crate::result as rc;
use crate::{batch, State};

const PROTO_CHUNK: usize = 128 * 1024;

/// Runs a scan/query message and returns the whole response stream.
pub fn handle(state: &State, m: &Message<'_>) -> Vec<u8> {
    let Some(ns) = m
        .field(FIELD_NAMESPACE)
        .and_then(|n| state.store.namespace(n))
    else {
        return batch::last_only(rc::NAMESPACE);
    };
    if m.field(FIELD_UDF_FILENAME).is_some() || m.header.info2 & INFO2_WRITE != 0 {
        return crate::background::handle(state, ns, m);
    }
    match crate::sindex::plan::Plan::of(ns, m) {
        Ok(Some(plan)) => return crate::sindex::query::handle(state, ns, m, &plan),
        Ok(None) => {}
        Err(code) => return batch::last_only(code),
    }
    let pids = m.field(FIELD_PID_ARRAY);
    let digests = m.field(FIELD_DIGEST_ARRAY);
    if pids.is_none() && digests.is_none() {
        return batch::last_only(rc::UNSUPPORTED_FEATURE);
    }
    // Partitions to walk, each with an optional "resume below this digest" point.
    let mut work: Vec<(usize, Option<Digest>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for c in pids.unwrap_or(&[]).chunks_exact(2) {
        let pid = u16::from_le_bytes([c[0], c[1]]) as usize;
        if pid < PARTITIONS && seen.insert(pid) {
            work.push((pid, None));
        }
    }
    for c in digests.unwrap_or(&[]).chunks_exact(20) {
        let mut d = [0u8; 20];
        d.copy_from_slice(c);
        let pid = partition_of(&d);
        if seen.insert(pid) {
            work.push((pid, Some(d)));
        }
    }
    let max = m
        .field(FIELD_MAX_RECORDS)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes)
        .filter(|&n| n > 0)
        .unwrap_or(u64::MAX);
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let no_bins = m.header.info1 & INFO1_GET_NO_BINS != 0;
    let projection: Vec<&[u8]> = m
        .ops
        .iter()
        .filter(|o| o.code == ops::READ && !o.name.is_empty())
        .map(|o| o.name)
        .collect();
    let filter = match m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose() {
        Ok(f) => f,
        Err(code) => return batch::last_only(code),
    };
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();

    let mut out = Vec::new();
    let mut w = MsgWriter::default();
    let mut sent = 0u64;
    'parts: for (pid, resume) in work {
        let part = ns.read(pid);
        let iter: Box<dyn Iterator<Item = (&Digest, &crate::record::Record)>> = match resume {
            Some(d) => Box::new(part.range(..d).rev()),
            None => Box::new(part.iter().rev()),
        };
        for (digest, rec) in iter {
            if sent >= max {
                break 'parts;
            }
            if rec.expired(now)
                || set.is_some_and(|s| s != rec.set.as_bytes())
                || !crate::expr::passes(filter.as_ref(), rec, digest, now_ns)
            {
                continue;
            }
            let bins: Vec<OutBin> = if no_bins {
                vec![]
            } else if projection.is_empty() {
                rec.bins
                    .iter()
                    .map(|(n, v)| OutBin {
                        code: ops::READ,
                        name: n.as_bytes().to_vec(),
                        value: Some(v.clone()),
                    })
                    .collect()
            } else {
                let b: Vec<OutBin> = projection
                    .iter()
                    .filter_map(|p| {
                        rec.bin(p).map(|v| OutBin {
                            code: ops::READ,
                            name: p.to_vec(),
                            value: Some(v.clone()),
                        })
                    })
                    .collect();
                if b.is_empty() {
                    continue;
                }
                b
            };
            let mut n_fields = 2;
            if !rec.set.is_empty() {
                n_fields += 1;
            }
            if rec.key.is_some() {
                n_fields += 1;
            }
            w.header(&Header {
                info1: if bins.is_empty() {
                    INFO1_GET_NO_BINS
                } else {
                    0
                },
                generation: rec.generation as u32,
                ttl: rec.void_time,
                n_fields,
                n_ops: bins.len().min(u16::MAX as usize) as u16,
                ..Default::default()
            });
            w.field(FIELD_NAMESPACE, ns.name.as_bytes());
            w.field(FIELD_DIGEST, digest);
            if !rec.set.is_empty() {
                w.field(FIELD_SET, rec.set.as_bytes());
            }
            if let Some(k) = &rec.key {
                w.field_parts(FIELD_KEY, &[&[k.particle], &k.data]);
            }
            for b in bins.iter().take(u16::MAX as usize) {
                if let Some(v) = &b.value {
                    w.op(b.code, v.particle, &b.name, &v.data);
                }
            }
            sent += 1;
            if w.buf.len() >= PROTO_CHUNK {
                out.extend_from_slice(&frame::header(frame::TYPE_MSG, w.buf.len()));
                out.append(&mut w.buf);
            }
        }
    }
    w.header(&Header {
        info3: INFO3_LAST,
        ..Default::default()
    });
    out.extend_from_slice(&frame::header(frame::TYPE_MSG, w.buf.len()));
    out.append(&mut w.buf);
    out
}

//! Foreground secondary-index queries: the records an index filter selects, streamed like a
//! scan's (one AS_MSG per record, packed into protos of about 128 KiB, a LAST message at the
//! end), each carrying the index value it was found under (BVAL) so the client can resume a
//! page after it.

use super::parts::{self, FIELD_BVAL_ARRAY};
use super::plan::Plan;
use crate::expr::Expr;
use crate::frame;
use crate::msg::*;
use crate::ops;
use crate::record::Digest;
use crate::record::Record;
use crate::store::Namespace;
use crate::{batch, State};

const PROTO_CHUNK: usize = 128 * 1024;

/// Which bins each record of the stream carries.
pub struct Projection<'a> {
    /// Metadata only (info1 GET_NO_BINS).
    pub no_bins: bool,
    /// Bins to return (READ ops with names); empty for all.
    pub bins: Vec<&'a [u8]>,
}

impl<'a> Projection<'a> {
    pub fn of(m: &Message<'a>) -> Projection<'a> {
        Projection {
            no_bins: m.header.info1 & INFO1_GET_NO_BINS != 0,
            bins: m
                .ops
                .iter()
                .filter(|o| o.code == ops::READ && !o.name.is_empty())
                .map(|o| o.name)
                .collect(),
        }
    }

    /// Appends one record message; returns false (and appends nothing) when a projection
    /// finds none of its bins in the record.
    pub fn write(
        &self,
        w: &mut MsgWriter,
        ns: &str,
        digest: &Digest,
        rec: &Record,
        bval: Option<i64>,
    ) -> bool {
        let bins: Vec<(&[u8], &crate::record::Value)> = if self.no_bins {
            vec![]
        } else if self.bins.is_empty() {
            rec.bins.iter().map(|(n, v)| (n.as_bytes(), v)).collect()
        } else {
            let b: Vec<_> = self
                .bins
                .iter()
                .filter_map(|p| rec.bin(p).map(|v| (*p, v)))
                .collect();
            if b.is_empty() {
                return false;
            }
            b
        };
        let n_fields = 2 + u16::from(!rec.set.is_empty()) + u16::from(rec.key.is_some());
        let n_ops = bins.len().min(u16::MAX as usize);
        w.header(&Header {
            info1: if bins.is_empty() {
                INFO1_GET_NO_BINS
            } else {
                0
            },
            generation: rec.generation as u32,
            ttl: rec.void_time,
            n_fields: n_fields + u16::from(bval.is_some()),
            n_ops: n_ops as u16,
            ..Default::default()
        });
        w.field(FIELD_NAMESPACE, ns.as_bytes());
        w.field(FIELD_DIGEST, digest);
        if !rec.set.is_empty() {
            w.field(FIELD_SET, rec.set.as_bytes());
        }
        if let Some(k) = &rec.key {
            w.field_parts(FIELD_KEY, &[&[k.particle], &k.data]);
        }
        if let Some(b) = bval {
            w.field(FIELD_BVAL_ARRAY, &b.to_le_bytes());
        }
        for (name, v) in bins.into_iter().take(n_ops) {
            w.op(ops::READ, v.particle, name, &v.data);
        }
        true
    }
}

/// MAX_RECORDS: records to send at most (0 or absent: no limit).
pub fn max_records(m: &Message<'_>) -> u64 {
    m.field(FIELD_MAX_RECORDS)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes)
        .filter(|&n| n > 0)
        .unwrap_or(u64::MAX)
}

/// Runs a foreground index query and returns the whole response stream.
pub fn handle(state: &State, ns: &Namespace, m: &Message<'_>, plan: &Plan) -> Vec<u8> {
    let parts = match parts::requested(m, true) {
        Ok(p) => p,
        Err(code) => return batch::last_only(code),
    };
    let filter = match m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose() {
        Ok(f) => f,
        Err(code) => return batch::last_only(code),
    };
    let max = max_records(m);
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let projection = Projection::of(m);
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();

    let mut out = Vec::new();
    let mut w = MsgWriter::default();
    let mut sent = 0u64;
    for part in parts {
        if sent >= max {
            break;
        }
        plan.visit(ns, part, now, now_ns, |bval, digest, rec| {
            if set.is_some_and(|s| s != rec.set.as_bytes())
                || !crate::expr::passes(filter.as_ref(), rec, digest, now_ns)
            {
                return true;
            }
            if projection.write(&mut w, &ns.name, digest, rec, Some(bval)) {
                sent += 1;
            }
            if w.buf.len() >= PROTO_CHUNK {
                out.extend_from_slice(&frame::header(frame::TYPE_MSG, w.buf.len()));
                out.append(&mut w.buf);
            }
            sent < max
        });
    }
    w.header(&Header {
        info3: INFO3_LAST,
        ..Default::default()
    });
    out.extend_from_slice(&frame::header(frame::TYPE_MSG, w.buf.len()));
    out.append(&mut w.buf);
    out
}

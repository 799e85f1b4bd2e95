//! The reply of a scan, query or aggregation: a stream of AS_MSG messages packed into protos,
//! ending with a LAST message that carries the result code.
//!
//! Scans and index queries send one message per record (namespace, digest, set and key fields,
//! the projected bins); an index query adds the index value the record was found under (BVAL)
//! so the client can resume a page after it. Aggregations send one value per message in a bin
//! `SUCCESS`. Every streamed record is written here, once.

use crate::frame;
use crate::msg::*;
use crate::ops;
use crate::record::{Digest, Record, Value};

/// Size at which a proto of records is closed and the next one started.
const PROTO_CHUNK: usize = 128 * 1024;

/// Which bins each record of the stream carries.
pub struct Projection<'a> {
    /// Metadata only (info1 GET_NO_BINS).
    pub no_bins: bool,
    /// Bins to return (READ ops with names); empty for all.
    pub bins: Vec<&'a [u8]>,
}

impl<'a> Projection<'a> {
    /// The projection a scan or query message asks for.
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
}

/// MAX_RECORDS: records to send at most (0 or absent: no limit).
pub fn max_records(m: &Message<'_>) -> u64 {
    m.field(FIELD_MAX_RECORDS)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_be_bytes)
        .filter(|&n| n > 0)
        .unwrap_or(u64::MAX)
}

/// A stream being written: the finished protos and the messages of the current one.
#[derive(Default)]
pub struct Stream {
    out: Vec<u8>,
    w: MsgWriter,
}

impl Stream {
    /// Appends one record message; returns false (and appends nothing) when a projection finds
    /// none of its bins in the record. A full proto is closed afterwards.
    pub fn record(
        &mut self,
        ns: &str,
        digest: &Digest,
        rec: &Record,
        projection: &Projection<'_>,
        bval: Option<i64>,
    ) -> bool {
        let w = self.open();
        let start = w.buf.len();
        let n_fields = 2 + u16::from(!rec.set.is_empty()) + u16::from(rec.key.is_some());
        // The bins are written straight from the record and counted; the count (and the
        // no-bins flag of a record that answers none) is patched into the header afterwards.
        w.header(&Header {
            generation: rec.generation as u32,
            ttl: rec.void_time,
            n_fields: n_fields + u16::from(bval.is_some()),
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
        let mut n = 0usize;
        // Like every reply, only the first 65,535 bins are sent.
        fn bin(w: &mut MsgWriter, n: &mut usize, name: &[u8], v: &Value) {
            if *n < u16::MAX as usize {
                w.op(ops::READ, v.particle, name, &v.data);
                *n += 1;
            }
        }
        if projection.no_bins {
        } else if !projection.bins.is_empty() {
            for p in &projection.bins {
                match rec.wire_bin(p) {
                    Some(Some(op)) if n < u16::MAX as usize => {
                        w.buf.extend_from_slice(op);
                        n += 1;
                    }
                    Some(_) => {}
                    None => {
                        if let Some(v) = rec.bin(p) {
                            bin(w, &mut n, p, v);
                        }
                    }
                }
            }
            if n == 0 {
                w.buf.truncate(start);
                return false;
            }
        } else if let Some((ops, count)) = rec.wire_bins() {
            w.buf.extend_from_slice(ops);
            n = count as usize;
        } else {
            for (name, v) in &rec.bins {
                bin(w, &mut n, name.as_bytes(), v);
            }
        }
        if n == 0 {
            w.buf[start + 1] = INFO1_GET_NO_BINS;
        }
        w.buf[start + 20..start + 22].copy_from_slice(&(n as u16).to_be_bytes());
        if self.w.buf.len() >= PROTO_CHUNK {
            self.close_proto();
        }
        true
    }

    /// Appends one aggregation value (`None`: nil) as a message with the single bin `SUCCESS`.
    pub fn value(&mut self, v: Option<&Value>) {
        let w = self.open();
        w.header(&Header {
            n_ops: 1,
            ..Default::default()
        });
        match v {
            Some(p) => w.op(ops::READ, p.particle, b"SUCCESS", &p.data),
            None => w.op(ops::READ, 0, b"SUCCESS", &[]),
        }
    }

    /// The writer of the current proto, whose first 8 bytes are kept for its header: it is
    /// written in place when the proto is closed, so closing copies nothing.
    fn open(&mut self) -> &mut MsgWriter {
        if self.w.buf.is_empty() {
            self.w.buf.extend_from_slice(&[0; 8]);
        }
        &mut self.w
    }

    fn close_proto(&mut self) {
        let buf = &mut self.w.buf;
        let header = frame::header(frame::TYPE_MSG, buf.len() - 8);
        buf[..8].copy_from_slice(&header);
        if self.out.is_empty() {
            // The finished proto becomes the output, and the output's (empty) allocation the
            // next proto's.
            std::mem::swap(&mut self.out, buf);
        } else {
            self.out.append(buf);
        }
    }

    /// Ends the stream with the LAST message carrying `result`; returns every proto.
    pub fn finish(mut self, result: u8) -> Vec<u8> {
        last(self.open(), result);
        self.close_proto();
        self.out
    }
}

/// Appends the LAST message of a stream (no bins) with `result`.
pub fn last(w: &mut MsgWriter, result: u8) {
    w.header(&Header {
        info3: INFO3_LAST,
        result,
        ..Default::default()
    });
}

/// A reply sent one part at a time as the connection writes them: a batch or a scan/query run.
pub trait Protos {
    /// Replaces `out` with the next proto(s) of the reply (headers included). Returns true when
    /// they end the reply.
    fn next_proto(&mut self, out: &mut Vec<u8>) -> bool;

    /// The whole reply at once (a connection's first frame answered by `dispatch`, tests).
    fn collect(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        let mut proto = Vec::new();
        loop {
            let last = self.next_proto(&mut proto);
            all.extend_from_slice(&proto);
            if last {
                return all;
            }
        }
    }
}

/// A scan or query answered as the connection sends it: `step` adds the records of one unit
/// of work (a partition) to the stream and says whether more remain. Each finished proto goes
/// out before the next unit runs, so a reply is never built whole in memory, no partition lock
/// is held while the connection writes, and a client that stops reading stops the scan.
pub struct Run<'a> {
    stream: Stream,
    step: Box<dyn FnMut(&mut Stream) -> bool + Send + 'a>,
    more: bool,
}

impl<'a> Run<'a> {
    pub fn new(step: impl FnMut(&mut Stream) -> bool + Send + 'a) -> Run<'a> {
        Run {
            stream: Stream::default(),
            step: Box::new(step),
            more: true,
        }
    }
}

impl Protos for Run<'_> {
    fn next_proto(&mut self, out: &mut Vec<u8>) -> bool {
        out.clear();
        while self.more && self.stream.out.is_empty() {
            self.more = (self.step)(&mut self.stream);
        }
        if self.more {
            std::mem::swap(out, &mut self.stream.out);
            return false;
        }
        *out = std::mem::take(&mut self.stream).finish(0);
        true
    }
}

/// A stream consisting only of the LAST message with `result`.
pub fn last_only(result: u8) -> Vec<u8> {
    Stream::default().finish(result)
}

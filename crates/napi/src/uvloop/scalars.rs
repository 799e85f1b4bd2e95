//! A `get` reply whose bins are all scalars, copied from the wire straight into the completion
//! queue.
//!
//! The general reader (`reply.rs`) builds the crate's `Record` (a hash map, a `String` per bin
//! name, a `Value` per bin) only for the queue to encode it again. For the common reply (a
//! record of integers, floats, strings, blobs, booleans, GeoJSON or HyperLogLogs) this writes
//! the very bytes that encoding would, with no allocation. A reply it does not take whole (a
//! list or map bin, a repeated bin name, anything malformed) goes to the general reader, which
//! decides.

use aerospike_cdt::wire::msg::{Header, HEADER_LEN};
use aerospike_cdt::wire::particle;

use crate::codec::Writer;
use crate::dispatch::Reply;
use crate::transcode::{parts, scalar, split_op, ttl, write_scalar, MAX_BINS};

/// A readable reply: generation, ttl as the crate reports it, and its ops.
pub struct Scalars<'a> {
    generation: u32,
    ttl: i32,
    ops: &'a [u8],
    n_ops: usize,
    /// Bins with a value (nil bins and nameless ops are left out, as the crate does).
    kept: u32,
}

/// The reply `body` (after its proto header) when every bin in it is a scalar.
pub fn read(body: &[u8]) -> Option<Scalars<'_>> {
    let h = Header::decode(body.get(..HEADER_LEN)?.try_into().ok()?);
    if h.result != 0 || h.n_ops as usize > MAX_BINS {
        return None;
    }
    let mut at = HEADER_LEN;
    for _ in 0..h.n_fields {
        at = at.checked_add(4 + be32(body, at)? as usize)?;
    }
    let ops = body.get(at..)?;
    let mut names: [&[u8]; MAX_BINS] = [&[]; MAX_BINS];
    let mut kept = 0;
    let mut rest = ops;
    for _ in 0..h.n_ops {
        let (op, next) = split_op(rest)?;
        rest = next;
        let (pt, name, value) = parts(op)?;
        if !scalar(pt, value) {
            return None;
        }
        if pt == particle::NULL || name.is_empty() {
            continue;
        }
        std::str::from_utf8(name).ok()?;
        if names[..kept].contains(&name) {
            return None;
        }
        names[kept] = name;
        kept += 1;
    }
    Some(Scalars {
        generation: h.generation,
        ttl: ttl(h.generation, h.ttl),
        ops,
        n_ops: h.n_ops as usize,
        kept: kept as u32,
    })
}

impl Reply for Scalars<'_> {
    fn encode(&self, w: &mut Writer) {
        w.u32(self.generation);
        w.i32(self.ttl);
        w.u32(self.kept);
        let mut rest = self.ops;
        for _ in 0..self.n_ops {
            // `read` checked every op.
            let Some((op, next)) = split_op(rest) else {
                return;
            };
            rest = next;
            let Some((pt, name, v)) = parts(op) else {
                return;
            };
            if pt == particle::NULL || name.is_empty() {
                continue;
            }
            w.bytes(name);
            write_scalar(w, pt, v);
        }
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use aerospike_cdt::wire::msg::{op_head, Header};
    use aerospike_cdt::wire::particle;

    use crate::client::{write_record, Answer};
    use crate::codec::Writer;
    use crate::policy::Decode;
    use crate::uvloop::reply;
    use crate::uvloop::request::Shape;

    fn body(ops: &[(u8, &str, &[u8])]) -> Vec<u8> {
        let head = Header {
            generation: 7,
            ttl: 500_000_000,
            n_ops: ops.len() as u16,
            ..Header::default()
        };
        let mut b = head.encode().to_vec();
        for (pt, name, v) in ops {
            b.extend_from_slice(&op_head(1, *pt, name.len(), v.len()));
            b.extend_from_slice(name.as_bytes());
            b.extend_from_slice(v);
        }
        b
    }

    /// What the general reader queues for the same reply.
    fn general(b: &[u8]) -> Vec<u8> {
        let mut w = Writer::default();
        match reply::answer(b, Shape::Get(Decode::Values), "n") {
            Ok(Ok(Answer::Record(rec, d))) => write_record(&mut w, &rec, d),
            _ => panic!("the general reader refused the reply"),
        }
        w.buf
    }

    #[test]
    fn copies_what_the_general_reader_encodes() {
        let all = crate::transcode::every_scalar();
        let ops: Vec<(u8, &str, &[u8])> = all
            .iter()
            .map(|(pt, name, v)| (*pt, *name, v.as_slice()))
            .collect();
        let b = body(&ops);
        let fast = super::read(&b).expect("every bin is a scalar");
        let mut w = Writer::default();
        crate::dispatch::Reply::encode(&fast, &mut w);
        assert_eq!(w.buf, general(&b));
    }

    #[test]
    fn leaves_lists_repeats_and_garbage_to_the_general_reader() {
        let list = body(&[(particle::LIST, "l", &[0x91, 0x01])]);
        assert!(super::read(&list).is_none());
        let twice = body(&[
            (particle::INTEGER, "a", &1i64.to_be_bytes()),
            (particle::INTEGER, "a", &2i64.to_be_bytes()),
        ]);
        assert!(super::read(&twice).is_none());
        let short_int = body(&[(particle::INTEGER, "a", &[1, 2])]);
        assert!(super::read(&short_int).is_none());
        let bad_utf8 = body(&[(particle::STRING, "s", &[0xff, 0xfe])]);
        assert!(super::read(&bad_utf8).is_none());
        let mut cut = body(&[(particle::STRING, "s", b"abc")]);
        cut.truncate(cut.len() - 1);
        assert!(super::read(&cut).is_none());
    }
}

//! A `get` or `operate` reply whose bins are all scalars, copied from the wire straight into
//! the completion queue.
//!
//! The general reader (`reply.rs`) builds the crate's `Record` (a hash map, a `String` per bin
//! name, a `Value` per bin) only for the queue to encode it again. For the common reply (a
//! record of integers, floats, strings, blobs, booleans, GeoJSON or HyperLogLogs) this writes
//! the very bytes that encoding would, with no allocation. A reply it does not take whole (a
//! list or map bin, a repeated bin name, anything malformed) goes to the general reader, which
//! decides.
//!
//! An `operate` reply has one op per requested operation, in order; its bins are shaped as
//! `client::shape_operate_result` shapes them, for the case where every operation names a bin:
//! each op's answer under the operation's bin, shown by its `Report` rule.

use aerospike_cdt::wire::msg::{Header, HEADER_LEN};
use aerospike_cdt::wire::particle;

use crate::cdt_ops::Report;
use crate::client::OpList;
use crate::codec::Writer;
use crate::dispatch::Reply;
use crate::transcode::{parts, scalar, split_op, ttl, write_scalar, MAX_BINS};

/// A readable reply: generation, ttl as the crate reports it, and its ops.
pub struct Scalars<'a> {
    generation: u32,
    ttl: i32,
    ops: &'a [u8],
    n_ops: usize,
    /// Bins shown.
    kept: u32,
    names: Names<'a>,
}

/// Where the bins' names come from, and which ops are shown.
enum Names<'a> {
    /// A get: each op names its bin; nil bins and nameless ops are left out, as the crate does.
    Own,
    /// An operate: the operations' bins; op `i` is shown when bit `i` is set.
    Operations(&'a [Option<String>], u64),
}

/// The reply `body` (after its proto header) of a get, when every bin in it is a scalar.
pub fn read(body: &[u8]) -> Option<Scalars<'_>> {
    let (h, ops) = split(body)?;
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
    Some(scalars(&h, ops, kept, Names::Own))
}

/// The reply `body` of an operate of `list`, when every operation names a bin, no bin is shown
/// twice and every answer is a scalar.
pub fn read_operate<'a>(body: &'a [u8], list: &'a OpList) -> Option<Scalars<'a>> {
    let (h, ops) = split(body)?;
    let n = h.n_ops as usize;
    if list.bins.len() != n || list.report.len() != n {
        return None;
    }
    let all = list.report.contains(&Report::Always);
    let mut shown = 0u64;
    let mut kept = 0;
    let mut rest = ops;
    for (i, (bin, report)) in list.bins.iter().zip(&list.report).enumerate() {
        let (op, next) = split_op(rest)?;
        rest = next;
        let (pt, _, value) = parts(op)?;
        let bin = bin.as_deref()?;
        if !scalar(pt, value) {
            return None;
        }
        let show = match report {
            Report::Always => true,
            Report::Value => all || pt != particle::NULL,
            Report::Silent => all,
        };
        if !show {
            continue;
        }
        let earlier = list.bins[..i].iter().enumerate();
        if earlier
            .filter(|&(j, _)| shown & (1 << j) != 0)
            .any(|(_, b)| b.as_deref() == Some(bin))
        {
            return None;
        }
        shown |= 1 << i;
        kept += 1;
    }
    Some(scalars(&h, ops, kept, Names::Operations(&list.bins, shown)))
}

/// The header and ops of a successful reply with at most `MAX_BINS` ops.
fn split(body: &[u8]) -> Option<(Header, &[u8])> {
    let h = Header::decode(body.get(..HEADER_LEN)?.try_into().ok()?);
    if h.result != 0 || h.n_ops as usize > MAX_BINS {
        return None;
    }
    let mut at = HEADER_LEN;
    for _ in 0..h.n_fields {
        at = at.checked_add(4 + be32(body, at)? as usize)?;
    }
    Some((h, body.get(at..)?))
}

fn scalars<'a>(h: &Header, ops: &'a [u8], kept: usize, names: Names<'a>) -> Scalars<'a> {
    Scalars {
        generation: h.generation,
        ttl: ttl(h.generation, h.ttl),
        ops,
        n_ops: h.n_ops as usize,
        kept: kept as u32,
        names,
    }
}

impl Reply for Scalars<'_> {
    fn encode(&self, w: &mut Writer) {
        w.u32(self.generation);
        w.i32(self.ttl);
        w.u32(self.kept);
        let mut rest = self.ops;
        for i in 0..self.n_ops {
            // `read` checked every op.
            let Some((op, next)) = split_op(rest) else {
                return;
            };
            rest = next;
            let Some((pt, name, v)) = parts(op) else {
                return;
            };
            match self.names {
                Names::Own if pt == particle::NULL || name.is_empty() => continue,
                Names::Own => w.bytes(name),
                Names::Operations(bins, shown) => match &bins[i] {
                    Some(bin) if shown & (1 << i) != 0 => w.str(bin),
                    _ => continue,
                },
            }
            write_scalar(w, pt, v);
        }
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use aerospike_cdt::wire::msg::Header;
    use aerospike_cdt::wire::particle;

    use crate::cdt_ops::Report;
    use crate::client::{write_record, Answer, OpList};
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
        [&head.encode()[..], &crate::transcode::wire_ops(ops)].concat()
    }

    /// What the general reader queues for the same reply.
    fn general(b: &[u8]) -> Vec<u8> {
        general_of(b, Shape::Get(Decode::Values))
    }

    fn general_of(b: &[u8], shape: Shape) -> Vec<u8> {
        let mut w = Writer::default();
        match reply::answer(b, shape, "n") {
            Ok(Ok(Answer::Record(rec, d))) => write_record(&mut w, &rec, d),
            _ => panic!("the general reader refused the reply"),
        }
        w.buf
    }

    fn encoded(fast: super::Scalars<'_>) -> Vec<u8> {
        let mut w = Writer::default();
        crate::dispatch::Reply::encode(&fast, &mut w);
        w.buf
    }

    /// An operate of `bins` (each with its report rule); its ops are reads, which is all the
    /// shaping looks at besides their number.
    fn op_list(bins: &[(&str, Report)]) -> OpList {
        OpList {
            ops: bins
                .iter()
                .map(|(b, _)| aerospike::operations::get_bin(*b))
                .collect(),
            bins: bins.iter().map(|(b, _)| Some(b.to_string())).collect(),
            report: bins.iter().map(|(_, r)| *r).collect(),
        }
    }

    #[test]
    fn shapes_operate_replies_as_the_general_reader() {
        let one = 1i64.to_be_bytes();
        let reply = body(&[
            (particle::NULL, "", &[]),
            (particle::INTEGER, "a", &one),
            (particle::NULL, "", &[]),
        ]);
        for report in [
            [Report::Silent, Report::Value, Report::Value],
            [Report::Silent, Report::Value, Report::Always],
            [Report::Value, Report::Silent, Report::Silent],
        ] {
            let list = op_list(&[("c", report[0]), ("a", report[1]), ("d", report[2])]);
            let fast = super::read_operate(&reply, &list).expect("scalar answers");
            let general = general_of(
                &reply,
                Shape::Operate(
                    op_list(&[("c", report[0]), ("a", report[1]), ("d", report[2])]),
                    Decode::Values,
                ),
            );
            assert_eq!(encoded(fast), general, "{report:?}");
        }
        // A bin shown twice becomes a multi-result: the general reader's.
        let twice = op_list(&[
            ("a", Report::Value),
            ("a", Report::Value),
            ("d", Report::Silent),
        ]);
        let reply2 = body(&[
            (particle::INTEGER, "a", &one),
            (particle::INTEGER, "a", &one),
            (particle::NULL, "", &[]),
        ]);
        assert!(super::read_operate(&reply2, &twice).is_none());
        // Fewer answers than operations.
        let short = op_list(&[("a", Report::Value)]);
        assert!(super::read_operate(&reply2, &short).is_none());
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
        assert_eq!(encoded(fast), general(&b));
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

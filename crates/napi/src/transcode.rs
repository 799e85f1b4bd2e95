//! Reply bins written straight from the wire into the facade's record format
//! ([`crate::client::write_record`]'s bytes), for the paths that read replies themselves: a
//! `get` on the event loop ([`crate::uvloop`]'s `scalars`) and the direct object batch read
//! ([`crate::batch_direct`]).
//!
//! The crate's path builds a `Record` (a hash map, a `String` per bin name, a `Value` per bin)
//! only for it to be encoded again. Here scalar bins (integers, floats, strings, blobs,
//! booleans, GeoJSON, HyperLogLogs) are copied from the wire; list and map bins go through the
//! crate's own value conversion ([`crate::particle`]), so they come out as the crate's path
//! gives them. A record whose bins repeat a name (the crate makes a multi-result of them) or
//! that has many bins is built the general way, by the same code the crate's path uses.

use aerospike::{IndexMap, Record};
use aerospike_cdt::wire::particle;

use crate::client::{record_ttl, write_record, write_value};
use crate::codec::{Writer, BLOB, FALSE, FLOAT, GEOJSON, HLL, NIL, STR, TRUE};
use crate::particle::{bins, particle_value, Malformed};
use crate::policy::Decode;

/// Bin names compared pairwise for repeats: up to this many bins.
pub const MAX_BINS: usize = 32;

/// One record message: its generation and void time, and its `n_ops` ops.
pub struct RecordOps<'a> {
    pub generation: u32,
    pub void_time: u32,
    pub ops: &'a [u8],
    pub n_ops: usize,
}

/// The TTL the crate reports for a record of `void_time` (remaining seconds, -1 for never).
pub fn ttl(generation: u32, void_time: u32) -> i32 {
    record_ttl(&Record::new(
        None,
        IndexMap::new(),
        None,
        generation,
        void_time,
    ))
}

/// Writes `rec` as [`write_record`] writes the crate's record of it: nil bins kept when
/// `keep_nil` (batch rows keep them, `get` drops them), lists and maps as `decode` says.
/// Returns how many bytes of `rec.ops` its ops took; `Malformed` (with nothing written) when
/// the crate would have refused the reply.
pub fn record(
    w: &mut Writer,
    rec: &RecordOps<'_>,
    keep_nil: bool,
    decode: Decode,
) -> Result<usize, Malformed> {
    let start = w.buf.len();
    if rec.n_ops <= MAX_BINS {
        let fast = copied(w, rec, keep_nil, decode);
        if !matches!(fast, Ok(None)) {
            if fast.is_err() {
                w.buf.truncate(start);
            }
            return fast.map(Option::unwrap_or_default);
        }
        w.buf.truncate(start);
    }
    let used = ops_len(rec.ops, rec.n_ops).ok_or(Malformed)?;
    let (bins, _) = bins(&rec.ops[..used], rec.n_ops, keep_nil, false)?;
    let built = Record::new(None, bins, None, rec.generation, rec.void_time);
    write_record(w, &built, decode);
    Ok(used)
}

/// The fast way of [`record`]: `None` (part written) when a bin name repeats.
fn copied(
    w: &mut Writer,
    rec: &RecordOps<'_>,
    keep_nil: bool,
    decode: Decode,
) -> Result<Option<usize>, Malformed> {
    w.u32(rec.generation);
    w.i32(ttl(rec.generation, rec.void_time));
    let count_at = w.buf.len();
    w.u32(0);
    let mut names: [&[u8]; MAX_BINS] = [&[]; MAX_BINS];
    let mut kept = 0;
    let mut rest = rec.ops;
    for _ in 0..rec.n_ops {
        let (op, next) = split_op(rest).ok_or(Malformed)?;
        rest = next;
        let (pt, name, v) = parts(op).ok_or(Malformed)?;
        if name.is_empty() || (pt == particle::NULL && !keep_nil) {
            continue;
        }
        if names[..kept].contains(&name) {
            return Ok(None);
        }
        std::str::from_utf8(name).map_err(|_| Malformed)?;
        names[kept] = name;
        kept += 1;
        w.bytes(name);
        if pt == particle::NULL {
            w.u8(NIL);
        } else if scalar(pt, v) {
            write_scalar(w, pt, v);
        } else {
            write_value(w, &particle_value(pt, v)?, decode);
        }
    }
    w.buf[count_at..count_at + 4].copy_from_slice(&(kept as u32).to_le_bytes());
    Ok(Some(rec.ops.len() - rest.len()))
}

/// How many bytes the first `n_ops` ops of `ops` take.
fn ops_len(ops: &[u8], n_ops: usize) -> Option<usize> {
    let mut rest = ops;
    for _ in 0..n_ops {
        rest = split_op(rest)?.1;
    }
    Some(ops.len() - rest.len())
}

/// Writes a scalar bin value ([`scalar`] said it is one) as the codec writes the crate's value.
pub fn write_scalar(w: &mut Writer, pt: u8, v: &[u8]) {
    match pt {
        particle::INTEGER => w.int(i64::from_be_bytes(eight(v))),
        particle::FLOAT => {
            w.u8(FLOAT);
            w.f64(f64::from_be_bytes(eight(v)));
        }
        particle::STRING => {
            w.u8(STR);
            w.bytes(v);
        }
        particle::BLOB => {
            w.u8(BLOB);
            w.bytes(v);
        }
        particle::BOOL => w.u8(if v.first().is_some_and(|&b| b != 0) {
            TRUE
        } else {
            FALSE
        }),
        particle::HLL => {
            w.u8(HLL);
            w.bytes(v);
        }
        particle::GEOJSON => {
            w.u8(GEOJSON);
            w.bytes(geo_text(v).unwrap_or_default());
        }
        _ => w.u8(NIL),
    }
}

/// Whether `value` of particle type `pt` is a scalar copied from the wire, and well formed.
pub fn scalar(pt: u8, value: &[u8]) -> bool {
    match pt {
        particle::NULL | particle::BLOB | particle::BOOL | particle::HLL => true,
        particle::INTEGER | particle::FLOAT => value.len() == 8,
        particle::STRING => std::str::from_utf8(value).is_ok(),
        particle::GEOJSON => geo_text(value).is_some_and(|t| std::str::from_utf8(t).is_ok()),
        _ => false,
    }
}

/// The text of a GeoJSON particle: after its flags byte, cell count and cells.
fn geo_text(v: &[u8]) -> Option<&[u8]> {
    let cells = v.get(1..3)?;
    v.get(3 + u16::from_be_bytes([cells[0], cells[1]]) as usize * 8..)
}

/// The first op of `ops` (after its size) and what follows it.
pub fn split_op(ops: &[u8]) -> Option<(&[u8], &[u8])> {
    let size = u32::from_be_bytes(ops.get(..4)?.try_into().ok()?) as usize;
    let end = size.checked_add(4)?;
    Some((ops.get(4..end)?, ops.get(end..)?))
}

/// An op's particle type, bin name and value (`op type | particle type | version | name length
/// | name | value`).
pub fn parts(op: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let pt = *op.get(1)?;
    let name_len = *op.get(3)? as usize;
    let name = op.get(4..4 + name_len)?;
    Some((pt, name, &op[4 + name_len..]))
}

fn eight(v: &[u8]) -> [u8; 8] {
    v.try_into().unwrap_or_default()
}

/// Read ops on the wire, one per `(particle type, bin name, value)`.
#[cfg(test)]
pub fn wire_ops(list: &[(u8, &str, &[u8])]) -> Vec<u8> {
    let mut b = Vec::new();
    for (pt, name, v) in list {
        b.extend_from_slice(&aerospike_cdt::wire::msg::op_head(
            1,
            *pt,
            name.len(),
            v.len(),
        ));
        b.extend_from_slice(name.as_bytes());
        b.extend_from_slice(v);
    }
    b
}

/// One op (particle type, bin name, value) of every scalar particle type, a nil among them.
#[cfg(test)]
pub fn every_scalar() -> Vec<(u8, &'static str, Vec<u8>)> {
    let geo = [&[0u8, 0, 1][..], &[9; 8], b"{\"type\":\"Point\"}"].concat();
    vec![
        (particle::INTEGER, "i", 42i64.to_be_bytes().to_vec()),
        (
            particle::INTEGER,
            "big",
            (1i64 << 60).to_be_bytes().to_vec(),
        ),
        (particle::FLOAT, "f", 1.5f64.to_be_bytes().to_vec()),
        (particle::STRING, "s", "héllo".as_bytes().to_vec()),
        (particle::BLOB, "b", vec![1, 2, 3]),
        (particle::BOOL, "t", vec![1]),
        (particle::NULL, "gone", vec![]),
        (particle::HLL, "h", vec![5; 10]),
        (particle::GEOJSON, "g", geo),
    ]
}

#[cfg(test)]
mod tests {
    use aerospike::Record;
    use aerospike_cdt::wire::particle;

    use super::{record, RecordOps};
    use crate::client::write_record;
    use crate::codec::Writer;
    use crate::particle::bins;
    use crate::policy::Decode;

    use super::wire_ops as ops;

    /// What the crate's path writes for the same ops: the crate's record, then `write_record`.
    fn general(b: &[u8], n: usize, keep_nil: bool, decode: Decode) -> Vec<u8> {
        let Ok((bins, _)) = bins(b, n, keep_nil, false) else {
            panic!("the general reader refused the ops")
        };
        let mut w = Writer::default();
        write_record(
            &mut w,
            &Record::new(None, bins, None, 3, 500_000_000),
            decode,
        );
        w.buf
    }

    fn fast(b: &[u8], n: usize, keep_nil: bool, decode: Decode) -> (Vec<u8>, usize) {
        let mut w = Writer::default();
        w.u8(0xee); // something before the record stays
        let rec = RecordOps {
            generation: 3,
            void_time: 500_000_000,
            ops: b,
            n_ops: n,
        };
        let used = record(&mut w, &rec, keep_nil, decode).unwrap_or_else(|_| panic!("refused"));
        assert_eq!(w.buf[0], 0xee);
        (w.buf[1..].to_vec(), used)
    }

    #[test]
    fn scalars_lists_and_maps_come_out_as_the_crate_path_writes_them() {
        // [1, "a", [2.5]] and a key-ordered map {"k": 1, "z": [true]}.
        let list = [
            0x93, 0x01, 0xa2, 0x03, b'a', 0x91, 0xcb, 0x40, 0x04, 0, 0, 0, 0, 0, 0,
        ];
        let map = [
            0x83, 0xc7, 0x00, 0x01, 0xc0, 0xa2, 0x03, b'k', 0x01, 0xa2, 0x03, b'z', 0x91, 0xc3,
        ];
        let scalars = super::every_scalar();
        let mut all: Vec<(u8, &str, &[u8])> = scalars
            .iter()
            .map(|(pt, name, v)| (*pt, *name, v.as_slice()))
            .collect();
        let seven = 7i64.to_be_bytes();
        all.extend([
            (particle::LIST, "l", &list[..]),
            (particle::MAP, "m", &map[..]),
            (particle::INTEGER, "", &seven[..]),
        ]);
        let b = ops(&all);
        let n = all.len();
        for keep_nil in [true, false] {
            for decode in [Decode::Values, Decode::RawCdt] {
                let (out, used) = fast(&b, n, keep_nil, decode);
                assert_eq!(out, general(&b, n, keep_nil, decode));
                assert_eq!(used, b.len());
            }
        }
        // Only the record's own ops are read: what follows is the next row's.
        let mut more = b.clone();
        more.extend_from_slice(&[1, 2, 3]);
        assert_eq!(fast(&more, n, true, Decode::Values).1, b.len());
    }

    #[test]
    fn repeated_names_and_many_bins_are_built_the_general_way() {
        let i = 1i64.to_be_bytes();
        let twice = ops(&[
            (particle::INTEGER, "a", &i),
            (particle::STRING, "b", b"x"),
            (particle::INTEGER, "a", &i),
        ]);
        assert_eq!(
            fast(&twice, 3, true, Decode::Values).0,
            general(&twice, 3, true, Decode::Values)
        );
        let names: Vec<String> = (0..40).map(|k| format!("b{k}")).collect();
        let many: Vec<(u8, &str, &[u8])> = names
            .iter()
            .map(|n| (particle::INTEGER, n.as_str(), &i[..]))
            .collect();
        let b = ops(&many);
        assert_eq!(
            fast(&b, 40, true, Decode::Values).0,
            general(&b, 40, true, Decode::Values)
        );
    }

    #[test]
    fn what_the_crate_would_refuse_is_refused_with_nothing_written() {
        let bad_list = ops(&[
            (particle::INTEGER, "a", &1i64.to_be_bytes()),
            (particle::LIST, "l", &[0x93, 0x01]),
        ]);
        let bad_name = ops(&[(particle::INTEGER, "\u{0}", &1i64.to_be_bytes())]);
        let mut bad_name = bad_name;
        let at = bad_name.len() - 9;
        bad_name[at] = 0xff;
        let mut cut = ops(&[(particle::STRING, "s", b"abc")]);
        cut.truncate(cut.len() - 1);
        for (b, n) in [(&bad_list, 2), (&bad_name, 1), (&cut, 1)] {
            let mut w = Writer::default();
            let rec = RecordOps {
                generation: 1,
                void_time: 0,
                ops: b,
                n_ops: n,
            };
            assert!(record(&mut w, &rec, true, Decode::Values).is_err());
            assert!(w.buf.is_empty());
        }
    }
}

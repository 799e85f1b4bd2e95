//! HyperLogLog operations (HLL_READ / HLL_MODIFY), applied as Aerospike's server applies them.
//!
//! A bin holds a HyperMinHash sketch (layout in [`sketch`]). Elements are hashed with
//! MurmurHash3 x64-128 over their compacted msgpack bytes; counts use Ertl's estimator and
//! intersections / similarity HyperMinHash ([`estimate`]). Stored bytes and estimates follow
//! the server exactly, because clients compare both.
//!
//! Payload: `[op_code, params…]`. Modify ops: 0 INIT `[index_bits, minhash_bits, flags]`,
//! 1 ADD `[elements, index_bits, minhash_bits, flags]`, 2 SET_UNION `[hlls, flags]`,
//! 3 REFRESH_COUNT, 4 FOLD `[index_bits]`. Read ops: 50 COUNT, 51 GET_UNION `[hlls]`,
//! 52 UNION_COUNT `[hlls]`, 53 INTERSECT_COUNT `[hlls]`, 54 SIMILARITY `[hlls]`, 55 DESCRIBE,
//! 56 MAY_CONTAIN `[elements]`. Trailing parameters may be left out; -1 bits mean "unset".

mod estimate;
mod murmur;
mod sketch;
#[cfg(test)]
mod tests;
mod wire;

use crate::msgpack::{Kind as Mp, Reader};
use crate::params::write_flags::{CREATE_ONLY, NO_FAIL, UPDATE_ONLY};
// A stored sketch that is not one is the server's "unknown" error.
use crate::rc::SERVER_ERROR as UNKNOWN;
use crate::rc::{BIN_EXISTS, BIN_NOT_FOUND};
use crate::value::List;
use crate::{particle, rc, to_particle, Kind, Outcome, Particle, Value};
use sketch::{required_size, Sketch};

const INIT: u64 = 0;
const ADD: u64 = 1;
const SET_UNION: u64 = 2;
const REFRESH_COUNT: u64 = 3;
const FOLD: u64 = 4;
const COUNT: u64 = 50;
const GET_UNION: u64 = 51;
const UNION_COUNT: u64 = 52;
const INTERSECT_COUNT: u64 = 53;
const SIMILARITY: u64 = 54;
const DESCRIBE: u64 = 55;
const MAY_CONTAIN: u64 = 56;

/// The write flag beyond the shared ones.
const ALLOW_FOLD: u64 = 8;

/// One positional parameter kind.
#[derive(Clone, Copy)]
enum Arg {
    IndexBits,
    MinhashBits,
    Flags,
    /// A non-empty list of scalar elements.
    Elements,
    /// Sketches: a non-empty list of HLL blobs, or one blob.
    Hlls,
    /// Sketches for intersection / similarity: more than two must share nonzero minhash bits.
    HllsIntersect,
}

/// An op's accepted parameters: between `min` and `args.len()` of them, in order.
struct Def {
    min: usize,
    args: &'static [Arg],
    flags: u64,
}

fn definition(is_read: bool, code: u64) -> Option<Def> {
    use Arg::*;
    let def = |min, args, flags| Some(Def { min, args, flags });
    match (is_read, code) {
        (false, INIT) => def(
            0,
            &[IndexBits, MinhashBits, Flags],
            CREATE_ONLY | UPDATE_ONLY | NO_FAIL,
        ),
        (false, ADD) => def(
            1,
            &[Elements, IndexBits, MinhashBits, Flags],
            CREATE_ONLY | NO_FAIL,
        ),
        (false, SET_UNION) => def(
            1,
            &[Hlls, Flags],
            CREATE_ONLY | UPDATE_ONLY | NO_FAIL | ALLOW_FOLD,
        ),
        (false, REFRESH_COUNT) => def(0, &[], 0),
        (false, FOLD) => def(1, &[IndexBits], 0),
        (true, COUNT | DESCRIBE) => def(0, &[], 0),
        (true, GET_UNION | UNION_COUNT) => def(1, &[Hlls], 0),
        (true, INTERSECT_COUNT | SIMILARITY) => def(1, &[HllsIntersect], 0),
        (true, MAY_CONTAIN) => def(1, &[Elements], 0),
        _ => None,
    }
}

/// A parsed op. `None` bits are unset (absent or -1).
#[derive(Default)]
struct Op {
    index_bits: Option<u8>,
    minhash_bits: Option<u8>,
    flags: u64,
    /// Compacted msgpack bytes of each element.
    elements: Vec<Vec<u8>>,
    hlls: Vec<Sketch>,
}

fn valid_index_bits(v: i64) -> bool {
    (4..=16).contains(&v)
}

fn valid_minhash_bits(v: i64) -> bool {
    v == 0 || (4..=51).contains(&v)
}

fn valid_bits(index_bits: u8, minhash_bits: u8) -> bool {
    valid_index_bits(i64::from(index_bits))
        && valid_minhash_bits(i64::from(minhash_bits))
        && index_bits + minhash_bits <= 64
}

/// Applies one HLL op to a bin.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let is_read = kind.is_read();
    // The server only runs a read op on an existing bin; otherwise there is no result.
    if is_read && current.is_none() {
        return Ok(Outcome::default());
    }
    let mut c = Reader::new(op);
    let n = c.array().filter(|&n| n > 0).ok_or(rc::PARAMETER)?;
    let code = uint(&mut c)?;
    let def = definition(is_read, code).ok_or(rc::PARAMETER)?;
    let bin = current.map(stored).transpose()?;
    let op = parse(&mut c, &def, n - 1)?;
    match bin {
        Some(bin) if is_read => read(code, &op, &bin),
        _ => modify(code, op, bin),
    }
}

/// Checks the bin holds a well-formed sketch.
fn stored((particle_type, data): (u8, &[u8])) -> Result<Sketch, u8> {
    if particle_type != particle::HLL {
        return Err(rc::INCOMPATIBLE_TYPE);
    }
    let ok = data.len() >= sketch::HEADER_SIZE
        && data[0] == 0
        && valid_bits(data[1], data[2])
        && data.len() == required_size(data[1], data[2]);
    if ok {
        Ok(Sketch::from_bytes(data))
    } else {
        Err(UNKNOWN)
    }
}

/// Any integer as a u64 (negative values two's complement), as the server reads op
/// parameters.
fn uint(c: &mut Reader) -> Result<u64, u8> {
    c.int().map(|v| v as u64).ok_or(rc::PARAMETER)
}

fn parse(c: &mut Reader, def: &Def, n_args: usize) -> Result<Op, u8> {
    if n_args < def.min || n_args > def.args.len() {
        return Err(rc::PARAMETER);
    }
    let mut op = Op::default();
    for arg in &def.args[..n_args] {
        match arg {
            Arg::IndexBits => {
                let v = c.int().ok_or(rc::PARAMETER)?;
                if v != -1 && !valid_index_bits(v) {
                    return Err(rc::PARAMETER);
                }
                op.index_bits = (v != -1).then_some(v as u8);
            }
            Arg::MinhashBits => {
                let v = c.int().ok_or(rc::PARAMETER)?;
                if v == -1 {
                    op.minhash_bits = None;
                    continue;
                }
                let combined_ok = op.index_bits.is_none_or(|i| i64::from(i) + v <= 64);
                if !valid_minhash_bits(v) || !combined_ok {
                    return Err(rc::PARAMETER);
                }
                op.minhash_bits = Some(v as u8);
            }
            Arg::Flags => {
                let f = uint(c)?;
                let both = CREATE_ONLY | UPDATE_ONLY;
                if f & !def.flags != 0 || f & both == both {
                    return Err(rc::PARAMETER);
                }
                op.flags = f;
            }
            Arg::Elements => {
                let n = c.array().filter(|&n| n > 0).ok_or(rc::PARAMETER)?;
                for _ in 0..n {
                    if matches!(c.peek(), Mp::Array | Mp::Map) {
                        return Err(rc::PARAMETER);
                    }
                    let raw = c.skip().ok_or(rc::PARAMETER)?;
                    op.elements.push(wire::compact(raw));
                }
            }
            Arg::Hlls | Arg::HllsIntersect => {
                op.hlls = parse_hlls(c)?;
                if matches!(arg, Arg::HllsIntersect) && op.hlls.len() > 2 {
                    let m = op.hlls[0].minhash_bits;
                    if m == 0 || op.hlls.iter().any(|h| h.minhash_bits != m) {
                        return Err(rc::PARAMETER);
                    }
                }
            }
        }
    }
    Ok(op)
}

fn parse_hlls(c: &mut Reader) -> Result<Vec<Sketch>, u8> {
    let n = if c.peek() == Mp::Array {
        c.array().filter(|&n| n > 0).ok_or(rc::PARAMETER)?
    } else {
        1
    };
    let mut hlls = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        let blob = c.bytes().ok_or(rc::PARAMETER)?;
        // The first byte is the blob's particle type, which the server ignores.
        if blob.len() < sketch::HEADER_SIZE + 1 {
            return Err(rc::PARAMETER);
        }
        let h = &blob[1..];
        let ok = h[0] == 0
            && valid_index_bits(i64::from(h[1]))
            && valid_minhash_bits(i64::from(h[2]))
            && h.len() == required_size(h[1], h[2]);
        if !ok {
            return Err(rc::PARAMETER);
        }
        hlls.push(Sketch::from_bytes(h));
    }
    Ok(hlls)
}

fn int(v: u64) -> Option<Particle> {
    to_particle(&Value::Int(v as i64))
}

fn hll_particle(h: &Sketch) -> Particle {
    Particle {
        particle: particle::HLL,
        data: h.to_bytes(),
    }
}

fn modify(code: u64, op: Op, bin: Option<Sketch>) -> Result<Outcome, u8> {
    let refuse = |code| {
        if op.flags & NO_FAIL != 0 {
            Ok(Outcome::default())
        } else {
            Err(code)
        }
    };
    if bin.is_some() && op.flags & CREATE_ONLY != 0 {
        return refuse(BIN_EXISTS);
    }
    if bin.is_none() && op.flags & UPDATE_ONLY != 0 {
        return refuse(BIN_NOT_FOUND);
    }
    let mut result = None;
    let new = match code {
        INIT => {
            let (index_bits, minhash_bits) = match &bin {
                None => (
                    op.index_bits.ok_or(rc::OP_NOT_APPLICABLE)?,
                    op.minhash_bits.unwrap_or(0),
                ),
                Some(old) => (
                    op.index_bits.unwrap_or(old.index_bits),
                    op.minhash_bits.unwrap_or(old.minhash_bits),
                ),
            };
            if !valid_bits(index_bits, minhash_bits) {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            Sketch::new(index_bits, minhash_bits)
        }
        ADD => {
            let mut h = match bin {
                Some(old) => old,
                None => Sketch::new(
                    op.index_bits.ok_or(rc::OP_NOT_APPLICABLE)?,
                    op.minhash_bits.unwrap_or(0),
                ),
            };
            let mut changed = 0;
            for e in &op.elements {
                changed += u64::from(h.add(e));
            }
            result = int(changed);
            h
        }
        SET_UNION => {
            let mut all: Vec<&Sketch> = op.hlls.iter().collect();
            if let Some(old) = &bin {
                let (index_bits, minhash_bits) = estimate::template(&all);
                if op.flags & ALLOW_FOLD == 0
                    && (old.index_bits > index_bits
                        || (old.minhash_bits != 0 && old.minhash_bits != minhash_bits))
                {
                    return Err(rc::OP_NOT_APPLICABLE);
                }
                all.push(old);
            }
            estimate::union(&all)
        }
        REFRESH_COUNT => {
            let mut h = bin.ok_or(BIN_NOT_FOUND)?;
            h.cache = estimate::cardinality(&h);
            result = int(h.cache);
            h
        }
        FOLD => {
            let old = bin.ok_or(BIN_NOT_FOUND)?;
            let index_bits = op.index_bits.unwrap_or(u8::MAX);
            if old.minhash_bits > 0 || old.index_bits < index_bits {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            if old.index_bits == index_bits {
                old
            } else {
                let mut h = Sketch::new(index_bits, 0);
                h.union_in(&old);
                h
            }
        }
        _ => return Err(rc::PARAMETER),
    };
    Ok(Outcome {
        new_value: Some(Some(hll_particle(&new))),
        result,
    })
}

fn read(code: u64, op: &Op, bin: &Sketch) -> Result<Outcome, u8> {
    // The bin's sketch comes last, after the op's.
    let all: Vec<&Sketch> = op.hlls.iter().chain([bin]).collect();
    let result = match code {
        COUNT => int(estimate::cardinality(bin)),
        GET_UNION => Some(hll_particle(&estimate::union(&all))),
        UNION_COUNT => int(estimate::union_count(&all)),
        INTERSECT_COUNT | SIMILARITY => {
            let m = op.hlls[0].minhash_bits;
            if op.hlls.len() > 2 && (bin.minhash_bits == 0 || bin.minhash_bits != m) {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            if code == INTERSECT_COUNT {
                int(estimate::intersect_count(&all))
            } else {
                to_particle(&Value::Float(estimate::similarity(&all)))
            }
        }
        DESCRIBE => to_particle(&Value::List(List {
            items: vec![
                Value::Int(i64::from(bin.index_bits)),
                Value::Int(i64::from(bin.minhash_bits)),
            ],
            ..List::default()
        })),
        MAY_CONTAIN => int(u64::from(op.elements.iter().all(|e| bin.may_contain(e)))),
        _ => return Err(rc::PARAMETER),
    };
    Ok(Outcome {
        new_value: None,
        result,
    })
}

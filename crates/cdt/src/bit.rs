//! Bit operations on blob bins, with the semantics of the Aerospike server.
//!
//! Offsets and sizes are in bits (bytes for RESIZE / INSERT / REMOVE). Bits are numbered from the
//! most significant bit of the first byte. A negative offset counts back from the end of the
//! blob. Modify ops return no result; read ops return a blob (GET) or an integer.

use crate::params::Params;
use crate::value::Value;
use crate::{particle, rc, Kind, Outcome, Particle};

/// Result codes only the bit ops use.
const BIN_EXISTS: u8 = 6;
const BIN_NOT_FOUND: u8 = 17;

/// Largest message the server accepts; blobs, offsets and sizes are bounded by it.
const PROTO_SIZE_MAX: u64 = 128 * 1024 * 1024;

// Op codes.
const RESIZE: i64 = 0;
const INSERT: i64 = 1;
const REMOVE: i64 = 2;
const SET: i64 = 3;
const OR: i64 = 4;
const XOR: i64 = 5;
const AND: i64 = 6;
const NOT: i64 = 7;
const LSHIFT: i64 = 8;
const RSHIFT: i64 = 9;
const ADD: i64 = 10;
const SUBTRACT: i64 = 11;
const SET_INT: i64 = 12;
const GET: i64 = 50;
const COUNT: i64 = 51;
const LSCAN: i64 = 52;
const RSCAN: i64 = 53;
const GET_INT: i64 = 54;

// Write flags.
const CREATE_ONLY: u64 = 1;
const UPDATE_ONLY: u64 = 2;
const NO_FAIL: u64 = 4;
const PARTIAL: u64 = 8;

// Resize flags.
const FROM_FRONT: u64 = 1;
const GROW_ONLY: u64 = 2;
const SHRINK_ONLY: u64 = 4;

// Integer flags.
const SIGNED: u64 = 1;
const SATURATE: u64 = 2;
const WRAP: u64 = 4;

/// How one positional parameter is parsed.
#[derive(Clone, Copy)]
enum Arg {
    /// Byte offset (stored in bits).
    ByteOffset,
    /// Bit offset.
    Offset,
    /// Byte count, not zero (stored in bits).
    ByteSize,
    /// Byte count, zero allowed (stored in bits).
    ByteSizeAllowZero,
    /// Bit count of an integer: 1..=64.
    IntSize,
    /// Bit count, not zero.
    Size,
    /// Boolean value to scan for.
    Bool,
    /// Shift amount.
    NBits,
    /// Integer operand.
    IntValue,
    /// Blob operand.
    Buf,
    /// Write flags.
    Flags,
    ResizeFlags,
    ArithFlags,
    GetIntFlags,
}

/// An op's parameter list and the write flags it accepts.
struct Def {
    flags: u64,
    min: usize,
    args: &'static [Arg],
}

fn def(code: i64, read: bool) -> Option<Def> {
    use Arg::*;
    const UPD: u64 = UPDATE_ONLY | NO_FAIL;
    const UPD_PART: u64 = UPDATE_ONLY | NO_FAIL | PARTIAL;
    const ANY: u64 = CREATE_ONLY | UPDATE_ONLY | NO_FAIL;
    let (flags, min, args): (u64, usize, &'static [Arg]) = match (read, code) {
        (false, RESIZE) => (ANY, 1, &[ByteSizeAllowZero, Flags, ResizeFlags]),
        (false, INSERT) => (ANY, 2, &[ByteOffset, Buf, Flags]),
        (false, REMOVE) => (UPD_PART, 2, &[ByteOffset, ByteSize, Flags]),
        (false, SET | OR | XOR | AND) => (UPD_PART, 3, &[Offset, Size, Buf, Flags]),
        (false, NOT) => (UPD_PART, 2, &[Offset, Size, Flags]),
        (false, LSHIFT | RSHIFT) => (UPD_PART, 3, &[Offset, Size, NBits, Flags]),
        (false, ADD | SUBTRACT) => (UPD, 3, &[Offset, IntSize, IntValue, Flags, ArithFlags]),
        (false, SET_INT) => (UPD, 3, &[Offset, IntSize, IntValue, Flags]),
        (true, GET | COUNT) => (0, 2, &[Offset, Size]),
        (true, LSCAN | RSCAN) => (0, 3, &[Offset, Size, Bool]),
        (true, GET_INT) => (0, 2, &[Offset, IntSize, GetIntFlags]),
        _ => return None,
    };
    Some(Def { flags, min, args })
}

/// A parsed op.
#[derive(Default)]
struct Op<'a> {
    code: i64,
    /// Bit offset (negative: from the end).
    offset: i64,
    /// Bit count.
    size: u64,
    /// Integer operand, shift amount or scanned-for bit.
    value: u64,
    buf: &'a [u8],
    flags: u64,
    subflags: u64,
}

impl Op<'_> {
    fn no_fail(&self) -> bool {
        self.flags & NO_FAIL != 0
    }
    fn partial(&self) -> bool {
        self.flags & PARTIAL != 0
    }
    /// A failure that NO_FAIL turns into a silent no-op.
    fn fail<T>(&self, code: u8) -> Result<Option<T>, u8> {
        if self.no_fail() {
            Ok(None)
        } else {
            Err(code)
        }
    }
}

/// Integers arrive as msgpack ints; the server reads them as 64 raw bits.
fn uint(v: &Value) -> Result<u64, u8> {
    v.as_int().map(|i| i as u64).ok_or(rc::PARAMETER)
}

fn parse<'a>(p: &'a Params, read: bool) -> Result<Op<'a>, u8> {
    let d = def(p.code, read).ok_or(rc::PARAMETER)?;
    if p.args.len() < d.min || p.args.len() > d.args.len() {
        return Err(rc::PARAMETER);
    }
    let mut op = Op {
        code: p.code,
        ..Op::default()
    };
    for (arg, v) in d.args.iter().zip(&p.args) {
        match arg {
            Arg::ByteOffset => {
                let o = uint(v)? as i64;
                if o.unsigned_abs() > PROTO_SIZE_MAX {
                    return Err(rc::PARAMETER);
                }
                op.offset = o * 8;
            }
            Arg::Offset => {
                let o = uint(v)? as i64;
                if o.unsigned_abs() > PROTO_SIZE_MAX * 8 {
                    return Err(rc::PARAMETER);
                }
                op.offset = o;
            }
            Arg::ByteSize | Arg::ByteSizeAllowZero => {
                let s = uint(v)?;
                if (s == 0 && matches!(arg, Arg::ByteSize)) || s > PROTO_SIZE_MAX {
                    return Err(rc::PARAMETER);
                }
                op.size = s * 8;
            }
            Arg::IntSize => {
                let s = uint(v)?;
                if s == 0 || s > 64 {
                    return Err(rc::PARAMETER);
                }
                op.size = s;
            }
            Arg::Size => {
                let s = uint(v)?;
                if s == 0 || s > PROTO_SIZE_MAX * 8 {
                    return Err(rc::PARAMETER);
                }
                op.size = s;
            }
            Arg::Bool => match v {
                Value::Bool(b) => op.value = *b as u64,
                _ => return Err(rc::PARAMETER),
            },
            Arg::NBits => {
                op.value = uint(v)?;
                if op.value > PROTO_SIZE_MAX * 8 {
                    return Err(rc::PARAMETER);
                }
            }
            Arg::IntValue => op.value = uint(v)?,
            Arg::Buf => {
                let Value::Bytes(_, b) = v else {
                    return Err(rc::PARAMETER);
                };
                if b.is_empty() {
                    return Err(rc::PARAMETER);
                }
                let bits = b.len() as u64 * 8;
                if op.size == 0 {
                    op.size = bits;
                } else if bits < op.size {
                    return Err(rc::PARAMETER);
                }
                op.buf = b;
            }
            Arg::Flags => {
                op.flags = uint(v)?;
                if op.flags & !d.flags != 0
                    || (op.flags & CREATE_ONLY != 0 && op.flags & UPDATE_ONLY != 0)
                {
                    return Err(rc::PARAMETER);
                }
            }
            Arg::ResizeFlags => {
                op.subflags = uint(v)?;
                if op.subflags & !(FROM_FRONT | GROW_ONLY | SHRINK_ONLY) != 0
                    || (op.subflags & GROW_ONLY != 0 && op.subflags & SHRINK_ONLY != 0)
                {
                    return Err(rc::PARAMETER);
                }
            }
            Arg::ArithFlags => {
                op.subflags = uint(v)?;
                if op.subflags & !(SIGNED | SATURATE | WRAP) != 0
                    || (op.subflags & SATURATE != 0 && op.subflags & WRAP != 0)
                {
                    return Err(rc::PARAMETER);
                }
            }
            Arg::GetIntFlags => {
                op.subflags = uint(v)?;
                if op.subflags & !SIGNED != 0 {
                    return Err(rc::PARAMETER);
                }
            }
        }
    }
    Ok(op)
}

/// Applies one bit op (`[op_code, params…]`) to a bin: `current` is its particle type and bytes,
/// `None` when the bin is missing.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let current = current.filter(|(pt, _)| *pt != particle::NULL);
    let read = kind.is_read();
    if read && current.is_none() {
        // The server skips read ops on a missing bin without looking at them.
        return Ok(Outcome::default());
    }
    let params = Params::decode(op)?;
    let op = parse(&params, read)?;
    if read {
        let (pt, data) = current.expect("checked above");
        if pt != particle::BLOB {
            return Err(rc::INCOMPATIBLE_TYPE);
        }
        let result = read_op(&op, data)?;
        return Ok(Outcome {
            new_value: None,
            result: Some(result),
        });
    }
    let old = match current {
        Some((pt, data)) => {
            if op.flags & CREATE_ONLY != 0 {
                return skip_or(&op, BIN_EXISTS);
            }
            if pt != particle::BLOB {
                return Err(rc::INCOMPATIBLE_TYPE);
            }
            Some(data)
        }
        None => {
            if !matches!(op.code, INSERT | RESIZE) || op.flags & UPDATE_ONLY != 0 {
                return skip_or(&op, BIN_NOT_FOUND);
            }
            None
        }
    };
    Ok(Outcome {
        new_value: modify(op, old)?.map(|data| {
            Some(Particle {
                particle: particle::BLOB,
                data,
            })
        }),
        result: None,
    })
}

/// A refused modify: nothing happens under NO_FAIL, otherwise the error.
fn skip_or(op: &Op, code: u8) -> Result<Outcome, u8> {
    op.fail::<()>(code).map(|_| Outcome::default())
}

/// Where an op lands in the blob: first byte, bit within it, and how many bytes it spans.
struct Span {
    byte: u64,
    bit: u64,
    n_bytes: u64,
}

impl Span {
    /// Absolute bit position of the op's first bit.
    fn start(&self) -> u64 {
        self.byte * 8 + self.bit
    }
}

/// Resolves a (possibly negative) offset against a blob of `len` bytes.
fn locate(op: &Op, len: u64, exists: bool) -> Result<Span, u8> {
    let mut offset = op.offset;
    if offset < 0 {
        if !exists || offset.unsigned_abs() > len * 8 {
            return Err(rc::PARAMETER);
        }
        offset += (len * 8) as i64;
    }
    let offset = offset as u64;
    let bit = offset % 8;
    Ok(Span {
        byte: offset / 8,
        bit,
        n_bytes: (bit + op.size).div_ceil(8),
    })
}

fn get_bit(b: &[u8], i: u64) -> bool {
    (b[(i / 8) as usize] >> (7 - i % 8)) & 1 != 0
}

fn put_bit(b: &mut [u8], i: u64, v: bool) {
    let m = 0x80u8 >> (i % 8);
    let byte = &mut b[(i / 8) as usize];
    if v {
        *byte |= m;
    } else {
        *byte &= !m;
    }
}

/// Reads `size` (≤ 64) bits at bit `start` as an unsigned big-endian integer.
fn load(b: &[u8], start: u64, size: u64) -> u64 {
    (0..size).fold(0, |acc, i| (acc << 1) | get_bit(b, start + i) as u64)
}

/// Writes the low `size` bits of `v` at bit `start`.
fn store(b: &mut [u8], start: u64, size: u64, v: u64) {
    for i in 0..size {
        put_bit(b, start + i, (v >> (size - 1 - i)) & 1 != 0);
    }
}

fn mask(size: u64) -> u64 {
    u64::MAX >> (64 - size)
}

fn sign_extend(v: u64, size: u64) -> i64 {
    let lead = 64 - size;
    ((v << lead) as i64) >> lead
}

/// Applies a modify op; `Ok(None)` leaves the bin as it is.
fn modify(mut op: Op, old: Option<&[u8]>) -> Result<Option<Vec<u8>>, u8> {
    let old_data = old.unwrap_or(&[]);
    let len = old_data.len() as u64;
    let span = locate(&op, len, old.is_some())?;
    let (byte, n_bytes) = (span.byte as usize, span.n_bytes as usize);

    let new = match op.code {
        RESIZE => {
            let target = span.n_bytes as usize;
            let from_front = op.subflags & FROM_FRONT != 0;
            if target < old_data.len() {
                if op.subflags & GROW_ONLY != 0 {
                    return op.fail(rc::PARAMETER);
                }
                if from_front {
                    old_data[old_data.len() - target..].to_vec()
                } else {
                    old_data[..target].to_vec()
                }
            } else if target > old_data.len() {
                if op.subflags & SHRINK_ONLY != 0 {
                    return op.fail(rc::PARAMETER);
                }
                check_size(target as u64)?;
                let mut v = vec![0; target];
                if from_front {
                    v[target - old_data.len()..].copy_from_slice(old_data);
                } else {
                    v[..old_data.len()].copy_from_slice(old_data);
                }
                v
            } else {
                return Ok(None);
            }
        }
        INSERT => {
            let head = byte.min(old_data.len());
            check_size(span.byte.max(len) + op.buf.len() as u64)?;
            let mut v = Vec::with_capacity(byte.max(old_data.len()) + op.buf.len());
            v.extend_from_slice(&old_data[..head]);
            v.resize(byte, 0);
            v.extend_from_slice(op.buf);
            v.extend_from_slice(&old_data[head..]);
            v
        }
        REMOVE => {
            if span.byte >= len {
                return op.fail(rc::PARAMETER);
            }
            let end = if span.byte + span.n_bytes > len {
                if !op.partial() {
                    return op.fail(rc::PARAMETER);
                }
                old_data.len()
            } else {
                byte + n_bytes
            };
            let mut v = old_data[..byte].to_vec();
            v.extend_from_slice(&old_data[end..]);
            v
        }
        ADD | SUBTRACT | SET_INT => {
            if span.byte >= len || span.byte + span.n_bytes > len {
                return op.fail(rc::OP_NOT_APPLICABLE);
            }
            let mut v = old_data.to_vec();
            let Some(value) = int_op(&op, load(old_data, span.start(), op.size)) else {
                return op.fail(rc::OP_NOT_APPLICABLE);
            };
            store(&mut v, span.start(), op.size, value);
            v
        }
        _ => {
            // SET, OR, XOR, AND, NOT, LSHIFT, RSHIFT: overwrite bits in place.
            if span.byte >= len {
                return op.fail(rc::OP_NOT_APPLICABLE);
            }
            if span.byte + span.n_bytes > len {
                if !op.partial() {
                    return op.fail(rc::OP_NOT_APPLICABLE);
                }
                op.size = len * 8 - span.start();
            }
            let mut v = old_data.to_vec();
            bit_op(&op, span.start(), old_data, &mut v);
            v
        }
    };
    check_size(new.len() as u64)?;
    Ok(Some(new))
}

fn check_size(n: u64) -> Result<(), u8> {
    if n >= PROTO_SIZE_MAX {
        Err(rc::PARAMETER)
    } else {
        Ok(())
    }
}

/// SET / OR / XOR / AND / NOT / LSHIFT / RSHIFT over `op.size` bits at bit `start`.
fn bit_op(op: &Op, start: u64, old: &[u8], new: &mut [u8]) {
    let size = op.size;
    let n = op.value;
    for i in 0..size {
        let cur = get_bit(old, start + i);
        let arg = || get_bit(op.buf, i);
        let bit = match op.code {
            SET => arg(),
            OR => cur | arg(),
            XOR => cur ^ arg(),
            AND => cur & arg(),
            NOT => !cur,
            LSHIFT => i + n < size && get_bit(old, start + i + n),
            // RSHIFT
            _ => i >= n && get_bit(old, start + i - n),
        };
        put_bit(new, start + i, bit);
    }
}

/// ADD / SUBTRACT / SET_INT on a loaded value; `None` on a refused overflow.
fn int_op(op: &Op, loaded: u64) -> Option<u64> {
    let size = op.size;
    let m = mask(size);
    let value = op.value & m;
    let signed = op.subflags & SIGNED != 0;
    let saturate = op.subflags & SATURATE != 0;
    let wrap = op.subflags & WRAP != 0;
    let (result, operand) = match op.code {
        SET_INT => return Some(value),
        ADD => (loaded.wrapping_add(value) & m, value),
        _ => (loaded.wrapping_sub(value) & m, value.wrapping_neg()),
    };
    if wrap {
        return Some(result);
    }
    if signed {
        let (l, v, r) = (
            sign_extend(loaded, size),
            sign_extend(operand, size),
            sign_extend(result, size),
        );
        // As the server does it: an overflow is two operands of one sign giving a result
        // strictly of the other sign.
        if l < 0 && v < 0 && r > 0 {
            return saturate.then_some(1u64 << (size - 1));
        }
        if l > 0 && v > 0 && r < 0 {
            return saturate.then_some(m >> 1);
        }
        return Some(result);
    }
    let overflow = if op.code == ADD {
        result < loaded
    } else {
        result > loaded
    };
    if !overflow {
        Some(result)
    } else if saturate {
        Some(if op.code == ADD { m } else { 0 })
    } else {
        None
    }
}

fn int_result(i: i64) -> Particle {
    Particle {
        particle: particle::INTEGER,
        data: i.to_be_bytes().to_vec(),
    }
}

fn read_op(op: &Op, data: &[u8]) -> Result<Particle, u8> {
    let len = data.len() as u64;
    let span = locate(op, len, true)?;
    if span.byte >= len || span.byte + span.n_bytes > len {
        return Err(rc::OP_NOT_APPLICABLE);
    }
    let start = span.start();
    let size = op.size;
    Ok(match op.code {
        GET => {
            let mut out = vec![0u8; size.div_ceil(8) as usize];
            for i in 0..size {
                put_bit(&mut out, i, get_bit(data, start + i));
            }
            Particle {
                particle: particle::BLOB,
                data: out,
            }
        }
        COUNT => int_result((0..size).filter(|&i| get_bit(data, start + i)).count() as i64),
        LSCAN => {
            let want = op.value != 0;
            let found = (0..size).find(|&i| get_bit(data, start + i) == want);
            int_result(found.map_or(-1, |i| i as i64))
        }
        RSCAN => {
            // The server's backward scan does not stop at the op's first bit: it also looks at
            // the bits before it in the first byte, answering a negative offset if one matches.
            let want = op.value != 0;
            let first = span.byte * 8;
            let found = (first..start + size)
                .rev()
                .find(|&p| get_bit(data, p) == want);
            int_result(found.map_or(-1, |p| p as i64 - start as i64))
        }
        // GET_INT
        _ => {
            let v = load(data, start, size);
            int_result(if op.subflags & SIGNED != 0 {
                sign_extend(v, size)
            } else {
                v as i64
            })
        }
    })
}

#[cfg(test)]
mod tests;

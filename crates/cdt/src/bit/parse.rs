//! Reading a bit op's parameters: which ones each op takes, and their bounds.

use super::codes::*;
use crate::params::Params;
use crate::rc;
use crate::value::Value;

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
pub(super) struct Op<'a> {
    pub(super) code: i64,
    /// Bit offset (negative: from the end).
    pub(super) offset: i64,
    /// Bit count.
    pub(super) size: u64,
    /// Integer operand, shift amount or scanned-for bit.
    pub(super) value: u64,
    pub(super) buf: &'a [u8],
    pub(super) flags: u64,
    pub(super) subflags: u64,
}

impl Op<'_> {
    pub(super) fn no_fail(&self) -> bool {
        self.flags & NO_FAIL != 0
    }
    pub(super) fn partial(&self) -> bool {
        self.flags & PARTIAL != 0
    }
    /// A failure that NO_FAIL turns into a silent no-op.
    pub(super) fn fail<T>(&self, code: u8) -> Result<Option<T>, u8> {
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

pub(super) fn parse<'a>(p: &'a Params, read: bool) -> Result<Op<'a>, u8> {
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

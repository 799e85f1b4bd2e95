//! Bitwise operations, by their wire codes (wire protocol reference §7.4).

use aerospike::operations::bitwise::{
    self, BitPolicy, BitwiseOverflowActions, BitwiseResizeFlags, BitwiseWriteFlags,
};
use aerospike::operations::Operation;
use aerospike::Value;

use super::args::{flag, int};
use crate::codec::{CodecError, Reader};

const RESIZE: u8 = 0;
const INSERT: u8 = 1;
const REMOVE: u8 = 2;
const SET: u8 = 3;
const OR: u8 = 4;
const XOR: u8 = 5;
const AND: u8 = 6;
const NOT: u8 = 7;
const LSHIFT: u8 = 8;
const RSHIFT: u8 = 9;
const ADD: u8 = 10;
const SUBTRACT: u8 = 11;
const SET_INT: u8 = 12;
const GET: u8 = 50;
const COUNT: u8 = 51;
const LSCAN: u8 = 52;
const RSCAN: u8 = 53;
const GET_INT: u8 = 54;

fn bytes(r: &mut Reader<'_>) -> Result<Value, CodecError> {
    Ok(Value::Blob(r.bytes()?.to_vec()))
}

fn overflow(v: u8) -> Result<BitwiseOverflowActions, CodecError> {
    match v {
        0 => Ok(BitwiseOverflowActions::Fail),
        2 => Ok(BitwiseOverflowActions::Saturate),
        4 => Ok(BitwiseOverflowActions::Wrap),
        _ => Err(CodecError("unknown overflow action")),
    }
}

/// Reads the bitwise operation of wire code `code`.
pub fn op(code: u8, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    // Arguments first; the write flags close every bitwise operation.
    enum Args {
        Resize(i64, u8),
        Bytes(i64, Value),
        Range(i64, i64),
        RangeBytes(i64, i64, Value),
        Shift(i64, i64, i64),
        Arith(i64, i64, i64, bool, BitwiseOverflowActions),
        RangeInt(i64, i64, i64),
        RangeBool(i64, i64, bool),
    }
    let args = match code {
        RESIZE => Args::Resize(int(r)?, r.u8()?),
        INSERT => Args::Bytes(int(r)?, bytes(r)?),
        REMOVE | NOT | GET | COUNT => Args::Range(int(r)?, int(r)?),
        SET | OR | XOR | AND => Args::RangeBytes(int(r)?, int(r)?, bytes(r)?),
        LSHIFT | RSHIFT => Args::Shift(int(r)?, int(r)?, int(r)?),
        ADD | SUBTRACT => Args::Arith(int(r)?, int(r)?, int(r)?, flag(r)?, overflow(r.u8()?)?),
        SET_INT => Args::RangeInt(int(r)?, int(r)?, int(r)?),
        LSCAN | RSCAN | GET_INT => Args::RangeBool(int(r)?, int(r)?, flag(r)?),
        _ => return Err(CodecError("unknown bitwise operation")),
    };
    let p = BitPolicy::new(BitwiseWriteFlags::from_bits(r.u8()?));
    Ok(match (code, args) {
        (RESIZE, Args::Resize(size, flags)) => {
            bitwise::resize(bin, size, BitwiseResizeFlags::from_bits(flags), &p)
        }
        (INSERT, Args::Bytes(offset, v)) => bitwise::insert(bin, offset, v, &p),
        (REMOVE, Args::Range(offset, size)) => bitwise::remove(bin, offset, size, &p),
        (SET, Args::RangeBytes(o, n, v)) => bitwise::set(bin, o, n, v, &p),
        (OR, Args::RangeBytes(o, n, v)) => bitwise::or(bin, o, n, v, &p),
        (XOR, Args::RangeBytes(o, n, v)) => bitwise::xor(bin, o, n, v, &p),
        (AND, Args::RangeBytes(o, n, v)) => bitwise::and(bin, o, n, v, &p),
        (NOT, Args::Range(o, n)) => bitwise::not(bin, o, n, &p),
        (LSHIFT, Args::Shift(o, n, s)) => bitwise::lshift(bin, o, n, s, &p),
        (RSHIFT, Args::Shift(o, n, s)) => bitwise::rshift(bin, o, n, s, &p),
        (ADD, Args::Arith(o, n, v, signed, action)) => {
            bitwise::add(bin, o, n, v, signed, action, &p)
        }
        (SUBTRACT, Args::Arith(o, n, v, signed, action)) => {
            bitwise::subtract(bin, o, n, v, signed, action, &p)
        }
        (SET_INT, Args::RangeInt(o, n, v)) => bitwise::set_int(bin, o, n, v, &p),
        (GET, Args::Range(o, n)) => bitwise::get(bin, o, n),
        (COUNT, Args::Range(o, n)) => bitwise::count(bin, o, n),
        (LSCAN, Args::RangeBool(o, n, v)) => bitwise::lscan(bin, o, n, v),
        (RSCAN, Args::RangeBool(o, n, v)) => bitwise::rscan(bin, o, n, v),
        (GET_INT, Args::RangeBool(o, n, signed)) => bitwise::get_int(bin, o, n, signed),
        _ => return Err(CodecError("unknown bitwise operation")),
    })
}

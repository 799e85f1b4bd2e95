//! Expressions: the filter expression of a policy and the expression operations of `operate()`.
//!
//! The facade (`src/exp/`) packs expressions into their wire form itself, so here they are
//! passed to the crate as packed bytes (`from_packed_bytes`) and sent unchanged; the server
//! judges them.

use aerospike::expressions::{from_packed_bytes, Expression};
use aerospike::operations::exp::{read_exp, write_exp, ExpReadFlags, ExpWriteFlags};
use aerospike::operations::Operation;

use crate::codec::{CodecError, Reader};

/// Operation kind code of an expression operation (after the list, map, bit and HLL ones).
pub const EXP: u8 = 13;

/// Reads an optional filter expression: `u8 0`, or `u8 1` and the packed expression.
pub(crate) fn read_filter(r: &mut Reader<'_>) -> Result<Option<Expression>, CodecError> {
    match r.u8()? {
        0 => Ok(None),
        1 => Ok(Some(from_packed_bytes(r.bytes()?.to_vec()))),
        _ => Err(CodecError("filter expression")),
    }
}

/// One expression operation: the crate's operation and the name its answer appears under.
pub struct ExpOp {
    pub op: Operation,
    pub bin: String,
}

/// Reads an expression operation: `u8 0 read / 1 write, str bin, u32 flags, bytes expression`.
pub fn read_exp_op(r: &mut Reader<'_>) -> Result<ExpOp, CodecError> {
    let write = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(CodecError("unknown expression operation")),
    };
    let bin = r.str()?.to_owned();
    let flags = i64::from(r.u32()?);
    let exp = from_packed_bytes(r.bytes()?.to_vec());
    let op = if write {
        write_exp(bin.clone(), exp, ExpWriteFlags::from_bits(flags))
    } else {
        read_exp(bin.clone(), exp, ExpReadFlags::from_bits(flags))
    };
    Ok(ExpOp { op, bin })
}

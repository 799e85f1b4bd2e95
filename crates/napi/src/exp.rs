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

/// Reads what expression and path operations start with: `u8 0 read / 1 write, str bin,
/// u32 flags`.
pub fn read_op_head(r: &mut Reader<'_>) -> Result<(bool, String, i64), CodecError> {
    let write = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(CodecError("unknown expression or path operation")),
    };
    let bin = r.str()?.to_owned();
    Ok((write, bin, i64::from(r.u32()?)))
}

/// Reads an expression operation: its head (see [`read_op_head`]), then `bytes expression`.
pub fn read_exp_op(r: &mut Reader<'_>) -> Result<ExpOp, CodecError> {
    let (write, bin, flags) = read_op_head(r)?;
    let exp = from_packed_bytes(r.bytes()?.to_vec());
    let op = if write {
        write_exp(bin.clone(), exp, ExpWriteFlags::from_bits(flags))
    } else {
        read_exp(bin.clone(), exp, ExpReadFlags::from_bits(flags))
    };
    Ok(ExpOp { op, bin })
}

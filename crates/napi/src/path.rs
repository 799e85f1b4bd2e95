//! Path operations of `operate()` (`operations.selectByPath` / `modifyByPath`, server 8.1+): a
//! CDT read or modify that reaches its nodes through a path context (which may select several
//! children at a level) and, for a modify, gives each node the value of an expression.
//!
//! The facade (`src/path_operations.ts`) packs the context and the expression itself; they are
//! handed to the crate as bytes and sent unchanged, for the server to judge.

use aerospike::expressions::from_packed_bytes;
use aerospike::operations::cdt_context::ctx_from_bytes;
use aerospike::operations::path::{modify_by_path, select_by_path, ModifyFlag, SelectFlag};

use crate::codec::{CodecError, Reader};
use crate::exp::ExpOp;

/// Operation kind code of a path operation (after the expression one).
pub const PATH: u8 = 14;

/// Reads a path operation: `u8 0 select / 1 modify, str bin, u32 flags, bytes context`, and for
/// a modify `bytes expression`.
pub fn read_path_op(r: &mut Reader<'_>) -> Result<ExpOp, CodecError> {
    let (modify, bin, flags) = crate::exp::read_op_head(r)?;
    let ctx = ctx_from_bytes(r.bytes()?).map_err(|_| CodecError("path context"))?;
    let op = if modify {
        let exp = from_packed_bytes(r.bytes()?.to_vec());
        modify_by_path(bin.clone(), ModifyFlag::from_bits(flags), exp, &ctx)
    } else {
        select_by_path(bin.clone(), SelectFlag::from_bits(flags), &ctx)
    };
    Ok(ExpOp { op, bin })
}

//! List, map, bitwise and HyperLogLog operations of an `operate()` request: decodes what
//! `src/lists.ts`, `src/maps.ts`, `src/bitwise.ts` and `src/hll.ts` encode and builds the
//! `aerospike` crate's operations from its public builder functions.
//!
//! Every operation starts with `u8 code, str bin`, the code being the operation's code on the
//! wire (wire protocol reference §7.2; list APPEND is 1, map PUT 67, bit GET 50), so the
//! facade, the expression builders and the server share one numbering. List and map operations
//! then carry their context (`u8 n`, then per level `u8 type | create flags` and a value),
//! bitwise and HLL ones end with `u8 write flags`. Integers are i64, optional integers
//! `u8 present` + i64, values tagged (see `codec.rs`). The facade validates arguments; a
//! request that still does not fit is a `CodecError`, never a panic.

mod args;
mod bit;
mod context;
mod hll;
mod list;
mod map;
mod select;

use aerospike::operations::Operation;

use crate::codec::{CodecError, Reader};

/// Operation kind codes of the request format (after the scalar ones, 0–8).
pub const LIST: u8 = 9;
pub const MAP: u8 = 10;
pub const BIT: u8 = 11;
pub const HLL: u8 = 12;

/// How an operation's answer appears in the record `operate()` resolves with, following the
/// official client (whose C core asks the server for every op's answer only when a map, bit or
/// HLL operation is present).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Report {
    /// A plain write: shown (as null) only when the command reports every op.
    Silent,
    /// A read or list operation: shown unless its answer is nil, or always when the command
    /// reports every op.
    Value,
    /// A map, bit or HLL operation: always shown, and makes the command report every op.
    Always,
}

/// One decoded operation: the crate's operation, its bin, and how its answer is reported.
pub struct CdtOp {
    pub op: Operation,
    pub bin: String,
    pub report: Report,
}

/// Reads one list, map, bitwise or HLL operation of kind `kind`.
pub fn read_cdt_op(kind: u8, r: &mut Reader<'_>) -> Result<CdtOp, CodecError> {
    let code = r.u8()?;
    let bin = r.str()?.to_owned();
    let (op, report) = match kind {
        LIST => {
            let ctx = context::read_context(r)?;
            (list::op(code, bin.clone(), ctx, r)?, Report::Value)
        }
        MAP => {
            let ctx = context::read_context(r)?;
            (map::op(code, bin.clone(), ctx, r)?, Report::Always)
        }
        BIT => (bit::op(code, bin.clone(), r)?, Report::Always),
        HLL => (hll::op(code, bin.clone(), r)?, Report::Always),
        _ => return Err(CodecError("unknown operation")),
    };
    Ok(CdtOp { op, bin, report })
}

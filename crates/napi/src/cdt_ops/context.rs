//! The context of a nested list or map operation.

use aerospike::operations::cdt_context::{
    ctx_list_index, ctx_list_index_create, ctx_list_rank, ctx_list_value, ctx_map_index,
    ctx_map_key, ctx_map_key_create, ctx_map_rank, ctx_map_value,
};
use aerospike::operations::{CdtContext, MapOrder};
use aerospike::{ListOrderType, Value};

use crate::codec::{CodecError, Reader};

fn position(v: &Value) -> Result<i64, CodecError> {
    match v {
        Value::Int(i) => Ok(*i),
        _ => Err(CodecError("context position must be an integer")),
    }
}

/// Reads a context: `u8 n`, then `n` (type, value) levels.
pub fn read_context(r: &mut Reader<'_>) -> Result<Vec<CdtContext>, CodecError> {
    let n = r.u8()? as usize;
    let mut ctx = Vec::with_capacity(n);
    for _ in 0..n {
        let ty = r.u8()?;
        let value = r.value()?;
        let pos = || position(&value);
        let level = match (ty & 0x3f, ty & 0xc0) {
            (0x10, 0) => ctx_list_index(pos()?),
            (0x10, flags) => {
                let (order, pad) = match flags {
                    0x40 => (ListOrderType::Unordered, false),
                    0x80 => (ListOrderType::Unordered, true),
                    _ => (ListOrderType::Ordered, false),
                };
                ctx_list_index_create(pos()?, order, pad)
            }
            (0x11, 0) => ctx_list_rank(pos()?),
            (0x13, 0) => ctx_list_value(value),
            (0x20, 0) => ctx_map_index(pos()?),
            (0x21, 0) => ctx_map_rank(pos()?),
            (0x22, 0) => ctx_map_key(value),
            (0x22, flags) => {
                let order = match flags {
                    0x40 => MapOrder::Unordered,
                    0x80 => MapOrder::KeyOrdered,
                    _ => MapOrder::KeyValueOrdered,
                };
                ctx_map_key_create(value, order)
            }
            (0x23, 0) => ctx_map_value(value),
            _ => return Err(CodecError("unknown context type")),
        };
        ctx.push(level);
    }
    Ok(ctx)
}

//! The argument shapes CDT operations share: integers, optional integers, flags, lists,
//! return types and orders.

use aerospike::operations::MapOrder;
use aerospike::{ListOrderType, ListReturnType, MapReturnType, Value};

use crate::codec::{CodecError, Reader};

pub fn int(r: &mut Reader<'_>) -> Result<i64, CodecError> {
    r.i64()
}

/// `u8 0`, or `u8 1` and an i64.
pub fn opt_int(r: &mut Reader<'_>) -> Result<Option<i64>, CodecError> {
    Ok(match r.u8()? {
        0 => None,
        _ => Some(r.i64()?),
    })
}

pub fn flag(r: &mut Reader<'_>) -> Result<bool, CodecError> {
    Ok(r.u8()? != 0)
}

/// A value that must be a list.
pub fn list(r: &mut Reader<'_>) -> Result<Vec<Value>, CodecError> {
    match r.value()? {
        Value::List(items) => Ok(items),
        _ => Err(CodecError("expected a list")),
    }
}

pub fn list_return(r: &mut Reader<'_>) -> Result<ListReturnType, CodecError> {
    Ok(ListReturnType::from_bits(r.i64()?))
}

pub fn map_return(r: &mut Reader<'_>) -> Result<MapReturnType, CodecError> {
    Ok(MapReturnType::from_bits(r.i64()?))
}

pub fn list_order(v: u8) -> Result<ListOrderType, CodecError> {
    match v {
        0 => Ok(ListOrderType::Unordered),
        1 => Ok(ListOrderType::Ordered),
        _ => Err(CodecError("unknown list order")),
    }
}

pub fn map_order(v: u8) -> Result<MapOrder, CodecError> {
    match v {
        0 => Ok(MapOrder::Unordered),
        1 => Ok(MapOrder::KeyOrdered),
        3 => Ok(MapOrder::KeyValueOrdered),
        _ => Err(CodecError("unknown map order")),
    }
}

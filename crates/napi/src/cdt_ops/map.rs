//! Map operations, by their wire codes (`aerospike_cdt::map`).

use aerospike::operations::{maps, CdtContext, Operation};
use aerospike::{IndexMap, MapPolicy, MapReturnType, MapWriteFlags, Value};
use aerospike_cdt::map::{
    CLEAR, DECREMENT, GET_ALL_BY_VALUE, GET_BY_INDEX, GET_BY_INDEX_RANGE, GET_BY_KEY,
    GET_BY_KEY_INTERVAL, GET_BY_KEY_LIST, GET_BY_KEY_REL_INDEX_RANGE, GET_BY_RANK,
    GET_BY_RANK_RANGE, GET_BY_VALUE_INTERVAL, GET_BY_VALUE_LIST, GET_BY_VALUE_REL_RANK_RANGE,
    INCREMENT, PUT, PUT_ITEMS, REMOVE_ALL_BY_VALUE, REMOVE_BY_INDEX, REMOVE_BY_INDEX_RANGE,
    REMOVE_BY_KEY, REMOVE_BY_KEY_INTERVAL, REMOVE_BY_KEY_LIST, REMOVE_BY_KEY_REL_INDEX_RANGE,
    REMOVE_BY_RANK, REMOVE_BY_RANK_RANGE, REMOVE_BY_VALUE_INTERVAL, REMOVE_BY_VALUE_LIST,
    REMOVE_BY_VALUE_REL_RANK_RANGE, SET_TYPE, SIZE,
};

use super::args::{flag, map_order, map_return};
use super::select::{self, Entry, Selection, Shape};
use crate::codec::{CodecError, Reader};

/// Every map selection: wire code, shape of its arguments, whether it removes.
const SELECTIONS: [Entry; 24] = [
    (GET_BY_KEY, Shape::Key, false),
    (GET_BY_KEY_LIST, Shape::Keys, false),
    (GET_BY_KEY_INTERVAL, Shape::KeyRange, false),
    (GET_BY_KEY_REL_INDEX_RANGE, Shape::KeyRel, false),
    (GET_ALL_BY_VALUE, Shape::Value, false),
    (GET_BY_VALUE_LIST, Shape::Values, false),
    (GET_BY_VALUE_INTERVAL, Shape::ValueRange, false),
    (GET_BY_VALUE_REL_RANK_RANGE, Shape::ValueRel, false),
    (GET_BY_INDEX, Shape::Index, false),
    (GET_BY_INDEX_RANGE, Shape::IndexRange, false),
    (GET_BY_RANK, Shape::Rank, false),
    (GET_BY_RANK_RANGE, Shape::RankRange, false),
    (REMOVE_BY_KEY, Shape::Key, true),
    (REMOVE_BY_KEY_LIST, Shape::Keys, true),
    (REMOVE_BY_KEY_INTERVAL, Shape::KeyRange, true),
    (REMOVE_BY_KEY_REL_INDEX_RANGE, Shape::KeyRel, true),
    (REMOVE_ALL_BY_VALUE, Shape::Value, true),
    (REMOVE_BY_VALUE_LIST, Shape::Values, true),
    (REMOVE_BY_VALUE_INTERVAL, Shape::ValueRange, true),
    (REMOVE_BY_VALUE_REL_RANK_RANGE, Shape::ValueRel, true),
    (REMOVE_BY_INDEX, Shape::Index, true),
    (REMOVE_BY_INDEX_RANGE, Shape::IndexRange, true),
    (REMOVE_BY_RANK, Shape::Rank, true),
    (REMOVE_BY_RANK_RANGE, Shape::RankRange, true),
];

/// Reads a map policy: `u8 order, u8 write flags`.
fn map_policy(r: &mut Reader<'_>) -> Result<MapPolicy, CodecError> {
    let order = map_order(r.u8()?)?;
    Ok(MapPolicy::new(order, MapWriteFlags::from_bits(r.u8()?)))
}

/// Reads the map operation of wire code `code`.
pub fn op(
    code: u8,
    bin: String,
    ctx: Vec<CdtContext>,
    r: &mut Reader<'_>,
) -> Result<Operation, CodecError> {
    let code = i64::from(code);
    let op = if let Some((sel, remove)) = select::read(&SELECTIONS, code, r)? {
        selection(bin, sel, map_return(r)?, remove)?
    } else if code == SET_TYPE {
        // Both forms take the context themselves (a create at a nested position is encoded
        // differently from a top-level one). `u8 0, policy` sets the policy; `u8 1, u8 order,
        // u8 persist` creates the map.
        return Ok(if !flag(r)? {
            maps::set_policy(&map_policy(r)?, bin, ctx)
        } else {
            let order = map_order(r.u8()?)?;
            if flag(r)? && ctx.is_empty() {
                maps::create_with_index(bin, order)
            } else {
                maps::create(bin, order, ctx)
            }
        });
    } else {
        modify(code, bin, r)?
    };
    Ok(if ctx.is_empty() { op } else { op.context(ctx) })
}

/// The get (or with `remove`, the remove) form of a selection.
fn selection(
    bin: String,
    sel: Selection,
    rt: MapReturnType,
    remove: bool,
) -> Result<Operation, CodecError> {
    use Selection as S;
    Ok(match (sel, remove) {
        (S::Key(k), false) => maps::get_by_key(bin, k, rt),
        (S::Key(k), true) => maps::remove_by_key(bin, k, rt),
        (S::Keys(ks), false) => maps::get_by_key_list(bin, ks, rt),
        (S::Keys(ks), true) => maps::remove_by_key_list(bin, ks, rt),
        (S::KeyRange(b, e), false) => maps::get_by_key_range(bin, b, e, rt),
        (S::KeyRange(b, e), true) => maps::remove_by_key_range(bin, b, e, rt),
        (S::KeyRel(k, i, Some(n)), false) => {
            maps::get_by_key_relative_index_range_count(bin, k, i, n, rt)
        }
        (S::KeyRel(k, i, Some(n)), true) => {
            maps::remove_by_key_relative_index_range_count(bin, k, i, n, rt)
        }
        (S::KeyRel(k, i, None), false) => maps::get_by_key_relative_index_range(bin, k, i, rt),
        (S::KeyRel(k, i, None), true) => maps::remove_by_key_relative_index_range(bin, k, i, rt),
        (S::Value(v), false) => maps::get_by_value(bin, v, rt),
        (S::Value(v), true) => maps::remove_by_value(bin, v, rt),
        (S::Values(vs), false) => maps::get_by_value_list(bin, vs, rt),
        (S::Values(vs), true) => maps::remove_by_value_list(bin, vs, rt),
        (S::ValueRange(b, e), false) => maps::get_by_value_range(bin, b, e, rt),
        (S::ValueRange(b, e), true) => maps::remove_by_value_range(bin, b, e, rt),
        (S::ValueRel(v, k, Some(n)), false) => {
            maps::get_by_value_relative_rank_range_count(bin, v, k, n, rt)
        }
        (S::ValueRel(v, k, Some(n)), true) => {
            maps::remove_by_value_relative_rank_range_count(bin, v, k, n, rt)
        }
        (S::ValueRel(v, k, None), false) => maps::get_by_value_relative_rank_range(bin, v, k, rt),
        (S::ValueRel(v, k, None), true) => maps::remove_by_value_relative_rank_range(bin, v, k, rt),
        (S::Index(i), false) => maps::get_by_index(bin, i, rt),
        (S::Index(i), true) => maps::remove_by_index(bin, i, rt),
        (S::IndexRange(i, Some(n)), false) => maps::get_by_index_range(bin, i, n, rt),
        (S::IndexRange(i, Some(n)), true) => maps::remove_by_index_range(bin, i, n, rt),
        (S::IndexRange(i, None), false) => maps::get_by_index_range_from(bin, i, rt),
        (S::IndexRange(i, None), true) => maps::remove_by_index_range_from(bin, i, rt),
        (S::Rank(k), false) => maps::get_by_rank(bin, k, rt),
        (S::Rank(k), true) => maps::remove_by_rank(bin, k, rt),
        (S::RankRange(k, Some(n)), false) => maps::get_by_rank_range(bin, k, n, rt),
        (S::RankRange(k, Some(n)), true) => maps::remove_by_rank_range(bin, k, n, rt),
        (S::RankRange(k, None), false) => maps::get_by_rank_range_from(bin, k, rt),
        (S::RankRange(k, None), true) => maps::remove_by_rank_range_from(bin, k, rt),
    })
}

/// The map writes and `size`.
fn modify(code: i64, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    Ok(match code {
        PUT => {
            let (k, v) = (r.value()?, r.value()?);
            let p = map_policy(r)?;
            if v.is_nil() {
                // The crate's `put` drops a nil value (the order byte would then be read as
                // the value); a one-entry `put_items` is the same operation on the server.
                let mut one = IndexMap::default();
                one.insert(k, v);
                maps::put_items(&p, bin, one)
            } else {
                maps::put(&p, bin, k, v)
            }
        }
        PUT_ITEMS => {
            let items = match r.value()? {
                Value::SortedMap(m) => m,
                _ => return Err(CodecError("expected a map")),
            };
            maps::put_items(&map_policy(r)?, bin, items)
        }
        INCREMENT => {
            let (k, by) = (r.value()?, r.value()?);
            maps::increment_value(&map_policy(r)?, bin, k, by)
        }
        DECREMENT => {
            let (k, by) = (r.value()?, r.value()?);
            maps::decrement_value(&map_policy(r)?, bin, k, by)
        }
        CLEAR => maps::clear(bin),
        SIZE => maps::size(bin),
        _ => return Err(CodecError("unknown map operation")),
    })
}

//! List operations, by their wire codes (`aerospike_cdt::list`).

use aerospike::operations::{lists, CdtContext, Operation};
use aerospike::{ListOrderType, ListPolicy, ListReturnType, ListSortFlags, ListWriteFlags};
use aerospike_cdt::list::{
    APPEND, APPEND_ITEMS, CLEAR, GET, GET_ALL_BY_VALUE, GET_BY_INDEX, GET_BY_INDEX_RANGE,
    GET_BY_RANK, GET_BY_RANK_RANGE, GET_BY_VALUE_INTERVAL, GET_BY_VALUE_LIST,
    GET_BY_VALUE_REL_RANK_RANGE, GET_RANGE, INCREMENT, INSERT, INSERT_ITEMS, POP, POP_RANGE,
    REMOVE, REMOVE_BY_INDEX, REMOVE_RANGE, SET, SET_TYPE, SIZE, SORT, TRIM,
};

use super::args::{flag, int, list, list_order, list_return, opt_int};
use super::select::{self, Entry, Selection, Shape};
use crate::codec::{CodecError, Reader};

/// The server reads a remove selection's code as its get code plus this.
const REMOVE_OFFSET: i64 = REMOVE_BY_INDEX - GET_BY_INDEX;

/// Every list selection: wire code, shape of its arguments, whether it removes.
const SELECTIONS: [Entry; 16] = [
    (GET_BY_INDEX, Shape::Index, false),
    (GET_BY_INDEX_RANGE, Shape::IndexRange, false),
    (GET_ALL_BY_VALUE, Shape::Value, false),
    (GET_BY_VALUE_LIST, Shape::Values, false),
    (GET_BY_VALUE_INTERVAL, Shape::ValueRange, false),
    (GET_BY_VALUE_REL_RANK_RANGE, Shape::ValueRel, false),
    (GET_BY_RANK, Shape::Rank, false),
    (GET_BY_RANK_RANGE, Shape::RankRange, false),
    (GET_BY_INDEX + REMOVE_OFFSET, Shape::Index, true),
    (GET_BY_INDEX_RANGE + REMOVE_OFFSET, Shape::IndexRange, true),
    (GET_ALL_BY_VALUE + REMOVE_OFFSET, Shape::Value, true),
    (GET_BY_VALUE_LIST + REMOVE_OFFSET, Shape::Values, true),
    (
        GET_BY_VALUE_INTERVAL + REMOVE_OFFSET,
        Shape::ValueRange,
        true,
    ),
    (
        GET_BY_VALUE_REL_RANK_RANGE + REMOVE_OFFSET,
        Shape::ValueRel,
        true,
    ),
    (GET_BY_RANK + REMOVE_OFFSET, Shape::Rank, true),
    (GET_BY_RANK_RANGE + REMOVE_OFFSET, Shape::RankRange, true),
];

/// Reads an optional list policy: `u8 0`, or `u8 1, u8 order, u8 write flags`.
fn list_policy(r: &mut Reader<'_>) -> Result<Option<ListPolicy>, CodecError> {
    if r.u8()? == 0 {
        return Ok(None);
    }
    let order = list_order(r.u8()?)?;
    let flags = ListWriteFlags::from_bits(r.u8()?);
    Ok(Some(ListPolicy::new(order, flags)))
}

/// A list policy, the default one when absent.
fn policy(r: &mut Reader<'_>) -> Result<ListPolicy, CodecError> {
    Ok(list_policy(r)?.unwrap_or_default())
}

/// Reads the list operation of wire code `code`.
pub fn op(
    code: u8,
    bin: String,
    ctx: Vec<CdtContext>,
    r: &mut Reader<'_>,
) -> Result<Operation, CodecError> {
    let code = i64::from(code);
    let op = if let Some((sel, remove)) = select::read(&SELECTIONS, code, r)? {
        selection(bin, sel, list_return(r)?, remove)?
    } else {
        modify_or_read(code, bin, r)?
    };
    Ok(if ctx.is_empty() { op } else { op.context(ctx) })
}

/// The get (or with `remove`, the remove) form of a selection.
fn selection(
    bin: String,
    sel: Selection,
    rt: ListReturnType,
    remove: bool,
) -> Result<Operation, CodecError> {
    use Selection as S;
    Ok(match (sel, remove) {
        (S::Index(i), false) => lists::get_by_index(bin, i, rt),
        (S::Index(i), true) => lists::remove_by_index(bin, i, rt),
        (S::IndexRange(i, Some(n)), false) => lists::get_by_index_range_count(bin, i, n, rt),
        (S::IndexRange(i, Some(n)), true) => lists::remove_by_index_range_count(bin, i, n, rt),
        (S::IndexRange(i, None), false) => lists::get_by_index_range(bin, i, rt),
        (S::IndexRange(i, None), true) => lists::remove_by_index_range(bin, i, rt),
        (S::Value(v), false) => lists::get_by_value(bin, v, rt),
        (S::Value(v), true) => lists::remove_by_value(bin, v, rt),
        (S::Values(vs), false) => lists::get_by_value_list(bin, vs, rt),
        (S::Values(vs), true) => lists::remove_by_value_list(bin, vs, rt),
        (S::ValueRange(b, e), false) => lists::get_by_value_range(bin, b, e, rt),
        (S::ValueRange(b, e), true) => lists::remove_by_value_range(bin, rt, b, e),
        (S::ValueRel(v, k, Some(n)), false) => {
            lists::get_by_value_relative_rank_range_count(bin, v, k, n, rt)
        }
        (S::ValueRel(v, k, Some(n)), true) => {
            lists::remove_by_value_relative_rank_range_count(bin, rt, v, k, n)
        }
        (S::ValueRel(v, k, None), false) => lists::get_by_value_relative_rank_range(bin, v, k, rt),
        (S::ValueRel(v, k, None), true) => {
            lists::remove_by_value_relative_rank_range(bin, rt, v, k)
        }
        (S::Rank(k), false) => lists::get_by_rank(bin, k, rt),
        (S::Rank(k), true) => lists::remove_by_rank(bin, k, rt),
        (S::RankRange(k, Some(n)), false) => lists::get_by_rank_range_count(bin, k, n, rt),
        (S::RankRange(k, Some(n)), true) => lists::remove_by_rank_range_count(bin, k, n, rt),
        (S::RankRange(k, None), false) => lists::get_by_rank_range(bin, k, rt),
        (S::RankRange(k, None), true) => lists::remove_by_rank_range(bin, k, rt),
        _ => return Err(CodecError("not a list selection")),
    })
}

/// The list operations other than selections.
fn modify_or_read(code: i64, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    Ok(match code {
        // `u8 0, u8 order` sets the order; `u8 1, u8 order, u8 pad, u8 persist` creates the
        // list (the crate encodes the two differently, the wire code is the same).
        SET_TYPE => match (flag(r)?, list_order(r.u8()?)?) {
            (false, order) => lists::set_order(bin, order),
            (true, order) => {
                let (pad, persist) = (flag(r)?, flag(r)?);
                lists::create_persistent(bin, order, pad, persist)
            }
        },
        SORT => lists::sort(bin, ListSortFlags::from_bits(r.u8()?)),
        APPEND => {
            let v = r.value()?;
            lists::append(&policy(r)?, bin, v)
        }
        APPEND_ITEMS => {
            let items = list(r)?;
            lists::append_items(&policy(r)?, bin, items)
        }
        INSERT => {
            let (i, v) = (int(r)?, r.value()?);
            lists::insert(&policy(r)?, bin, i, v)
        }
        INSERT_ITEMS => {
            let (i, items) = (int(r)?, list(r)?);
            lists::insert_items(&policy(r)?, bin, i, items)
        }
        POP => lists::pop(bin, int(r)?),
        POP_RANGE => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::pop_range(bin, i, n),
            (i, None) => lists::pop_range_from(bin, i),
        },
        REMOVE => lists::remove(bin, int(r)?),
        REMOVE_RANGE => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::remove_range(bin, i, n),
            (i, None) => lists::remove_range_from(bin, i),
        },
        CLEAR => lists::clear(bin),
        SET => {
            let (i, v) = (int(r)?, r.value()?);
            // The crate asserts on nil (the facade refuses it first).
            if v.is_nil() {
                return Err(CodecError("lists.set value must not be nil"));
            }
            match list_policy(r)? {
                Some(p) => lists::set_with_policy(&p, bin, i, v),
                None => lists::set(bin, i, v),
            }
        }
        TRIM => {
            let (i, n) = (int(r)?, int(r)?);
            lists::trim(bin, i, n)
        }
        GET => lists::get(bin, int(r)?),
        GET_RANGE => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::get_range(bin, i, n),
            (i, None) => lists::get_range_from(bin, i),
        },
        INCREMENT => increment(bin, r)?,
        SIZE => lists::size(bin),
        _ => return Err(CodecError("unknown list operation")),
    })
}

/// `lists.increment`. The server reads its arguments as `index, delta, order, write flags`;
/// the crate's `increment` sends `index, delta, <write flags>` (the flags land in the order
/// slot), and only `increment_by_one_with_policy` sends both. So: a delta of 1 with a policy
/// goes through the latter; any other delta puts the policy's order in the crate's flags slot,
/// which is the order slot on the wire (the facade refuses write flags with such a delta).
fn increment(bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    let index = int(r)?;
    let delta = opt_int(r)?;
    let policy = list_policy(r)?;
    Ok(match (delta, policy) {
        (None | Some(1), Some(p)) => lists::increment_by_one_with_policy(&p, bin, index),
        (None, None) => lists::increment_by_one(bin, index),
        (Some(d), p) => {
            if p.is_some_and(|p| p.flags != ListWriteFlags::DEFAULT) {
                return Err(CodecError("list increment write flags need a delta of 1"));
            }
            let order = p.map_or(0, |p| p.attributes as u8);
            let wire = ListPolicy::new(ListOrderType::Unordered, ListWriteFlags::from_bits(order));
            lists::increment(&wire, bin, index, d)
        }
    })
}

//! List, map, bitwise and HyperLogLog operations of an `operate()` request: decodes what
//! `src/lists.ts`, `src/maps.ts`, `src/bitwise.ts` and `src/hll.ts` encode and builds the
//! `aerospike` crate's operations from its public builder functions.
//!
//! Every operation starts with `u8 code, str bin`; list and map operations then carry their
//! context (`u8 n`, then per level `u8 type | create flags` and a value), bitwise and HLL ones end
//! with `u8 write flags`. Integers are i64, optional integers `u8 present` + i64, values tagged
//! (see `codec.rs`). The facade validates arguments; a request that still does not fit is a
//! `CodecError`, never a panic.

use aerospike::operations::bitwise::{
    self, BitPolicy, BitwiseOverflowActions, BitwiseResizeFlags, BitwiseWriteFlags,
};
use aerospike::operations::cdt_context::{
    ctx_list_index, ctx_list_index_create, ctx_list_rank, ctx_list_value, ctx_map_index,
    ctx_map_key, ctx_map_key_create, ctx_map_rank, ctx_map_value,
};
use aerospike::operations::hll::{self, HllPolicy, HllWriteFlags};
use aerospike::operations::{lists, maps, CdtContext, MapOrder, Operation};
use aerospike::{
    IndexMap, ListOrderType, ListPolicy, ListReturnType, ListSortFlags, ListWriteFlags, MapPolicy,
    MapReturnType, MapWriteFlags, Value,
};

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
            let ctx = read_context(r)?;
            (list_op(code, bin.clone(), ctx, r)?, Report::Value)
        }
        MAP => {
            let ctx = read_context(r)?;
            (map_op(code, bin.clone(), ctx, r)?, Report::Always)
        }
        BIT => (bit_op(code, bin.clone(), r)?, Report::Always),
        HLL => (hll_op(code, bin.clone(), r)?, Report::Always),
        _ => return Err(CodecError("unknown operation")),
    };
    Ok(CdtOp { op, bin, report })
}

fn int(r: &mut Reader<'_>) -> Result<i64, CodecError> {
    r.i64()
}

fn opt_int(r: &mut Reader<'_>) -> Result<Option<i64>, CodecError> {
    Ok(match r.u8()? {
        0 => None,
        _ => Some(r.i64()?),
    })
}

fn flag(r: &mut Reader<'_>) -> Result<bool, CodecError> {
    Ok(r.u8()? != 0)
}

fn list(r: &mut Reader<'_>) -> Result<Vec<Value>, CodecError> {
    match r.value()? {
        Value::List(items) => Ok(items),
        _ => Err(CodecError("expected a list")),
    }
}

fn list_return(r: &mut Reader<'_>) -> Result<ListReturnType, CodecError> {
    Ok(ListReturnType::from_bits(r.i64()?))
}

fn map_return(r: &mut Reader<'_>) -> Result<MapReturnType, CodecError> {
    Ok(MapReturnType::from_bits(r.i64()?))
}

fn list_order(v: u8) -> Result<ListOrderType, CodecError> {
    match v {
        0 => Ok(ListOrderType::Unordered),
        1 => Ok(ListOrderType::Ordered),
        _ => Err(CodecError("unknown list order")),
    }
}

fn map_order(v: u8) -> Result<MapOrder, CodecError> {
    match v {
        0 => Ok(MapOrder::Unordered),
        1 => Ok(MapOrder::KeyOrdered),
        3 => Ok(MapOrder::KeyValueOrdered),
        _ => Err(CodecError("unknown map order")),
    }
}

fn position(v: &Value) -> Result<i64, CodecError> {
    match v {
        Value::Int(i) => Ok(*i),
        _ => Err(CodecError("context position must be an integer")),
    }
}

/// Reads a context: `u8 n`, then `n` (type, value) levels.
fn read_context(r: &mut Reader<'_>) -> Result<Vec<CdtContext>, CodecError> {
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

/// Reads an optional list policy: `u8 0`, or `u8 1, u8 order, u8 write flags`.
fn list_policy(r: &mut Reader<'_>) -> Result<Option<ListPolicy>, CodecError> {
    if r.u8()? == 0 {
        return Ok(None);
    }
    let order = list_order(r.u8()?)?;
    let flags = ListWriteFlags::from_bits(r.u8()?);
    Ok(Some(ListPolicy::new(order, flags)))
}

fn list_op(
    code: u8,
    bin: String,
    ctx: Vec<CdtContext>,
    r: &mut Reader<'_>,
) -> Result<Operation, CodecError> {
    let dflt = ListPolicy::default();
    let op = match code {
        0 => lists::set_order(bin, list_order(r.u8()?)?),
        1 => lists::sort(bin, ListSortFlags::from_bits(r.u8()?)),
        2 => {
            let v = r.value()?;
            lists::append(&list_policy(r)?.unwrap_or(dflt), bin, v)
        }
        3 => {
            let items = list(r)?;
            lists::append_items(&list_policy(r)?.unwrap_or(dflt), bin, items)
        }
        4 => {
            let (i, v) = (int(r)?, r.value()?);
            lists::insert(&list_policy(r)?.unwrap_or(dflt), bin, i, v)
        }
        5 => {
            let (i, items) = (int(r)?, list(r)?);
            lists::insert_items(&list_policy(r)?.unwrap_or(dflt), bin, i, items)
        }
        6 => lists::pop(bin, int(r)?),
        7 => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::pop_range(bin, i, n),
            (i, None) => lists::pop_range_from(bin, i),
        },
        8 => lists::remove(bin, int(r)?),
        9 => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::remove_range(bin, i, n),
            (i, None) => lists::remove_range_from(bin, i),
        },
        10 => {
            let i = int(r)?;
            lists::remove_by_index(bin, i, list_return(r)?)
        }
        11 => match (int(r)?, opt_int(r)?, list_return(r)?) {
            (i, Some(n), rt) => lists::remove_by_index_range_count(bin, i, n, rt),
            (i, None, rt) => lists::remove_by_index_range(bin, i, rt),
        },
        12 => {
            let v = r.value()?;
            lists::remove_by_value(bin, v, list_return(r)?)
        }
        13 => {
            let vs = list(r)?;
            lists::remove_by_value_list(bin, vs, list_return(r)?)
        }
        14 => {
            let (begin, end) = (r.value()?, r.value()?);
            lists::remove_by_value_range(bin, list_return(r)?, begin, end)
        }
        15 => match (r.value()?, int(r)?, opt_int(r)?, list_return(r)?) {
            (v, rank, Some(n), rt) => {
                lists::remove_by_value_relative_rank_range_count(bin, rt, v, rank, n)
            }
            (v, rank, None, rt) => lists::remove_by_value_relative_rank_range(bin, rt, v, rank),
        },
        16 => {
            let rank = int(r)?;
            lists::remove_by_rank(bin, rank, list_return(r)?)
        }
        17 => match (int(r)?, opt_int(r)?, list_return(r)?) {
            (rank, Some(n), rt) => lists::remove_by_rank_range_count(bin, rank, n, rt),
            (rank, None, rt) => lists::remove_by_rank_range(bin, rank, rt),
        },
        18 => lists::clear(bin),
        19 => {
            let order = list_order(r.u8()?)?;
            let (pad, persist) = (flag(r)?, flag(r)?);
            lists::create_persistent(bin, order, pad, persist)
        }
        20 => {
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
        21 => {
            let (i, n) = (int(r)?, int(r)?);
            lists::trim(bin, i, n)
        }
        22 => lists::get(bin, int(r)?),
        23 => match (int(r)?, opt_int(r)?) {
            (i, Some(n)) => lists::get_range(bin, i, n),
            (i, None) => lists::get_range_from(bin, i),
        },
        24 => {
            let i = int(r)?;
            lists::get_by_index(bin, i, list_return(r)?)
        }
        25 => match (int(r)?, opt_int(r)?, list_return(r)?) {
            (i, Some(n), rt) => lists::get_by_index_range_count(bin, i, n, rt),
            (i, None, rt) => lists::get_by_index_range(bin, i, rt),
        },
        26 => {
            let v = r.value()?;
            lists::get_by_value(bin, v, list_return(r)?)
        }
        27 => {
            let vs = list(r)?;
            lists::get_by_value_list(bin, vs, list_return(r)?)
        }
        28 => {
            let (begin, end) = (r.value()?, r.value()?);
            lists::get_by_value_range(bin, begin, end, list_return(r)?)
        }
        29 => match (r.value()?, int(r)?, opt_int(r)?, list_return(r)?) {
            (v, rank, Some(n), rt) => {
                lists::get_by_value_relative_rank_range_count(bin, v, rank, n, rt)
            }
            (v, rank, None, rt) => lists::get_by_value_relative_rank_range(bin, v, rank, rt),
        },
        30 => {
            let rank = int(r)?;
            lists::get_by_rank(bin, rank, list_return(r)?)
        }
        31 => match (int(r)?, opt_int(r)?, list_return(r)?) {
            (rank, Some(n), rt) => lists::get_by_rank_range_count(bin, rank, n, rt),
            (rank, None, rt) => lists::get_by_rank_range(bin, rank, rt),
        },
        32 => list_increment(bin, r)?,
        33 => lists::size(bin),
        _ => return Err(CodecError("unknown list operation")),
    };
    Ok(if ctx.is_empty() { op } else { op.context(ctx) })
}

/// `lists.increment`. The server reads its arguments as `index, delta, order, write flags`;
/// the crate's `increment` sends `index, delta, <write flags>` (the flags land in the order
/// slot), and only `increment_by_one_with_policy` sends both. So: a delta of 1 with a policy
/// goes through the latter; any other delta puts the policy's order in the crate's flags slot,
/// which is the order slot on the wire (the facade refuses write flags with such a delta).
fn list_increment(bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
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

/// Reads a map policy: `u8 order, u8 write flags`.
fn map_policy(r: &mut Reader<'_>) -> Result<MapPolicy, CodecError> {
    let order = map_order(r.u8()?)?;
    Ok(MapPolicy::new(order, MapWriteFlags::from_bits(r.u8()?)))
}

fn map_op(
    code: u8,
    bin: String,
    ctx: Vec<CdtContext>,
    r: &mut Reader<'_>,
) -> Result<Operation, CodecError> {
    let op = match code {
        // These two take the context themselves (a create at a nested position is encoded
        // differently from a top-level one).
        0 => return Ok(maps::set_policy(&map_policy(r)?, bin, ctx)),
        31 => {
            let order = map_order(r.u8()?)?;
            let persist = flag(r)?;
            return Ok(if persist && ctx.is_empty() {
                maps::create_with_index(bin, order)
            } else {
                maps::create(bin, order, ctx)
            });
        }
        1 => {
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
        2 => {
            let items = match r.value()? {
                Value::SortedMap(m) => m,
                _ => return Err(CodecError("expected a map")),
            };
            maps::put_items(&map_policy(r)?, bin, items)
        }
        3 => {
            let (k, by) = (r.value()?, r.value()?);
            maps::increment_value(&map_policy(r)?, bin, k, by)
        }
        4 => {
            let (k, by) = (r.value()?, r.value()?);
            maps::decrement_value(&map_policy(r)?, bin, k, by)
        }
        5 => maps::clear(bin),
        6 => {
            let k = r.value()?;
            maps::remove_by_key(bin, k, map_return(r)?)
        }
        7 => {
            let ks = list(r)?;
            maps::remove_by_key_list(bin, ks, map_return(r)?)
        }
        8 => {
            let (begin, end) = (r.value()?, r.value()?);
            maps::remove_by_key_range(bin, begin, end, map_return(r)?)
        }
        9 => match (r.value()?, int(r)?, opt_int(r)?, map_return(r)?) {
            (k, i, Some(n), rt) => maps::remove_by_key_relative_index_range_count(bin, k, i, n, rt),
            (k, i, None, rt) => maps::remove_by_key_relative_index_range(bin, k, i, rt),
        },
        10 => {
            let v = r.value()?;
            maps::remove_by_value(bin, v, map_return(r)?)
        }
        11 => {
            let vs = list(r)?;
            maps::remove_by_value_list(bin, vs, map_return(r)?)
        }
        12 => {
            let (begin, end) = (r.value()?, r.value()?);
            maps::remove_by_value_range(bin, begin, end, map_return(r)?)
        }
        13 => match (r.value()?, int(r)?, opt_int(r)?, map_return(r)?) {
            (v, rank, Some(n), rt) => {
                maps::remove_by_value_relative_rank_range_count(bin, v, rank, n, rt)
            }
            (v, rank, None, rt) => maps::remove_by_value_relative_rank_range(bin, v, rank, rt),
        },
        14 => {
            let i = int(r)?;
            maps::remove_by_index(bin, i, map_return(r)?)
        }
        15 => match (int(r)?, opt_int(r)?, map_return(r)?) {
            (i, Some(n), rt) => maps::remove_by_index_range(bin, i, n, rt),
            (i, None, rt) => maps::remove_by_index_range_from(bin, i, rt),
        },
        16 => {
            let rank = int(r)?;
            maps::remove_by_rank(bin, rank, map_return(r)?)
        }
        17 => match (int(r)?, opt_int(r)?, map_return(r)?) {
            (rank, Some(n), rt) => maps::remove_by_rank_range(bin, rank, n, rt),
            (rank, None, rt) => maps::remove_by_rank_range_from(bin, rank, rt),
        },
        18 => maps::size(bin),
        19 => {
            let k = r.value()?;
            maps::get_by_key(bin, k, map_return(r)?)
        }
        20 => {
            let ks = list(r)?;
            maps::get_by_key_list(bin, ks, map_return(r)?)
        }
        21 => {
            let (begin, end) = (r.value()?, r.value()?);
            maps::get_by_key_range(bin, begin, end, map_return(r)?)
        }
        22 => match (r.value()?, int(r)?, opt_int(r)?, map_return(r)?) {
            (k, i, Some(n), rt) => maps::get_by_key_relative_index_range_count(bin, k, i, n, rt),
            (k, i, None, rt) => maps::get_by_key_relative_index_range(bin, k, i, rt),
        },
        23 => {
            let v = r.value()?;
            maps::get_by_value(bin, v, map_return(r)?)
        }
        24 => {
            let vs = list(r)?;
            maps::get_by_value_list(bin, vs, map_return(r)?)
        }
        25 => {
            let (begin, end) = (r.value()?, r.value()?);
            maps::get_by_value_range(bin, begin, end, map_return(r)?)
        }
        26 => match (r.value()?, int(r)?, opt_int(r)?, map_return(r)?) {
            (v, rank, Some(n), rt) => {
                maps::get_by_value_relative_rank_range_count(bin, v, rank, n, rt)
            }
            (v, rank, None, rt) => maps::get_by_value_relative_rank_range(bin, v, rank, rt),
        },
        27 => {
            let i = int(r)?;
            maps::get_by_index(bin, i, map_return(r)?)
        }
        28 => match (int(r)?, opt_int(r)?, map_return(r)?) {
            (i, Some(n), rt) => maps::get_by_index_range(bin, i, n, rt),
            (i, None, rt) => maps::get_by_index_range_from(bin, i, rt),
        },
        29 => {
            let rank = int(r)?;
            maps::get_by_rank(bin, rank, map_return(r)?)
        }
        30 => match (int(r)?, opt_int(r)?, map_return(r)?) {
            (rank, Some(n), rt) => maps::get_by_rank_range(bin, rank, n, rt),
            (rank, None, rt) => maps::get_by_rank_range_from(bin, rank, rt),
        },
        _ => return Err(CodecError("unknown map operation")),
    };
    Ok(if ctx.is_empty() { op } else { op.context(ctx) })
}

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

fn bit_op(code: u8, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
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
        0 => Args::Resize(int(r)?, r.u8()?),
        1 => Args::Bytes(int(r)?, bytes(r)?),
        2 | 7 | 13 | 14 => Args::Range(int(r)?, int(r)?),
        3..=6 => Args::RangeBytes(int(r)?, int(r)?, bytes(r)?),
        8 | 9 => Args::Shift(int(r)?, int(r)?, int(r)?),
        10 | 11 => Args::Arith(int(r)?, int(r)?, int(r)?, flag(r)?, overflow(r.u8()?)?),
        12 => Args::RangeInt(int(r)?, int(r)?, int(r)?),
        15..=17 => Args::RangeBool(int(r)?, int(r)?, flag(r)?),
        _ => return Err(CodecError("unknown bitwise operation")),
    };
    let p = BitPolicy::new(BitwiseWriteFlags::from_bits(r.u8()?));
    Ok(match (code, args) {
        (0, Args::Resize(size, flags)) => {
            bitwise::resize(bin, size, BitwiseResizeFlags::from_bits(flags), &p)
        }
        (1, Args::Bytes(offset, v)) => bitwise::insert(bin, offset, v, &p),
        (2, Args::Range(offset, size)) => bitwise::remove(bin, offset, size, &p),
        (3, Args::RangeBytes(o, n, v)) => bitwise::set(bin, o, n, v, &p),
        (4, Args::RangeBytes(o, n, v)) => bitwise::or(bin, o, n, v, &p),
        (5, Args::RangeBytes(o, n, v)) => bitwise::xor(bin, o, n, v, &p),
        (6, Args::RangeBytes(o, n, v)) => bitwise::and(bin, o, n, v, &p),
        (7, Args::Range(o, n)) => bitwise::not(bin, o, n, &p),
        (8, Args::Shift(o, n, s)) => bitwise::lshift(bin, o, n, s, &p),
        (9, Args::Shift(o, n, s)) => bitwise::rshift(bin, o, n, s, &p),
        (10, Args::Arith(o, n, v, signed, action)) => {
            bitwise::add(bin, o, n, v, signed, action, &p)
        }
        (11, Args::Arith(o, n, v, signed, action)) => {
            bitwise::subtract(bin, o, n, v, signed, action, &p)
        }
        (12, Args::RangeInt(o, n, v)) => bitwise::set_int(bin, o, n, v, &p),
        (13, Args::Range(o, n)) => bitwise::get(bin, o, n),
        (14, Args::Range(o, n)) => bitwise::count(bin, o, n),
        (15, Args::RangeBool(o, n, v)) => bitwise::lscan(bin, o, n, v),
        (16, Args::RangeBool(o, n, v)) => bitwise::rscan(bin, o, n, v),
        (17, Args::RangeBool(o, n, signed)) => bitwise::get_int(bin, o, n, signed),
        _ => return Err(CodecError("unknown bitwise operation")),
    })
}

/// HLL values arrive as Buffers (blobs); the server wants them with the HLL particle type.
fn hll_values(r: &mut Reader<'_>) -> Result<Vec<Value>, CodecError> {
    Ok(list(r)?
        .into_iter()
        .map(|v| match v {
            Value::Blob(b) => Value::Hll(b),
            other => other,
        })
        .collect())
}

fn hll_op(code: u8, bin: String, r: &mut Reader<'_>) -> Result<Operation, CodecError> {
    enum Args {
        None,
        Bits(i64, i64),
        Add(Vec<Value>, i64, i64),
        Hlls(Vec<Value>),
        Fold(i64),
    }
    let args = match code {
        0 => Args::Bits(int(r)?, int(r)?),
        1 => Args::Add(list(r)?, int(r)?, int(r)?),
        2 | 6..=9 => Args::Hlls(hll_values(r)?),
        4 => Args::Fold(int(r)?),
        3 | 5 | 10 => Args::None,
        _ => return Err(CodecError("unknown HLL operation")),
    };
    let p = HllPolicy::new(HllWriteFlags::from_bits(r.u8()?));
    Ok(match (code, args) {
        (0, Args::Bits(index, minhash)) => hll::init_with_min_hash(&p, bin, index, minhash),
        (1, Args::Add(values, index, minhash)) => {
            hll::add_with_index_and_min_hash(&p, bin, values, index, minhash)
        }
        (2, Args::Hlls(list)) => hll::set_union(&p, bin, list),
        (3, _) => hll::refresh_count(bin),
        (4, Args::Fold(index)) => hll::fold(bin, index),
        (5, _) => hll::get_count(bin),
        (6, Args::Hlls(list)) => hll::get_union(bin, list),
        (7, Args::Hlls(list)) => hll::get_union_count(bin, list),
        (8, Args::Hlls(list)) => hll::get_intersect_count(bin, list),
        (9, Args::Hlls(list)) => hll::get_similarity(bin, list),
        (10, _) => hll::describe(bin),
        _ => return Err(CodecError("unknown HLL operation")),
    })
}

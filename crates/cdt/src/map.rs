//! Map operations (op codes 64–110) for unordered, key-ordered and key-value-ordered maps.

use std::cmp::Ordering;

use crate::list::{check_storable, remove_positions};
use crate::params::write_flags::{CREATE_ONLY, DO_PARTIAL, NO_FAIL, UPDATE_ONLY};
use crate::params::Params;
use crate::rc;
use crate::select::{
    index_range, item_runs, relative_range, runs_in_turn, single_index, ReturnType, Span, View,
    RT_EXISTS, RT_INDEX, RT_ORDERED_MAP, RT_RANK, RT_REVERSE_INDEX, RT_REVERSE_RANK,
};
use crate::value::{compare, Map, Value, MAP_KEY_ORDERED};

pub const SET_TYPE: i64 = 64;
pub const ADD: i64 = 65;
pub const ADD_ITEMS: i64 = 66;
pub const PUT: i64 = 67;
pub const PUT_ITEMS: i64 = 68;
pub const REPLACE: i64 = 69;
pub const REPLACE_ITEMS: i64 = 70;
pub const INCREMENT: i64 = 73;
pub const DECREMENT: i64 = 74;
pub const CLEAR: i64 = 75;
pub const REMOVE_BY_KEY: i64 = 76;
pub const REMOVE_BY_INDEX: i64 = 77;
pub const REMOVE_BY_VALUE: i64 = 78;
pub const REMOVE_BY_RANK: i64 = 79;
pub const REMOVE_BY_KEY_LIST: i64 = 81;
pub const REMOVE_ALL_BY_VALUE: i64 = 82;
pub const REMOVE_BY_VALUE_LIST: i64 = 83;
pub const REMOVE_BY_KEY_INTERVAL: i64 = 84;
pub const REMOVE_BY_INDEX_RANGE: i64 = 85;
pub const REMOVE_BY_VALUE_INTERVAL: i64 = 86;
pub const REMOVE_BY_RANK_RANGE: i64 = 87;
pub const REMOVE_BY_KEY_REL_INDEX_RANGE: i64 = 88;
pub const REMOVE_BY_VALUE_REL_RANK_RANGE: i64 = 89;
pub const SIZE: i64 = 96;
pub const GET_BY_KEY: i64 = 97;
pub const GET_BY_INDEX: i64 = 98;
pub const GET_BY_VALUE: i64 = 99;
pub const GET_BY_RANK: i64 = 100;
pub const GET_ALL_BY_VALUE: i64 = 102;
pub const GET_BY_KEY_INTERVAL: i64 = 103;
pub const GET_BY_INDEX_RANGE: i64 = 104;
pub const GET_BY_VALUE_INTERVAL: i64 = 105;
pub const GET_BY_RANK_RANGE: i64 = 106;
pub const GET_BY_KEY_LIST: i64 = 107;
pub const GET_BY_VALUE_LIST: i64 = 108;
pub const GET_BY_KEY_REL_INDEX_RANGE: i64 = 109;
pub const GET_BY_VALUE_REL_RANK_RANGE: i64 = 110;

pub fn is_read_code(code: i64) -> bool {
    (SIZE..=GET_BY_VALUE_REL_RANK_RANGE).contains(&code) && code != 101
}

pub fn is_map_code(code: i64) -> bool {
    matches!(code, SET_TYPE..=REPLACE_ITEMS | INCREMENT..=CLEAR)
        || (REMOVE_BY_KEY..=REMOVE_BY_VALUE_REL_RANK_RANGE).contains(&code) && code != 80
        || is_read_code(code)
}

/// The map order a modify op asks for when it has to create the map.
pub fn create_order(p: &Params) -> u8 {
    let at = match p.code {
        SET_TYPE => 0,
        ADD | PUT | INCREMENT | DECREMENT => 2,
        ADD_ITEMS | PUT_ITEMS => 1,
        _ => return 0,
    };
    (p.opt_int(at).ok().flatten().unwrap_or(0) & 0x03) as u8
}

fn check_key(k: &Value) -> Result<(), u8> {
    match k {
        Value::Int(_) | Value::Bytes(..) | Value::Float(_) => Ok(()),
        _ => Err(rc::PARAMETER),
    }
}

/// Applies a map op. Returns the op's result.
pub fn apply(map: &mut Map, p: &Params) -> Result<Option<Value>, u8> {
    match p.code {
        SET_TYPE => {
            p.at_most(1)?;
            set_order(map, (p.int(0)? & 0x03) as u8);
            Ok(None)
        }
        ADD | PUT | REPLACE => {
            p.at_most(4)?;
            let flags = match p.code {
                ADD => CREATE_ONLY,
                REPLACE => UPDATE_ONLY,
                _ => p.int_or(3, 0)? as u64,
            };
            let items = vec![(p.value(0)?.clone(), p.value(1)?.clone())];
            put_items(map, items, flags, false)
        }
        ADD_ITEMS | PUT_ITEMS | REPLACE_ITEMS => {
            p.at_most(3)?;
            let Value::Map(m) = p.value(0)? else {
                return Err(rc::PARAMETER);
            };
            let flags = match p.code {
                ADD_ITEMS => CREATE_ONLY,
                REPLACE_ITEMS => UPDATE_ONLY,
                _ => p.int_or(2, 0)? as u64,
            };
            // The real server's path for an empty map checks an update-only put only for
            // whether to fail: with NO_FAIL and DO_PARTIAL it takes every item.
            let partial = NO_FAIL | DO_PARTIAL;
            let flags = if map.entries.is_empty() && flags & partial == partial {
                flags & !UPDATE_ONLY
            } else {
                flags
            };
            // The real server merges items into an unordered map rewritten in key order.
            let sort = map.order == 0 && !m.entries.is_empty();
            put_items(map, m.entries.clone(), flags, sort)
        }
        INCREMENT | DECREMENT => {
            p.at_most(3)?;
            let key = p.value(0)?;
            check_key(key)?;
            let delta = p.args.get(1).cloned().unwrap_or(Value::Int(1));
            let neg = p.code == DECREMENT;
            let pos = find_key(map, key);
            // Only a missing key starts from nothing; a present nil is not a number.
            if pos.is_some_and(|i| matches!(map.entries[i].1, Value::Nil)) {
                return Err(rc::PARAMETER);
            }
            let current = pos.map(|i| map.entries[i].1.clone()).unwrap_or(Value::Nil);
            let new = match (&current, &delta) {
                (Value::Nil, Value::Int(b)) => Value::Int(if neg { b.wrapping_neg() } else { *b }),
                (Value::Nil, Value::Float(b)) => Value::Float(if neg { -b } else { *b }),
                (Value::Int(a), Value::Int(b)) => Value::Int(if neg {
                    a.wrapping_sub(*b)
                } else {
                    a.wrapping_add(*b)
                }),
                (Value::Int(a), Value::Float(b)) => {
                    let b = *b as i64;
                    Value::Int(if neg {
                        a.wrapping_sub(b)
                    } else {
                        a.wrapping_add(b)
                    })
                }
                (Value::Float(a), Value::Float(b)) => Value::Float(if neg { a - b } else { a + b }),
                (Value::Float(a), Value::Int(b)) => {
                    let b = *b as f64;
                    Value::Float(if neg { a - b } else { a + b })
                }
                _ => return Err(rc::PARAMETER),
            };
            match pos {
                Some(i) => map.entries[i].1 = new.clone(),
                None => insert_entry(map, key.clone(), new.clone()),
            }
            Ok(Some(new))
        }
        CLEAR => {
            p.at_most(0)?;
            map.entries.clear();
            Ok(None)
        }
        SIZE => {
            p.at_most(0)?;
            Ok(Some(Value::Int(map.entries.len() as i64)))
        }
        code if (GET_BY_KEY..=GET_BY_VALUE_REL_RANK_RANGE).contains(&code) => {
            let (_, result) = select(map, p, code)?;
            Ok(result)
        }
        code if (REMOVE_BY_KEY..=REMOVE_BY_VALUE_REL_RANK_RANGE).contains(&code) => {
            let get = match code {
                REMOVE_BY_KEY => GET_BY_KEY,
                REMOVE_BY_INDEX => GET_BY_INDEX,
                REMOVE_BY_VALUE => GET_BY_VALUE,
                REMOVE_BY_RANK => GET_BY_RANK,
                REMOVE_BY_KEY_LIST => GET_BY_KEY_LIST,
                REMOVE_ALL_BY_VALUE => GET_ALL_BY_VALUE,
                REMOVE_BY_VALUE_LIST => GET_BY_VALUE_LIST,
                REMOVE_BY_KEY_INTERVAL => GET_BY_KEY_INTERVAL,
                REMOVE_BY_INDEX_RANGE => GET_BY_INDEX_RANGE,
                REMOVE_BY_VALUE_INTERVAL => GET_BY_VALUE_INTERVAL,
                REMOVE_BY_RANK_RANGE => GET_BY_RANK_RANGE,
                REMOVE_BY_KEY_REL_INDEX_RANGE => GET_BY_KEY_REL_INDEX_RANGE,
                REMOVE_BY_VALUE_REL_RANK_RANGE => GET_BY_VALUE_REL_RANK_RANGE,
                _ => return Err(rc::PARAMETER),
            };
            let (sel, result) = select(map, p, get)?;
            remove_positions(&mut map.entries, sel);
            Ok(result)
        }
        _ => Err(rc::PARAMETER),
    }
}

/// Sets a map's order. The real server rewrites an unordered map in key order whatever order
/// it is given (even unordered), so the entries end up sorted by key either way.
fn set_order(map: &mut Map, order: u8) {
    map.order = order;
    map.entries.sort_by(|a, b| compare(&a.0, &b.0));
}

fn find_key(map: &Map, key: &Value) -> Option<usize> {
    map.entries
        .iter()
        .position(|(k, _)| compare(k, key) == Ordering::Equal)
}

fn insert_entry(map: &mut Map, key: Value, value: Value) {
    if map.order & MAP_KEY_ORDERED != 0 {
        let at = map
            .entries
            .partition_point(|(k, _)| compare(k, &key) == Ordering::Less);
        map.entries.insert(at, (key, value));
    } else {
        // An unordered map takes a new key where key order would put it, as long as the keys
        // before that place are in order; else at the end (the real server's scan,
        // packed_map_find_key_maybe_unordered).
        let e = &map.entries;
        let at = (0..e.len())
            .take_while(|&i| i == 0 || compare(&e[i - 1].0, &e[i].0) == Ordering::Less)
            .find(|&i| compare(&key, &e[i].0) == Ordering::Less)
            .unwrap_or(e.len());
        map.entries.insert(at, (key, value));
    }
}

/// Puts entries under the write flags; returns the new size. `sort`: when it writes, the map's
/// entries are first put in key order.
fn put_items(
    map: &mut Map,
    items: Vec<(Value, Value)>,
    flags: u64,
    sort: bool,
) -> Result<Option<Value>, u8> {
    let mut accepted = Vec::with_capacity(items.len());
    let mut violation = None;
    for (k, v) in items {
        check_key(&k)?;
        check_storable(&v)?;
        let exists = find_key(map, &k).is_some();
        if flags & CREATE_ONLY != 0 && exists {
            violation = Some(rc::ELEMENT_EXISTS);
        } else if flags & UPDATE_ONLY != 0 && !exists {
            violation = Some(rc::ELEMENT_NOT_FOUND);
        } else {
            accepted.push((k, v));
        }
    }
    if let Some(code) = violation {
        if flags & NO_FAIL == 0 {
            return Err(code);
        }
        if flags & DO_PARTIAL == 0 {
            return Ok(Some(Value::Int(map.entries.len() as i64)));
        }
    }
    if sort {
        map.entries.sort_by(|a, b| compare(&a.0, &b.0));
    }
    for (k, v) in accepted {
        match find_key(map, &k) {
            Some(i) => map.entries[i].1 = v,
            None => insert_entry(map, k, v),
        }
    }
    Ok(Some(Value::Int(map.entries.len() as i64)))
}

fn select(map: &Map, p: &Params, code: i64) -> Result<(Vec<usize>, Option<Value>), u8> {
    let rt = ReturnType::parse(p.int(0)?, true)?;
    let view = View::map(map);
    let n = view.len();
    let k_ordered = map.order & MAP_KEY_ORDERED != 0;
    let (sel, single) = match code {
        GET_BY_KEY => {
            p.at_most(2)?;
            let k = p.value(1)?;
            let found = find_key(map, k);
            // A key-ordered map looks the key up as a range first: not found answers before
            // INVERTED is checked.
            if found.is_none() && k_ordered {
                return view.finish(plain(rt), Vec::new(), true);
            }
            (found.into_iter().collect(), true)
        }
        GET_BY_INDEX => {
            p.at_most(2)?;
            let i = single_index(p.int(1)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            (vec![view.by_index[i]], true)
        }
        GET_BY_RANK => {
            p.at_most(2)?;
            let r = single_index(p.int(1)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            (vec![view.by_rank[r]], true)
        }
        GET_BY_VALUE | GET_ALL_BY_VALUE => {
            p.at_most(2)?;
            let v = p.value(1)?;
            let sel = (view.by_rank.iter().copied())
                .filter(|&q| compare(view.values[q], v) == std::cmp::Ordering::Equal)
                .collect();
            return by_values(&view, rt, sel, v);
        }
        GET_BY_KEY_LIST => {
            p.at_most(2)?;
            if matches!(rt.base, RT_RANK | RT_REVERSE_RANK) {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            let keys = p.list(1)?;
            let found = |k: &Value| find_key(map, k).is_some() as usize;
            let runs: Vec<(usize, usize)> = keys
                .iter()
                .map(|k| (view.index_of_key(k), found(k)))
                .collect();
            if k_ordered && !rt.inverted && matches!(rt.base, RT_INDEX | RT_REVERSE_INDEX) {
                // A key-ordered map answers key by key, a key given twice twice.
                let (sel, _) = by_items(&view, rt, view.by_key_list(keys), false, None)?;
                let rev = rt.base == RT_REVERSE_INDEX;
                return Ok((sel, Some(runs_in_turn(n, rev, &runs))));
            }
            // A key-ordered map answers an inverted one by its mask, like any other selection.
            let runs = (!(k_ordered && rt.inverted)).then_some((RT_INDEX, runs));
            return by_items(&view, rt, view.by_key_list(keys), keys.is_empty(), runs);
        }
        GET_BY_VALUE_LIST => {
            p.at_most(2)?;
            let vs = p.list(1)?;
            let runs = Some((RT_RANK, view.value_runs(vs)));
            return by_items(&view, rt, view.by_value_list(vs), vs.is_empty(), runs);
        }
        GET_BY_KEY_INTERVAL if k_ordered => {
            p.at_most(3)?;
            let begin = p.value(1)?;
            let sel = view.key_interval(begin, p.args.get(2));
            return by_index_range(&view, k_ordered, rt, view.index_of_key(begin), sel.len());
        }
        GET_BY_KEY_INTERVAL => {
            p.at_most(3)?;
            let begin = p.value(1)?;
            let sel = view.key_interval(begin, p.args.get(2));
            if rt.inverted && rt.base == RT_EXISTS {
                // The server tests an inverted interval by its own size: an empty map too.
                return Ok((view.invert(&sel), Some(Value::Bool(sel.is_empty()))));
            }
            if matches!(rt.base, RT_INDEX | RT_REVERSE_INDEX) {
                // Indexes as the run of keys the interval covers, from the index of its start
                // (inverted: the runs before and after it), a reversed run still ascending.
                let (start, count) = (view.index_of_key(begin), sel.len());
                let runs = match rt.inverted {
                    false => vec![(start, count)],
                    true => vec![(0, start), (start + count, n - start - count)],
                };
                let sel = if rt.inverted { view.invert(&sel) } else { sel };
                let rev = rt.base == RT_REVERSE_INDEX;
                return Ok((sel, Some(runs_in_turn(n, rev, &runs))));
            }
            (sel, false)
        }
        GET_BY_VALUE_INTERVAL => {
            p.at_most(3)?;
            let begin = p.value(1)?;
            let sel = view.value_interval(begin, p.args.get(2));
            return by_values(&view, rt, sel, begin);
        }
        GET_BY_INDEX_RANGE => {
            p.at_most(3)?;
            let (s, c) = index_range(p.int(1)?, p.opt_int(2)?, n);
            return by_index_range(&view, k_ordered, rt, s, c);
        }
        GET_BY_RANK_RANGE => {
            p.at_most(3)?;
            let (s, c) = index_range(p.int(1)?, p.opt_int(2)?, n);
            return by_rank_range(&view, rt, s, c);
        }
        GET_BY_KEY_REL_INDEX_RANGE => {
            p.at_most(4)?;
            let base = view.index_of_key(p.value(1)?);
            let (s, c) = relative_range(base, p.int(2)?, p.opt_int(3)?, n);
            return by_index_range(&view, k_ordered, rt, s, c);
        }
        GET_BY_VALUE_REL_RANK_RANGE => {
            p.at_most(4)?;
            let base = view.rank_of_value(p.value(1)?);
            let (s, c) = relative_range(base, p.int(2)?, p.opt_int(3)?, n);
            return by_rank_range(&view, rt, s, c);
        }
        _ => return Err(rc::PARAMETER),
    };
    view.finish(rt, sel, single)
}

type Selected = Result<(Vec<usize>, Option<Value>), u8>;

fn plain(rt: ReturnType) -> ReturnType {
    ReturnType {
        inverted: false,
        ..rt
    }
}

/// An inverted range that reaches an end of the map is, for the server, the plain range of the
/// rest; only one in the middle stays inverted.
fn reduce(rt: ReturnType, s: usize, c: usize, n: usize) -> (ReturnType, usize, usize) {
    match () {
        _ if !rt.inverted => (rt, s, c),
        _ if c == 0 => (plain(rt), 0, n),
        _ if s == 0 => (plain(rt), c, n - c),
        _ if s + c >= n => (plain(rt), 0, s),
        _ => (rt, s, c),
    }
}

/// All of the map: indexes and ranks as 0..n, elements in storage order.
fn all(view: &View, rt: ReturnType) -> Selected {
    let n = view.len();
    let run = Span::Index {
        start: 0,
        count: n,
        ordered: true,
    };
    view.finish_span(plain(rt), (0..n).collect(), run)
}

/// Index ranges (and key-relative ones, and key ranges of a key-ordered map): indexes as runs,
/// ranks element by element, elements in key order (storage order when inverted).
fn by_index_range(view: &View, k_ordered: bool, rt: ReturnType, s: usize, c: usize) -> Selected {
    let (rt, s, c) = reduce(rt, s, c, view.len());
    if c == 0 {
        return view.finish(plain(rt), Vec::new(), false);
    }
    if c == view.len() {
        return all(view, rt);
    }
    let sel = view.by_index[s..s + c].to_vec();
    if rt.inverted && rt.base == RT_EXISTS && !k_ordered {
        // The server tests an inverted run by its own size, not by what is left (a key-ordered
        // map trims instead, and answers by what is left).
        return Ok((view.invert(&sel), Some(Value::Bool(false))));
    }
    let run = Span::Index {
        start: s,
        count: c,
        ordered: false,
    };
    view.finish_span(rt, sel, run)
}

/// Rank ranges (and value-relative ones): ranks as runs; indexes and elements in rank order,
/// or storage order when inverted or asked for as an ordered map.
fn by_rank_range(view: &View, rt: ReturnType, s: usize, c: usize) -> Selected {
    let (rt, s, c) = reduce(rt, s, c, view.len());
    if c == 0 {
        return view.finish(plain(rt), Vec::new(), false);
    }
    let mut sel = view.by_rank[s..s + c].to_vec();
    if rt.base == RT_ORDERED_MAP {
        sel.sort_unstable();
    }
    view.finish_span(rt, sel, Span::Rank { start: s, count: c })
}

/// Selections by a list of keys or values: elements and the other kind of numbers in storage
/// order; the numbers of the list's own kind (`runs`: key indexes or value ranks) per item
/// (see [`item_runs`]). An inverted selection by no items is all of the map.
fn by_items(
    view: &View,
    rt: ReturnType,
    mut sel: Vec<usize>,
    none: bool,
    runs: Option<(i64, Vec<(usize, usize)>)>,
) -> Selected {
    if none && rt.inverted {
        return all(view, rt);
    }
    sel.sort_unstable();
    let (sel, result) = view.finish(rt, sel, false)?;
    match runs {
        Some((kind, runs)) if rt.base == kind || rt.base == kind + 1 => {
            let rev = rt.base == kind + 1;
            Ok((sel, Some(item_runs(view.len(), rev, rt.inverted, runs))))
        }
        _ => Ok((sel, result)),
    }
}

/// Values and value ranges (`sel` in rank order, `begin` the low end): ranks as a run from the
/// rank of `begin`; indexes and elements in storage order (the server walks a mask; a value
/// index, which would give rank order, is only kept for maps persisted with one). An inverted
/// selection of nothing is all of the map.
fn by_values(view: &View, rt: ReturnType, mut sel: Vec<usize>, begin: &Value) -> Selected {
    let run = Span::Rank {
        start: view.rank_of_value(begin),
        count: sel.len(),
    };
    if sel.is_empty() && rt.inverted {
        return all(view, rt);
    }
    sel.sort_unstable();
    view.finish_span(rt, sel, run)
}

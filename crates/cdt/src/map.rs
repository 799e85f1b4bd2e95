//! Map operations (op codes 64–110) for unordered, key-ordered and key-value-ordered maps.

use std::cmp::Ordering;

use crate::list::{check_storable, remove_positions};
use crate::params::write_flags::{CREATE_ONLY, DO_PARTIAL, NO_FAIL, UPDATE_ONLY};
use crate::params::Params;
use crate::rc;
use crate::select::{relative_range, By, ReturnType, View};
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
            put_items(map, items, flags)
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
            put_items(map, m.entries.clone(), flags)
        }
        INCREMENT | DECREMENT => {
            p.at_most(3)?;
            let key = p.value(0)?;
            check_key(key)?;
            let delta = p.args.get(1).cloned().unwrap_or(Value::Int(1));
            let neg = p.code == DECREMENT;
            let pos = find_key(map, key);
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
                76 => GET_BY_KEY,
                77 => GET_BY_INDEX,
                78 => GET_BY_VALUE,
                79 => GET_BY_RANK,
                81 => GET_BY_KEY_LIST,
                82 => GET_ALL_BY_VALUE,
                83 => GET_BY_VALUE_LIST,
                84 => GET_BY_KEY_INTERVAL,
                85 => GET_BY_INDEX_RANGE,
                86 => GET_BY_VALUE_INTERVAL,
                87 => GET_BY_RANK_RANGE,
                88 => GET_BY_KEY_REL_INDEX_RANGE,
                89 => GET_BY_VALUE_REL_RANK_RANGE,
                _ => return Err(rc::PARAMETER),
            };
            let (sel, result) = select(map, p, get)?;
            remove_positions(&mut map.entries, sel);
            Ok(result)
        }
        _ => Err(rc::PARAMETER),
    }
}

fn set_order(map: &mut Map, order: u8) {
    map.order = order;
    if order & MAP_KEY_ORDERED != 0 {
        map.entries.sort_by(|a, b| compare(&a.0, &b.0));
    }
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
        map.entries.push((key, value));
    }
}

/// Puts entries under the write flags; returns the new size.
fn put_items(map: &mut Map, items: Vec<(Value, Value)>, flags: u64) -> Result<Option<Value>, u8> {
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
    let (sel, single) = match code {
        GET_BY_KEY => {
            p.at_most(2)?;
            let k = p.value(1)?;
            let found = find_key(map, k);
            (found.into_iter().collect(), true)
        }
        GET_BY_KEY_LIST => {
            p.at_most(2)?;
            (view.by_key_list(p.list(1)?), false)
        }
        GET_BY_KEY_INTERVAL => {
            p.at_most(3)?;
            (view.key_interval(p.value(1)?, p.args.get(2)), false)
        }
        GET_BY_VALUE_INTERVAL => {
            p.at_most(3)?;
            (view.value_interval(p.value(1)?, p.args.get(2)), false)
        }
        GET_BY_KEY_REL_INDEX_RANGE => {
            p.at_most(4)?;
            let base = view.index_of_key(p.value(1)?);
            let (s, c) = relative_range(base, p.int(2)?, p.opt_int(3)?, view.len());
            (view.by_index[s..s + c].to_vec(), false)
        }
        GET_BY_INDEX => view.select(By::Index, p)?,
        GET_BY_RANK => view.select(By::Rank, p)?,
        GET_BY_VALUE | GET_ALL_BY_VALUE => view.select(By::Value, p)?,
        GET_BY_VALUE_LIST => view.select(By::ValueList, p)?,
        GET_BY_INDEX_RANGE => view.select(By::IndexRange, p)?,
        GET_BY_RANK_RANGE => view.select(By::RankRange, p)?,
        GET_BY_VALUE_REL_RANK_RANGE => view.select(By::ValueRelRankRange, p)?,
        _ => return Err(rc::PARAMETER),
    };
    view.finish(rt, sel, single)
}

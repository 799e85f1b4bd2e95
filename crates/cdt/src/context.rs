//! List and map ops on a bin, optionally inside nested contexts (`[0xFF, ctx, op]`).

use std::cmp::Ordering;

use crate::params::Params;
use crate::value::{compare, decode, encode, List, Map, Value};
use crate::{list, map, particle, rc, to_particle, Kind, Outcome};

pub mod path;

pub use path::{Path, Step};
use path::{LIST_INDEX, MAP_INDEX, MAP_KEY};

/// The first element of an op wrapped in a context: `[0xff, context, op]`.
const CONTEXT_EVAL: i64 = 0xff;

/// Applies a list or map op to a bin.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let top = decode(op).map_err(|_| rc::PARAMETER)?;
    let (steps, p) = match &top {
        Value::List(l) if l.items.first().and_then(Value::as_int) == Some(CONTEXT_EVAL) => {
            if l.items.len() != 3 {
                return Err(rc::PARAMETER);
            }
            let steps = Path::from_value(&l.items[1])?.steps;
            (steps, Params::from_value(l.items[2].clone())?)
        }
        _ => (Vec::new(), Params::from_value(top)?),
    };
    let is_list = list::is_list_code(p.code);
    let is_map = map::is_map_code(p.code);
    if !is_list && !is_map {
        return Err(rc::PARAMETER);
    }
    let read = if is_list {
        list::is_read_code(p.code)
    } else {
        map::is_read_code(p.code)
    };
    if read != kind.is_read() {
        return Err(rc::PARAMETER);
    }
    let mut root = match current {
        None if read => return Ok(Outcome::default()),
        None => {
            let list_root = match steps.first() {
                Some(s) => s.kind < MAP_INDEX,
                None => is_list,
            };
            match steps.first() {
                None => new_container(list_root, &p),
                Some(s) => container_for(s),
            }
        }
        Some((particle::LIST | particle::MAP, data)) => decode(data).map_err(|_| rc::PARAMETER)?,
        Some(_) => return Err(rc::INCOMPATIBLE_TYPE),
    };
    let leaf = new_container(is_list, &p);
    let mut created = false;
    let target = walk(&mut root, &steps, !read, &leaf, &mut created)?;
    if current.is_none() && is_list && p.code == list::SORT {
        return Err(rc::INCOMPATIBLE_TYPE);
    }
    if !read && (created || current.is_none()) && needs_existing(is_list, p.code) {
        if !is_list && p.code == map::REPLACE_ITEMS {
            return Err(rc::ELEMENT_NOT_FOUND);
        }
        return Ok(Outcome::default());
    }
    let result = match target {
        Value::List(l) if is_list => list::apply(l, &p)?,
        Value::Map(m) if is_map => map::apply(m, &p)?,
        _ => return Err(rc::INCOMPATIBLE_TYPE),
    };
    // What context steps created exists only if the op wrote into it.
    let wrote = !created || always_writes(is_list, &p) || encode(target) != encode(&leaf);
    Ok(Outcome {
        new_value: (!read && wrote).then(|| to_particle(&root)),
        result: result.as_ref().and_then(to_particle),
    })
}

/// Whether a modify op needs the list or map to exist: on a missing bin, or on a container a
/// context step would create, the real server does nothing for these (and creates nothing).
fn needs_existing(is_list: bool, code: i64) -> bool {
    if is_list {
        matches!(
            code,
            list::POP..=list::REMOVE_RANGE | list::TRIM | list::CLEAR
        ) || code >= list::REMOVE_BY_INDEX
    } else {
        matches!(code, map::REPLACE_ITEMS | map::CLEAR)
            || (map::REMOVE_BY_KEY..=map::REMOVE_BY_VALUE_REL_RANK_RANGE).contains(&code)
    }
}

/// Whether a modify op writes its container even when it changes nothing in it, so that a
/// container a context step created stays: setting the order, and the items ops given no items
/// (the real server's `handle_possible_noop`).
fn always_writes(is_list: bool, p: &Params) -> bool {
    let no_items = |at: usize| match p.args.get(at) {
        Some(Value::List(l)) => l.items.is_empty(),
        Some(Value::Map(m)) => m.entries.is_empty(),
        _ => false,
    };
    match (is_list, p.code) {
        (true, list::SET_TYPE) | (false, map::SET_TYPE) => true,
        (true, list::APPEND_ITEMS) | (false, map::ADD_ITEMS | map::PUT_ITEMS) => no_items(0),
        (true, list::INSERT_ITEMS) => no_items(1),
        _ => false,
    }
}

/// An empty container for a modify op on a missing bin.
fn new_container(is_list: bool, p: &Params) -> Value {
    if is_list {
        Value::List(List {
            ordered: list::create_order(p),
            ..Default::default()
        })
    } else {
        Value::Map(Map {
            order: map::create_order(p),
            ..Default::default()
        })
    }
}

/// The container a context step walks into, when it has to be created: the step's kind says
/// list or map, its create flags the order.
fn container_for(step: &Step) -> Value {
    if step.kind < MAP_INDEX {
        Value::List(List {
            ordered: step.create == 0xc0,
            ..Default::default()
        })
    } else {
        Value::Map(Map {
            order: match step.create {
                0x80 => 1,
                0xc0 => 3,
                _ => 0,
            },
            ..Default::default()
        })
    }
}

/// Walks the context path down to the element the op applies to.
fn walk<'a>(
    v: &'a mut Value,
    steps: &[Step],
    create: bool,
    leaf: &Value,
    created: &mut bool,
) -> Result<&'a mut Value, u8> {
    let Some((step, rest)) = steps.split_first() else {
        return Ok(v);
    };
    let can_create = create && step.create != 0;
    let fresh = || rest.first().map_or_else(|| leaf.clone(), container_for);
    let next: &'a mut Value = match (step.position(v)?, v) {
        (Some(i), Value::List(l)) => &mut l.items[i],
        (Some(i), Value::Map(m)) => &mut m.entries[i].1,
        // A list index may append, or (with the pad flag) pad the list with nils up to it.
        (None, Value::List(l)) if can_create && step.kind == LIST_INDEX => {
            let idx = step.arg.as_int().ok_or(rc::PARAMETER)?;
            if idx < 0 || (idx as usize != l.items.len() && step.create != 0x80) {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            let i = idx as usize;
            *created = true;
            l.items.resize(i, Value::Nil);
            l.items.push(fresh());
            &mut l.items[i]
        }
        (None, Value::Map(m)) if can_create && step.kind == MAP_KEY => {
            let value = fresh();
            *created = true;
            let at = if m.order & 1 != 0 {
                m.entries
                    .partition_point(|(k, _)| compare(k, &step.arg) == Ordering::Less)
            } else {
                m.entries.len()
            };
            m.entries.insert(at, (step.arg.clone(), value));
            &mut m.entries[at].1
        }
        _ => return Err(rc::OP_NOT_APPLICABLE),
    };
    walk(next, rest, create, leaf, created)
}

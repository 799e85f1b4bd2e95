//! List and map ops on a bin, optionally inside nested contexts (`[0xFF, ctx, op]`).

use std::cmp::Ordering;

use crate::params::Params;
use crate::select::{single_index, View};
use crate::value::{compare, decode, List, Map, Value};
use crate::{list, map, particle, rc, to_particle, Kind, Outcome};

const CONTEXT_EVAL: i64 = 0xff;

const CTX_LIST_INDEX: i64 = 0x10;
const CTX_LIST_RANK: i64 = 0x11;
const CTX_LIST_VALUE: i64 = 0x13;
const CTX_MAP_INDEX: i64 = 0x20;
const CTX_MAP_RANK: i64 = 0x21;
const CTX_MAP_KEY: i64 = 0x22;
const CTX_MAP_VALUE: i64 = 0x23;
const CTX_CREATE_MASK: i64 = 0xc0;

/// One step of a context path.
struct Step {
    kind: i64,
    create: i64,
    arg: Value,
}

fn parse_ctx(v: &Value) -> Result<Vec<Step>, u8> {
    let Value::List(List { items, .. }) = v else {
        return Err(rc::PARAMETER);
    };
    if items.is_empty() || items.len() % 2 != 0 {
        return Err(rc::PARAMETER);
    }
    items
        .chunks(2)
        .map(|pair| {
            let t = pair[0].as_int().ok_or(rc::PARAMETER)?;
            let kind = t & !CTX_CREATE_MASK & 0xff;
            if !matches!(
                kind,
                CTX_LIST_INDEX
                    | CTX_LIST_RANK
                    | CTX_LIST_VALUE
                    | CTX_MAP_INDEX
                    | CTX_MAP_RANK
                    | CTX_MAP_KEY
                    | CTX_MAP_VALUE
            ) {
                return Err(rc::PARAMETER);
            }
            Ok(Step {
                kind,
                create: t & CTX_CREATE_MASK,
                arg: pair[1].clone(),
            })
        })
        .collect()
}

/// Applies a list or map op to a bin.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let top = decode(op).map_err(|_| rc::PARAMETER)?;
    let (steps, p) = match &top {
        Value::List(l) if l.items.first().and_then(Value::as_int) == Some(CONTEXT_EVAL) => {
            if l.items.len() != 3 {
                return Err(rc::PARAMETER);
            }
            let steps = parse_ctx(&l.items[1])?;
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
                Some(s) => s.kind < CTX_MAP_INDEX,
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
    let target = walk(&mut root, &steps, !read, &leaf)?;
    let result = match target {
        Value::List(l) if is_list => list::apply(l, &p)?,
        Value::Map(m) if is_map => map::apply(m, &p)?,
        _ => return Err(rc::INCOMPATIBLE_TYPE),
    };
    Ok(Outcome {
        new_value: (!read).then(|| to_particle(&root)),
        result: result.as_ref().and_then(to_particle),
    })
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
    if step.kind < CTX_MAP_INDEX {
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
) -> Result<&'a mut Value, u8> {
    let Some((step, rest)) = steps.split_first() else {
        return Ok(v);
    };
    let can_create = create && step.create != 0;
    let fresh = || rest.first().map_or_else(|| leaf.clone(), container_for);
    let next: &'a mut Value = match (step.kind, v) {
        (CTX_LIST_INDEX, Value::List(l)) => {
            let idx = step.arg.as_int().ok_or(rc::PARAMETER)?;
            let n = l.items.len();
            match single_index(idx, n) {
                Some(i) => &mut l.items[i],
                None if can_create && idx >= 0 && (idx as usize == n || step.create == 0x80) => {
                    let i = idx as usize;
                    l.items.resize(i, Value::Nil);
                    l.items.push(fresh());
                    &mut l.items[i]
                }
                None => return Err(rc::OP_NOT_APPLICABLE),
            }
        }
        (CTX_LIST_RANK, Value::List(l)) => {
            let view = View::list(l);
            let r = single_index(step.arg.as_int().ok_or(rc::PARAMETER)?, view.len())
                .ok_or(rc::OP_NOT_APPLICABLE)?;
            let pos = view.by_rank[r];
            &mut l.items[pos]
        }
        (CTX_LIST_VALUE, Value::List(l)) => {
            let pos = l
                .items
                .iter()
                .position(|x| compare(x, &step.arg) == Ordering::Equal);
            match pos {
                Some(i) => &mut l.items[i],
                None => return Err(rc::OP_NOT_APPLICABLE),
            }
        }
        (CTX_MAP_INDEX | CTX_MAP_RANK, Value::Map(m)) => {
            let view = View::map(m);
            let i = single_index(step.arg.as_int().ok_or(rc::PARAMETER)?, view.len())
                .ok_or(rc::OP_NOT_APPLICABLE)?;
            let pos = if step.kind == CTX_MAP_INDEX {
                view.by_index[i]
            } else {
                view.by_rank[i]
            };
            &mut m.entries[pos].1
        }
        (CTX_MAP_KEY, Value::Map(m)) => {
            let pos = m
                .entries
                .iter()
                .position(|(k, _)| compare(k, &step.arg) == Ordering::Equal);
            match pos {
                Some(i) => &mut m.entries[i].1,
                None if can_create => {
                    let value = fresh();
                    let at = if m.order & 1 != 0 {
                        m.entries
                            .partition_point(|(k, _)| compare(k, &step.arg) == Ordering::Less)
                    } else {
                        m.entries.len()
                    };
                    m.entries.insert(at, (step.arg.clone(), value));
                    &mut m.entries[at].1
                }
                None => return Err(rc::OP_NOT_APPLICABLE),
            }
        }
        (CTX_MAP_VALUE, Value::Map(m)) => {
            let pos = m
                .entries
                .iter()
                .position(|(_, x)| compare(x, &step.arg) == Ordering::Equal);
            match pos {
                Some(i) => &mut m.entries[i].1,
                None => return Err(rc::OP_NOT_APPLICABLE),
            }
        }
        _ => return Err(rc::OP_NOT_APPLICABLE),
    };
    walk(next, rest, create, leaf)
}

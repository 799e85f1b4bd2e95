//! List operations (op codes 0–40), for unordered and ordered lists.

use std::cmp::Ordering;

use crate::heap;
use crate::params::write_flags::{DO_PARTIAL, NO_FAIL};
use crate::params::Params;
use crate::rc;
use crate::select::{
    index_range, item_runs, relative_range, single_index, ReturnType, Span, View, RT_EXISTS,
    RT_RANK, RT_REVERSE_RANK,
};
use crate::value::{compare, List, Value};

mod ordered;
mod unique;

pub const SET_TYPE: i64 = 0;
pub const APPEND: i64 = 1;
pub const APPEND_ITEMS: i64 = 2;
pub const INSERT: i64 = 3;
pub const INSERT_ITEMS: i64 = 4;
pub const POP: i64 = 5;
pub const POP_RANGE: i64 = 6;
pub const REMOVE: i64 = 7;
pub const REMOVE_RANGE: i64 = 8;
pub const SET: i64 = 9;
pub const TRIM: i64 = 10;
pub const CLEAR: i64 = 11;
pub const INCREMENT: i64 = 12;
pub const SORT: i64 = 13;
pub const SIZE: i64 = 16;
pub const GET: i64 = 17;
pub const GET_RANGE: i64 = 18;
pub const GET_BY_INDEX: i64 = 19;
pub const GET_BY_VALUE: i64 = 20;
pub const GET_BY_RANK: i64 = 21;
pub const GET_ALL_BY_VALUE: i64 = 22;
pub const GET_BY_VALUE_LIST: i64 = 23;
pub const GET_BY_INDEX_RANGE: i64 = 24;
pub const GET_BY_VALUE_INTERVAL: i64 = 25;
pub const GET_BY_RANK_RANGE: i64 = 26;
pub const GET_BY_VALUE_REL_RANK_RANGE: i64 = 27;
pub const REMOVE_BY_INDEX: i64 = 32;
pub const REMOVE_BY_VALUE_REL_RANK_RANGE: i64 = 40;

// List write flags: the shared NO_FAIL and DO_PARTIAL, and these two in place of
// CREATE_ONLY / UPDATE_ONLY.
const ADD_UNIQUE: u64 = 1;
const INSERT_BOUNDED: u64 = 2;

/// Whether a list op code reads only.
pub fn is_read_code(code: i64) -> bool {
    (SIZE..=GET_BY_VALUE_REL_RANK_RANGE).contains(&code)
}

/// Whether a list op code exists.
pub fn is_list_code(code: i64) -> bool {
    (SET_TYPE..=SORT).contains(&code)
        || is_read_code(code)
        || (REMOVE_BY_INDEX..=REMOVE_BY_VALUE_REL_RANK_RANGE).contains(&code)
}

/// The order a modify op asks for when it has to create the list.
pub fn create_order(p: &Params) -> bool {
    let at = match p.code {
        APPEND | APPEND_ITEMS => 1,
        INCREMENT => 2,
        SET_TYPE => 0,
        _ => return false,
    };
    p.opt_int(at).ok().flatten().unwrap_or(0) & 1 != 0
}

/// Applies a list op. Returns the op's result.
pub fn apply(list: &mut List, p: &Params) -> Result<Option<Value>, u8> {
    let n = list.items.len();
    match p.code {
        SET_TYPE => {
            p.at_most(2)?;
            list.ordered = p.int(0)? & 1 != 0;
            if list.ordered {
                list.items.sort_by(compare);
            }
            Ok(None)
        }
        APPEND | APPEND_ITEMS => {
            p.at_most(3)?;
            let items: Vec<Value> = if p.code == APPEND {
                vec![p.value(0)?.clone()]
            } else {
                p.list(0)?.to_vec()
            };
            let flags = p.int_or(2, 0)? as u64;
            let items = unique::filter(list, items, flags)?;
            for v in items {
                check_storable(&v)?;
                insert_value(list, v);
            }
            Ok(Some(Value::Int(list.items.len() as i64)))
        }
        INSERT | INSERT_ITEMS => {
            p.at_most(3)?;
            let idx = p.int(0)?;
            let items: Vec<Value> = if p.code == INSERT {
                vec![p.value(1)?.clone()]
            } else {
                p.list(1)?.to_vec()
            };
            let flags = p.int_or(2, 0)? as u64;
            if list.ordered {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            // Inserting no items is a no-op, wherever.
            if items.is_empty() {
                return Ok(Some(Value::Int(n as i64)));
            }
            let at = if idx < 0 { idx + n as i64 } else { idx };
            // Before the start is refused whatever the flags; NO_FAIL only covers INSERT_BOUNDED.
            if at < 0 {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            if flags & INSERT_BOUNDED != 0 && at > n as i64 {
                return fail_or_skip(flags, list);
            }
            let items = unique::filter(list, items, flags)?;
            if items.is_empty() {
                return Ok(Some(Value::Int(n as i64)));
            }
            let at = at as usize;
            if at > n {
                list.items.resize(at, Value::Nil);
            }
            for v in &items {
                check_storable(v)?;
            }
            list.items.splice(at..at, items);
            Ok(Some(Value::Int(list.items.len() as i64)))
        }
        POP | REMOVE => {
            p.at_most(1)?;
            let i = single_index(p.int(0)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            let v = list.items.remove(i);
            Ok(Some(if p.code == POP { v } else { Value::Int(1) }))
        }
        POP_RANGE | REMOVE_RANGE => {
            p.at_most(2)?;
            let (s, c) = index_range(p.int(0)?, p.opt_int(1)?, n);
            let removed: Vec<Value> = list.items.drain(s..s + c).collect();
            Ok(Some(if p.code == POP_RANGE {
                Value::List(List {
                    items: removed,
                    ..Default::default()
                })
            } else {
                Value::Int(c as i64)
            }))
        }
        SET => {
            p.at_most(3)?;
            let idx = p.int(0)?;
            let v = p.value(1)?.clone();
            let flags = p.int_or(2, 0)? as u64;
            check_storable(&v)?;
            if list.ordered {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            let at = if idx < 0 { idx + n as i64 } else { idx };
            if at < 0 {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            // Past the end a set is an insert: bounded, it may still append.
            if flags & INSERT_BOUNDED != 0 && at > n as i64 {
                return fail_or_skip(flags, list).map(|_| None);
            }
            if flags & ADD_UNIQUE != 0
                && list
                    .items
                    .iter()
                    .enumerate()
                    .any(|(i, x)| i as i64 != at && compare(x, &v) == Ordering::Equal)
            {
                return if flags & NO_FAIL != 0 {
                    Ok(None)
                } else {
                    Err(rc::ELEMENT_EXISTS)
                };
            }
            let at = at as usize;
            if at >= n {
                list.items.resize(at + 1, Value::Nil);
            }
            list.items[at] = v;
            Ok(None)
        }
        TRIM => {
            p.at_most(2)?;
            let (s, c) = index_range(p.int(0)?, Some(p.int(1)?), n);
            let kept: Vec<Value> = list.items.drain(s..s + c).collect();
            list.items = kept;
            Ok(Some(Value::Int((n - c) as i64)))
        }
        CLEAR => {
            p.at_most(0)?;
            list.items.clear();
            Ok(None)
        }
        INCREMENT => increment(list, p),
        SORT => {
            p.at_most(1)?;
            let flags = p.int_or(0, 0)?;
            list.items.sort_by(compare);
            if flags & 2 != 0 {
                list.items.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
            }
            if flags & 1 != 0 && !list.ordered {
                list.items.reverse();
            }
            Ok(None)
        }
        SIZE => {
            p.at_most(0)?;
            Ok(Some(Value::Int(n as i64)))
        }
        GET => {
            p.at_most(1)?;
            let i = single_index(p.int(0)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            Ok(Some(list.items[i].clone()))
        }
        GET_RANGE => {
            p.at_most(2)?;
            let (s, c) = index_range(p.int(0)?, p.opt_int(1)?, n);
            Ok(Some(Value::List(List {
                items: list.items[s..s + c].to_vec(),
                ..Default::default()
            })))
        }
        code if (GET_BY_INDEX..=GET_BY_VALUE_REL_RANK_RANGE).contains(&code) => {
            let (_, result) = select(list, p, code)?;
            Ok(result)
        }
        code if (REMOVE_BY_INDEX..=REMOVE_BY_VALUE_REL_RANK_RANGE).contains(&code) => {
            let (sel, result) = select(list, p, code - 13)?;
            remove_positions(&mut list.items, sel);
            Ok(result)
        }
        _ => Err(rc::PARAMETER),
    }
}

/// Runs a get-by selection (code in the GET_BY_* range). Returns positions and result.
fn select(list: &List, p: &Params, code: i64) -> Result<(Vec<usize>, Option<Value>), u8> {
    let rt = ReturnType::parse(p.int(0)?, false)?;
    let view = View::list(list);
    let n = view.len();
    let (sel, single) = match code {
        GET_BY_INDEX => {
            p.at_most(2)?;
            let i = single_index(p.int(1)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            if matches!(rt.base, RT_RANK | RT_REVERSE_RANK) && !list.ordered && !rt.inverted {
                // The server looks the element's value up: equal elements share a rank.
                let r = view.rank_of_value(view.values[i]);
                let r = if rt.base == RT_RANK { r } else { n - 1 - r };
                return Ok((vec![i], Some(Value::Int(r as i64))));
            }
            (vec![i], true)
        }
        GET_BY_RANK => {
            p.at_most(2)?;
            let r = single_index(p.int(1)?, n).ok_or(rc::OP_NOT_APPLICABLE)?;
            let sel = ranks(list, &view, r, 1);
            if matches!(rt.base, RT_RANK | RT_REVERSE_RANK) && !rt.inverted {
                // The server answers the rank asked for, whichever equal element it picked.
                let r = if rt.base == RT_RANK { r } else { n - 1 - r };
                return Ok((sel, Some(Value::Int(r as i64))));
            }
            (sel, true)
        }
        GET_BY_VALUE | GET_ALL_BY_VALUE => {
            // The server selects by value as the interval [v, v]: a run of ranks.
            p.at_most(2)?;
            let v = p.value(1)?;
            let sel = view.all_by_value(v);
            let run = span(list, view.rank_of_value(v), sel.len(), false);
            return by_value_run(&view, rt, sel, run);
        }
        GET_BY_VALUE_LIST => {
            p.at_most(2)?;
            let vs = p.list(1)?;
            if vs.is_empty() && rt.inverted {
                // Inverting no values is the whole list, as an index range.
                let run = span(list, 0, n, true);
                let plain = ReturnType {
                    inverted: false,
                    ..rt
                };
                return view.finish_span(plain, view.by_index.clone(), run);
            }
            let (sel, result) = view.finish(rt, view.by_value_list(vs), false)?;
            if list.ordered && !rt.inverted {
                let runs = view.value_runs(vs);
                if let Some(r) = ordered::by_value_runs(list, rt.base, &runs) {
                    return Ok((sel, Some(r)));
                }
            }
            if !list.ordered && matches!(rt.base, RT_RANK | RT_REVERSE_RANK) {
                // Ranks per value in the order given (inverted: the gaps between them).
                let rev = rt.base == RT_REVERSE_RANK;
                let runs = item_runs(n, rev, rt.inverted, view.value_runs(vs));
                return Ok((sel, Some(runs)));
            }
            return Ok((sel, result));
        }
        GET_BY_INDEX_RANGE => {
            p.at_most(3)?;
            let (s, c) = index_range(p.int(1)?, p.opt_int(2)?, n);
            return view.finish_span(rt, view.by_index[s..s + c].to_vec(), span(list, s, c, true));
        }
        GET_BY_RANK_RANGE => {
            p.at_most(3)?;
            let (s, c) = index_range(p.int(1)?, p.opt_int(2)?, n);
            return view.finish_span(rt, ranks(list, &view, s, c), span(list, s, c, false));
        }
        GET_BY_VALUE_INTERVAL => {
            p.at_most(3)?;
            let begin = p.value(1)?;
            let end = p.args.get(2);
            let mut sel = view.value_interval(begin, end);
            let start = view.rank_of_value(begin);
            let run = span(list, start, sel.len(), false);
            if !list.ordered {
                sel.sort_unstable();
            }
            return by_value_run(&view, rt, sel, run);
        }
        GET_BY_VALUE_REL_RANK_RANGE => {
            p.at_most(4)?;
            let base = view.rank_of_value(p.value(1)?);
            let (s, c) = relative_range(base, p.int(2)?, p.opt_int(3)?, n);
            return view.finish_span(rt, ranks(list, &view, s, c), span(list, s, c, false));
        }
        _ => return Err(rc::PARAMETER),
    };
    view.finish(rt, sel, single)
}

/// The elements of ranks `s..s + c`: an ordered list's are its indexes; an unordered list's
/// as the real server's order heap picks them (and in its order).
fn ranks(list: &List, view: &View, s: usize, c: usize) -> Vec<usize> {
    if list.ordered {
        view.by_rank[s..s + c].to_vec()
    } else {
        heap::rank_range(&view.values, s, c)
    }
}

/// A selection by value: an unordered list's inverted one answers EXISTS by what the values
/// matched (true when nothing did, even in an empty list).
fn by_value_run(
    view: &View,
    rt: ReturnType,
    sel: Vec<usize>,
    run: Span,
) -> Result<(Vec<usize>, Option<Value>), u8> {
    if let (Span::Rank { count, .. }, RT_EXISTS, true) = (run, rt.base, rt.inverted) {
        return Ok((view.invert(&sel), Some(Value::Bool(count == 0))));
    }
    view.finish_span(rt, sel, run)
}

/// The run a range selection is for the server: an ordered list's ranks are its indexes, so
/// every range there is an index range; an unordered list's rank ranges stay rank ranges.
fn span(list: &List, start: usize, count: usize, by_index: bool) -> Span {
    if by_index || list.ordered {
        Span::Index {
            start,
            count,
            ordered: list.ordered,
        }
    } else {
        Span::Rank { start, count }
    }
}

/// Removes the given positions from a vector.
pub fn remove_positions<T>(items: &mut Vec<T>, mut sel: Vec<usize>) {
    sel.sort_unstable();
    sel.dedup();
    let mut k = 0;
    let mut i = 0;
    items.retain(|_| {
        let drop = k < sel.len() && sel[k] == i;
        if drop {
            k += 1;
        }
        i += 1;
        !drop
    });
}

fn increment(list: &mut List, p: &Params) -> Result<Option<Value>, u8> {
    p.at_most(4)?;
    let n = list.items.len();
    let idx = p.int(0)?;
    let delta = p.args.get(1).cloned().unwrap_or(Value::Int(1));
    let flags = p.int_or(3, 0)? as u64;
    let at = if idx < 0 { idx + n as i64 } else { idx };
    // Before the start, or past the end of an ordered list (which cannot be padded), is
    // refused whatever the flags.
    if at < 0 || (list.ordered && at > n as i64) {
        return Err(rc::OP_NOT_APPLICABLE);
    }
    // Past the end an unordered increment is an insert: bounded, it may still append. An
    // ordered list replaces in place and has no bound to check.
    if flags & INSERT_BOUNDED != 0 && !list.ordered && at > n as i64 {
        // The server works the new value out, and answers it, before the bound refuses it.
        if !matches!(delta, Value::Int(_) | Value::Float(_)) {
            return Err(rc::PARAMETER);
        }
        return fail_or_skip(flags, list).map(|_| Some(delta));
    }
    let at = at as usize;
    // Only past the end starts from nothing; a nil element is not a number.
    if matches!(list.items.get(at), Some(Value::Nil)) {
        return Err(rc::PARAMETER);
    }
    let current = list.items.get(at).cloned().unwrap_or(Value::Nil);
    let new = match (&current, &delta) {
        (Value::Nil, Value::Int(_) | Value::Float(_)) => delta.clone(),
        (Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_add(*b)),
        (Value::Int(a), Value::Float(b)) => Value::Int(a.wrapping_add(*b as i64)),
        (Value::Float(a), Value::Float(b)) => Value::Float(a + b),
        (Value::Float(a), Value::Int(b)) => Value::Float(a + *b as f64),
        _ => return Err(rc::PARAMETER),
    };
    if flags & ADD_UNIQUE != 0
        && list
            .items
            .iter()
            .enumerate()
            .any(|(i, x)| i != at && compare(x, &new) == Ordering::Equal)
    {
        return if flags & NO_FAIL != 0 {
            Ok(Some(new))
        } else {
            Err(rc::ELEMENT_EXISTS)
        };
    }
    if list.ordered {
        if at < n {
            list.items.remove(at);
        }
        insert_value(list, new.clone());
    } else {
        if at >= n {
            list.items.resize(at + 1, Value::Nil);
        }
        list.items[at] = new.clone();
    }
    Ok(Some(new))
}

/// Appends a value, keeping an ordered list sorted (after equal elements).
fn insert_value(list: &mut List, v: Value) {
    if list.ordered {
        let at = list
            .items
            .partition_point(|x| compare(x, &v) != Ordering::Greater);
        list.items.insert(at, v);
    } else {
        list.items.push(v);
    }
}

fn fail_or_skip(flags: u64, list: &List) -> Result<Option<Value>, u8> {
    if flags & NO_FAIL != 0 {
        Ok(Some(Value::Int(list.items.len() as i64)))
    } else {
        Err(rc::OP_NOT_APPLICABLE)
    }
}

/// Values that may not be stored inside a collection.
pub fn check_storable(v: &Value) -> Result<(), u8> {
    match v {
        Value::Wildcard | Value::Infinity => Err(rc::PARAMETER),
        Value::List(l) => l.items.iter().try_for_each(check_storable),
        Value::Map(m) => m.entries.iter().try_for_each(|(k, v)| {
            check_storable(k)?;
            check_storable(v)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::select::*;
    use crate::value::{List, Value};

    fn ints(v: Option<Value>) -> Vec<i64> {
        let Some(Value::List(r)) = v else { panic!() };
        r.items.iter().map(|x| x.as_int().unwrap()).collect()
    }

    #[test]
    fn runs_come_back_ascending_even_reversed() {
        // [5, 3, 5, 1]: indexes 1..3 are one run; reversed, the run [0, 1, 2] (n - 1 - 3 ..).
        let l = List {
            items: [5, 3, 5, 1].map(Value::Int).to_vec(),
            ..Default::default()
        };
        let v = View::list(&l);
        let run = Span::Index {
            start: 1,
            count: 3,
            ordered: false,
        };
        let rt = |t| ReturnType::parse(t, false).unwrap();
        let (_, r) = v
            .finish_span(rt(RT_REVERSE_INDEX), vec![1, 2, 3], run)
            .unwrap();
        assert_eq!(ints(r), vec![0, 1, 2]);
        // Ranks element by element; the two 5s share rank 2.
        let (_, r) = v
            .finish_span(
                rt(RT_RANK),
                vec![0, 1, 2],
                Span::Index {
                    start: 0,
                    count: 3,
                    ordered: false,
                },
            )
            .unwrap();
        assert_eq!(ints(r), vec![2, 1, 2]);
        // Inverted: the runs before and after, each reversed as a run.
        let (sel, r) = v
            .finish_span(
                rt(RT_REVERSE_INDEX | RT_INVERTED),
                vec![1, 2],
                Span::Index {
                    start: 1,
                    count: 2,
                    ordered: false,
                },
            )
            .unwrap();
        assert_eq!(sel, vec![0, 3]);
        assert_eq!(ints(r), vec![3, 0]);
        // A rank run answers ranks as the run; an inverted one tests EXISTS by itself.
        let (_, r) = v
            .finish_span(
                rt(RT_REVERSE_RANK),
                vec![0, 2],
                Span::Rank { start: 2, count: 2 },
            )
            .unwrap();
        assert_eq!(ints(r), vec![0, 1]);
        let (_, r) = v
            .finish_span(
                rt(RT_EXISTS | RT_INVERTED),
                vec![0, 2],
                Span::Rank { start: 2, count: 2 },
            )
            .unwrap();
        assert!(matches!(r, Some(Value::Bool(false))));
    }
}

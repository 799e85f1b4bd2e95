//! ADD_UNIQUE (with NO_FAIL and DO_PARTIAL) for the items an append or insert adds, checked as
//! the real server checks them: an item already in the list is ELEMENT_EXISTS (24), an item
//! given twice is OP_NOT_APPLICABLE (26), and an ordered list looks for repeats first.

use std::cmp::Ordering;

use super::{ADD_UNIQUE, DO_PARTIAL, NO_FAIL};
use crate::rc;
use crate::value::{compare, List, Value};

/// The items to add. An empty answer for items given means: add nothing, answer the size.
pub fn filter(list: &List, items: Vec<Value>, flags: u64) -> Result<Vec<Value>, u8> {
    if flags & ADD_UNIQUE == 0 || items.is_empty() {
        return Ok(items);
    }
    let no_fail = flags & NO_FAIL != 0;
    let partial = flags & DO_PARTIAL != 0;
    let equal = |a: &Value, b: &Value| compare(a, b) == Ordering::Equal;
    let in_list = |v: &Value| list.items.iter().any(|x| equal(x, v));
    let repeat = |i: usize| items[..i].iter().any(|x| equal(x, &items[i]));
    let exists = || {
        if no_fail {
            Ok(Vec::new())
        } else {
            Err(rc::ELEMENT_EXISTS)
        }
    };
    let mut kept = Vec::with_capacity(items.len());
    if list.ordered {
        if (0..items.len()).any(repeat) {
            if !no_fail {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            if !partial {
                return Ok(Vec::new());
            }
        }
        for (i, v) in items.iter().enumerate() {
            if repeat(i) {
                continue;
            }
            if in_list(v) {
                if partial {
                    continue;
                }
                return exists();
            }
            kept.push(v.clone());
        }
        return Ok(kept);
    }
    // An unordered list: item by item, in the order given.
    for (i, v) in items.iter().enumerate() {
        if in_list(v) {
            if partial {
                continue;
            }
            return exists();
        }
        if repeat(i) {
            if !no_fail {
                return Err(rc::OP_NOT_APPLICABLE);
            }
            if !partial {
                return Ok(Vec::new());
            }
            continue;
        }
        kept.push(v.clone());
    }
    if kept.is_empty() {
        return exists();
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::encode;

    fn list(items: &[i64], ordered: bool) -> List {
        List {
            items: items.iter().map(|&i| Value::Int(i)).collect(),
            ordered,
            ..Default::default()
        }
    }

    /// What `filter` answers, comparable: the kept items encoded, or the error code.
    fn run(l: &List, items: &[i64], flags: u64) -> Result<Vec<u8>, u8> {
        let items = items.iter().map(|&i| Value::Int(i)).collect();
        filter(l, items, flags).map(|kept| {
            encode(&Value::List(List {
                items: kept,
                ..Default::default()
            }))
        })
    }

    #[test]
    fn an_item_given_twice_is_not_applicable_one_in_the_list_exists() {
        let kept = |items: &[i64]| Ok(run(&list(&[], false), items, 0).unwrap());
        for ordered in [false, true] {
            let l = list(&[1, 2], ordered);
            assert_eq!(run(&l, &[5, 5], ADD_UNIQUE), Err(rc::OP_NOT_APPLICABLE));
            assert_eq!(run(&l, &[2, 5], ADD_UNIQUE), Err(rc::ELEMENT_EXISTS));
            let partial = ADD_UNIQUE | NO_FAIL | DO_PARTIAL;
            assert_eq!(run(&l, &[2, 5, 5, 6], partial), kept(&[5, 6]));
        }
        // An ordered list looks for repeats first; an unordered one goes item by item.
        let unique = ADD_UNIQUE;
        assert_eq!(
            run(&list(&[1], true), &[1, 5, 5], unique),
            Err(rc::OP_NOT_APPLICABLE)
        );
        assert_eq!(
            run(&list(&[1], false), &[1, 5, 5], unique),
            Err(rc::ELEMENT_EXISTS)
        );
    }
}

//! Comparisons of two values of the same static type, list membership and map keys/values.
//!
//! Lists and maps compare in Aerospike's value order. Like the server, a comparison that
//! involves a map without key order (and at least one entry) is unknown: its order is not
//! defined.

use std::cmp::Ordering;

use super::ast::Cmp;
use super::value::Val;
use aerospike_cdt::value::{decode, List, Value};

/// Applies a comparison to two known values.
pub fn compare(op: Cmp, a: &Val, b: &Val) -> Val {
    let ord = match (a, b) {
        (Val::Nil, Val::Nil) => Ordering::Equal,
        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        (Val::Float(x), Val::Float(y)) => {
            // IEEE semantics: every comparison with NaN is false except "not equal".
            let (x, y) = (*x, *y);
            return Val::Bool(match op {
                Cmp::Eq => x == y,
                Cmp::Ne => x != y,
                Cmp::Gt => x > y,
                Cmp::Ge => x >= y,
                Cmp::Lt => x < y,
                Cmp::Le => x <= y,
            });
        }
        (Val::Str(x), Val::Str(y)) | (Val::Blob(x), Val::Blob(y)) => x.cmp(y),
        (
            Val::List(x) | Val::Map(x) | Val::Msgpack(x),
            Val::List(y) | Val::Map(y) | Val::Msgpack(y),
        ) => match msgpack_order(x, y) {
            Some(o) => o,
            None => return Val::Unknown,
        },
        _ => return Val::Unknown,
    };
    Val::Bool(match op {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
    })
}

/// Orders two msgpack values; `None` when either does not decode or holds an unordered map.
fn msgpack_order(x: &[u8], y: &[u8]) -> Option<Ordering> {
    let (x, y) = (decode(x).ok()?, decode(y).ok()?);
    if has_unordered_map(&x) || has_unordered_map(&y) {
        return None;
    }
    Some(aerospike_cdt::compare(&x, &y))
}

/// Whether a value holds (anywhere) a non-empty map without key order.
fn has_unordered_map(v: &Value) -> bool {
    match v {
        Value::Map(m) => {
            (!m.entries.is_empty() && m.order & 1 == 0)
                || m.entries
                    .iter()
                    .any(|(k, v)| has_unordered_map(k) || has_unordered_map(v))
        }
        Value::List(l) => l.items.iter().any(has_unordered_map),
        _ => false,
    }
}

/// Whether `v` equals an element of `list`.
pub fn in_list(v: &Val, list: &Val) -> Val {
    let Val::List(bytes) = list else {
        return Val::Unknown;
    };
    let (Ok(Value::List(l)), Some(v)) = (decode(bytes), v.to_msgpack()) else {
        return Val::Unknown;
    };
    let Ok(v) = decode(&v) else {
        return Val::Unknown;
    };
    Val::Bool(
        l.items
            .iter()
            .any(|x| aerospike_cdt::compare(&v, x) == Ordering::Equal),
    )
}

/// The keys (or values) of a map, as a list.
pub fn map_entries(map: &Val, values: bool) -> Val {
    let (Val::Map(bytes) | Val::Msgpack(bytes)) = map else {
        return Val::Unknown;
    };
    let Ok(Value::Map(m)) = decode(bytes) else {
        return Val::Unknown;
    };
    let items = m
        .entries
        .into_iter()
        .map(|(k, v)| if values { v } else { k })
        .collect();
    Val::List(aerospike_cdt::encode(&Value::List(List {
        items,
        ..Default::default()
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_comparisons() {
        assert_eq!(
            compare(Cmp::Lt, &Val::Int(1), &Val::Int(2)),
            Val::Bool(true)
        );
        assert_eq!(compare(Cmp::Ge, &Val::Nil, &Val::Nil), Val::Bool(true));
        assert_eq!(
            compare(Cmp::Gt, &Val::Bool(true), &Val::Bool(false)),
            Val::Bool(true)
        );
        let nan = Val::Float(f64::NAN);
        assert_eq!(compare(Cmp::Eq, &nan, &nan), Val::Bool(false));
        assert_eq!(compare(Cmp::Ne, &nan, &nan), Val::Bool(true));
        // Byte order, then the shorter first.
        let s = |x: &str| Val::Str(x.as_bytes().to_vec());
        assert_eq!(compare(Cmp::Lt, &s("ab"), &s("abc")), Val::Bool(true));
        assert_eq!(compare(Cmp::Gt, &s("b"), &s("abc")), Val::Bool(true));
    }

    #[test]
    fn containers_and_unordered_maps() {
        let l = |b: &[u8]| Val::List(b.to_vec());
        assert_eq!(
            compare(Cmp::Eq, &l(&[0x92, 1, 2]), &l(&[0x92, 1, 2])),
            Val::Bool(true)
        );
        assert_eq!(
            compare(Cmp::Lt, &l(&[0x91, 1]), &l(&[0x92, 1, 2])),
            Val::Bool(true)
        );
        // {1: 2} without order: unknown; with the key-order marker: comparable.
        let unordered = Val::Map(vec![0x81, 1, 2]);
        let ordered = Val::Map(vec![0x82, 0xc7, 0, 1, 0xc0, 1, 2]);
        assert_eq!(compare(Cmp::Eq, &unordered, &unordered), Val::Unknown);
        assert_eq!(compare(Cmp::Eq, &ordered, &ordered), Val::Bool(true));
        assert_eq!(
            compare(Cmp::Eq, &Val::Map(vec![0x80]), &Val::Map(vec![0x80])),
            Val::Bool(true)
        );
    }

    #[test]
    fn membership_and_entries() {
        let list = Val::List(vec![
            0x93, 1, 0xa2, 3, b'a', 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0,
        ]);
        assert_eq!(in_list(&Val::Int(1), &list), Val::Bool(true));
        assert_eq!(in_list(&Val::Str(b"a".to_vec()), &list), Val::Bool(true));
        assert_eq!(in_list(&Val::Float(1.0), &list), Val::Bool(true));
        assert_eq!(in_list(&Val::Int(2), &list), Val::Bool(false));
        let map = Val::Map(vec![0x82, 1, 2, 3, 4]);
        assert_eq!(map_entries(&map, false), Val::List(vec![0x92, 1, 3]));
        assert_eq!(map_entries(&map, true), Val::List(vec![0x92, 2, 4]));
        assert_eq!(map_entries(&Val::Int(1), true), Val::Unknown);
    }
}

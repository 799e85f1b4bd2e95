//! CDT contexts for indexes on nested elements: the msgpack `[type, value, …]` path sent base64
//! in `sindex-create …;context=` and raw in a query's INDEX_CONTEXT field, and a read-only walk
//! down a list/map bin along it.
//!
//! An index context only selects; the create flags a write context may carry are refused, as
//! are the 8.1 expression and keys-in steps.

use std::cmp::Ordering;

use aerospike_cdt::select::{single_index, View};
use aerospike_cdt::value::{compare, decode, List, Value};

const LIST_INDEX: i64 = 0x10;
const LIST_RANK: i64 = 0x11;
const LIST_VALUE: i64 = 0x13;
const MAP_INDEX: i64 = 0x20;
const MAP_RANK: i64 = 0x21;
const MAP_KEY: i64 = 0x22;
const MAP_VALUE: i64 = 0x23;

/// One step of a path.
#[derive(Debug, Clone)]
pub struct Step {
    kind: i64,
    arg: Value,
}

/// A parsed context: the steps, in order.
#[derive(Debug, Clone, Default)]
pub struct Path {
    pub steps: Vec<Step>,
}

impl Path {
    /// Parses packed context bytes; `None` when they are not a valid index context.
    pub fn parse(bytes: &[u8]) -> Option<Path> {
        let Ok(Value::List(List { items, .. })) = decode(bytes) else {
            return None;
        };
        if items.is_empty() || items.len() % 2 != 0 {
            return None;
        }
        let steps = items
            .chunks(2)
            .map(|pair| {
                let kind = pair[0].as_int()?;
                let positional = matches!(kind, LIST_INDEX | LIST_RANK | MAP_INDEX | MAP_RANK);
                let by_value = matches!(kind, LIST_VALUE | MAP_KEY | MAP_VALUE);
                if positional && pair[1].as_int().is_none() {
                    return None;
                }
                if !(positional || by_value) || pair[1].is_special() {
                    return None;
                }
                Some(Step {
                    kind,
                    arg: pair[1].clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Path { steps })
    }

    /// The element the path leads to, if every step finds one.
    pub fn walk<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        self.steps.iter().try_fold(root, |v, s| step(v, s))
    }
}

fn step<'a>(v: &'a Value, s: &Step) -> Option<&'a Value> {
    let equal = |x: &Value| compare(x, &s.arg) == Ordering::Equal;
    match (s.kind, v) {
        (LIST_INDEX, Value::List(l)) => l.items.get(single_index(s.arg.as_int()?, l.items.len())?),
        (LIST_RANK, Value::List(l)) => {
            let view = View::list(l);
            let r = single_index(s.arg.as_int()?, view.len())?;
            l.items.get(view.by_rank[r])
        }
        (LIST_VALUE, Value::List(l)) => l.items.iter().find(|x| equal(x)),
        (MAP_INDEX | MAP_RANK, Value::Map(m)) => {
            let view = View::map(m);
            let i = single_index(s.arg.as_int()?, view.len())?;
            let pos = if s.kind == MAP_INDEX {
                view.by_index[i]
            } else {
                view.by_rank[i]
            };
            m.entries.get(pos).map(|e| &e.1)
        }
        (MAP_KEY, Value::Map(m)) => m.entries.iter().find(|e| equal(&e.0)).map(|e| &e.1),
        (MAP_VALUE, Value::Map(m)) => m.entries.iter().find(|e| equal(&e.1)).map(|e| &e.1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aerospike_cdt::value::{encode, Map};

    fn list(items: Vec<Value>) -> Value {
        Value::List(List {
            items,
            ..Default::default()
        })
    }

    #[test]
    fn walks_maps_and_lists() {
        let inner = list(vec![Value::Int(7), Value::Int(3)]);
        let root = Value::Map(Map {
            entries: vec![
                (Value::str("z"), Value::Int(1)),
                (Value::str("nested"), inner.clone()),
            ],
            ..Default::default()
        });
        let by_key = encode(&list(vec![Value::Int(MAP_KEY), Value::str("nested")]));
        let p = Path::parse(&by_key).unwrap();
        assert!(matches!(p.walk(&root), Some(Value::List(_))));
        let deeper = encode(&list(vec![
            Value::Int(MAP_KEY),
            Value::str("nested"),
            Value::Int(LIST_RANK),
            Value::Int(0),
        ]));
        let p = Path::parse(&deeper).unwrap();
        assert_eq!(p.walk(&root).and_then(Value::as_int), Some(3));
        // Map index follows key order: "nested" sorts before "z".
        let first = encode(&list(vec![Value::Int(MAP_INDEX), Value::Int(0)]));
        assert!(matches!(
            Path::parse(&first).unwrap().walk(&root),
            Some(Value::List(_))
        ));
        let missing = encode(&list(vec![Value::Int(MAP_KEY), Value::str("nope")]));
        assert!(Path::parse(&missing).unwrap().walk(&root).is_none());
    }

    #[test]
    fn refuses_create_flags_and_bad_shapes() {
        let create = encode(&list(vec![Value::Int(LIST_INDEX | 0x40), Value::Int(0)]));
        assert!(Path::parse(&create).is_none());
        assert!(Path::parse(&encode(&list(vec![Value::Int(LIST_INDEX)]))).is_none());
        assert!(Path::parse(&encode(&list(vec![]))).is_none());
        assert!(Path::parse(b"\xc1").is_none());
        let bad_arg = encode(&list(vec![Value::Int(LIST_INDEX), Value::str("x")]));
        assert!(Path::parse(&bad_arg).is_none());
    }
}

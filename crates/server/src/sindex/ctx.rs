//! CDT contexts for indexes on nested elements: the msgpack `[type, value, …]` path sent base64
//! in `sindex-create …;context=` and raw in a query's INDEX_CONTEXT field, and a read-only walk
//! down a list/map bin along it.
//!
//! An index context only selects; the create flags a write context may carry are refused, as
//! are the 8.1 expression and keys-in steps.

use aerospike_cdt::context;
use aerospike_cdt::value::Value;

/// A parsed index context (the protocol crate's path, parsed as an index takes it).
#[derive(Debug, Clone, Default)]
pub struct Path(context::Path);

impl Path {
    /// Parses packed context bytes; `None` when they are not a valid index context.
    pub fn parse(bytes: &[u8]) -> Option<Path> {
        context::Path::parse_index(bytes).map(Path)
    }

    /// The element the path leads to, if every step finds one.
    pub fn walk<'a>(&self, root: &'a Value) -> Option<&'a Value> {
        self.0.walk(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aerospike_cdt::context::path::{LIST_INDEX, LIST_RANK, MAP_INDEX, MAP_KEY};
    use aerospike_cdt::value::{encode, List, Map};

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

//! The crate's values in the shared msgpack value model (`aerospike_cdt::value`) and back: for
//! the client-side phase of aggregations, and for the msgpack bytes of list and map bins that a
//! `deserialize: false` policy asks for.

use aerospike::{FloatValue, Value};
use aerospike_cdt::value::{self as mp, Value as Mp};

/// A crate value as a msgpack value. A key-ordered map keeps its order flag, so that it encodes
/// as the server stores it.
pub fn to_mp(v: &Value) -> Mp {
    match v {
        Value::Nil => Mp::Nil,
        Value::Bool(b) => Mp::Bool(*b),
        Value::Int(i) => Mp::Int(*i),
        Value::Float(f) => Mp::Float(f64::from(f.clone())),
        Value::String(s) => Mp::Bytes(mp::PT_STRING, s.as_bytes().to_vec()),
        Value::Blob(b) | Value::Hll(b) => Mp::Bytes(mp::PT_BLOB, b.clone()),
        Value::GeoJson(s) => Mp::Bytes(mp::PT_GEOJSON, s.as_bytes().to_vec()),
        Value::List(l) | Value::MultiResult(l) => Mp::List(mp::List {
            ordered: false,
            extra_flags: 0,
            items: l.iter().map(to_mp).collect(),
        }),
        Value::HashMap(m) => map(0, m.iter()),
        Value::OrderedMap(m) => map(0, m.iter()),
        Value::SortedMap(m) => map(KEY_ORDERED, m.iter()),
        Value::KeyValueList(m) => map(0, m.iter().map(|(k, v)| (k, v))),
        _ => Mp::Nil,
    }
}

/// The map order flag of a key-ordered map.
const KEY_ORDERED: u8 = 1;

fn map<'a>(order: u8, entries: impl Iterator<Item = (&'a Value, &'a Value)>) -> Mp {
    Mp::Map(mp::Map {
        order,
        extra_flags: 0,
        entries: entries.map(|(k, v)| (to_mp(k), to_mp(v))).collect(),
    })
}

/// A msgpack value as a crate value (maps as key/value lists, keeping their order).
pub fn from_mp(v: Mp) -> Value {
    match v {
        Mp::Bool(b) => Value::Bool(b),
        Mp::Int(i) => Value::Int(i),
        Mp::Float(f) => Value::Float(FloatValue::from(f)),
        Mp::Bytes(mp::PT_STRING, s) => Value::String(String::from_utf8_lossy(&s).into_owned()),
        Mp::Bytes(mp::PT_GEOJSON, s) => Value::GeoJson(String::from_utf8_lossy(&s).into_owned()),
        Mp::Bytes(_, b) => Value::Blob(b),
        Mp::List(l) => Value::List(l.items.into_iter().map(from_mp).collect()),
        Mp::Map(m) => Value::KeyValueList(
            m.entries
                .into_iter()
                .map(|(k, v)| (from_mp(k), from_mp(v)))
                .collect(),
        ),
        _ => Value::Nil,
    }
}

/// A bin value as `deserialize: false` gives it: a list or map as the msgpack bytes the server
/// keeps (a blob), anything else unchanged.
pub fn raw_cdt(v: &Value) -> Option<Value> {
    match v {
        Value::List(_)
        | Value::HashMap(_)
        | Value::OrderedMap(_)
        | Value::SortedMap(_)
        | Value::KeyValueList(_) => Some(Value::Blob(mp::encode(&to_mp(v)))),
        _ => None,
    }
}

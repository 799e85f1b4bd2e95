//! Aerospike's msgpack value model: decoding, encoding (smallest forms, as the server emits) and
//! the server's total order across types.

use std::cmp::Ordering;

use crate::msgpack::{self, write, Kind};
use crate::particle;

/// Particle types carried as the first payload byte of msgpack strings.
pub const PT_STRING: u8 = particle::STRING;
pub const PT_BLOB: u8 = particle::BLOB;
pub const PT_GEOJSON: u8 = particle::GEOJSON;

/// Map order flags (stored in the leading ext marker).
pub const MAP_UNORDERED: u8 = 0;
pub const MAP_KEY_ORDERED: u8 = 1;
pub const MAP_KEY_VALUE_ORDERED: u8 = 3;
/// Marks a KEY_VALUE result map whose pairs keep the order they were selected in.
pub const MAP_PRESERVE_ORDER: u8 = 8;

/// Deepest nesting accepted from the wire.
const MAX_DEPTH: usize = 256;

/// One msgpack value as Aerospike understands it.
#[derive(Debug, Clone)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string-class payload: particle type (3 string, 4 blob, 7–12 language blobs, 23 GeoJSON)
    /// and the bytes after it.
    Bytes(u8, Vec<u8>),
    List(List),
    Map(Map),
    /// Any other ext (never produced by ops, kept so it round-trips).
    Ext(i8, Vec<u8>),
    /// Matches any value in comparisons.
    Wildcard,
    /// Greater than every value.
    Infinity,
}

#[derive(Debug, Clone, Default)]
pub struct List {
    pub ordered: bool,
    /// Extra flag bits of the ext marker (persist index), kept for round trips.
    pub extra_flags: u8,
    pub items: Vec<Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Map {
    /// 0 unordered, 1 key-ordered, 3 key-value-ordered, 8 preserve order (results only).
    pub order: u8,
    pub extra_flags: u8,
    pub entries: Vec<(Value, Value)>,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Bytes(PT_STRING, s.as_bytes().to_vec())
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn is_special(&self) -> bool {
        matches!(self, Value::Wildcard | Value::Infinity)
    }
    /// Rank of the type class in Aerospike's cross-type order.
    fn class(&self) -> u8 {
        match self {
            Value::Nil => 1,
            Value::Bool(false) => 2,
            Value::Bool(true) => 3,
            Value::Int(_) => 4,
            Value::Bytes(PT_STRING, _) => 5,
            Value::List(_) => 6,
            Value::Map(_) => 7,
            Value::Bytes(PT_GEOJSON, _) => 10,
            Value::Bytes(_, _) => 8,
            Value::Float(_) => 9,
            Value::Ext(..) => 11,
            Value::Wildcard => 12,
            Value::Infinity => 13,
        }
    }
}

/// Compares in Aerospike's value order. A wildcard anywhere ends the comparison as equal.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match cmp_inner(a, b) {
        Cmp::Ord(o) => o,
        Cmp::Wild => Ordering::Equal,
    }
}

enum Cmp {
    Ord(Ordering),
    Wild,
}

fn cmp_inner(a: &Value, b: &Value) -> Cmp {
    use Value::*;
    if matches!(a, Wildcard) || matches!(b, Wildcard) {
        return Cmp::Wild;
    }
    let (ca, cb) = (a.class(), b.class());
    if ca != cb {
        return Cmp::Ord(ca.cmp(&cb));
    }
    let o = match (a, b) {
        (Int(x), Int(y)) => x.cmp(y),
        (Float(x), Float(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Bytes(_, x), Bytes(_, y)) => x.cmp(y),
        (Ext(_, x), Ext(_, y)) => x.cmp(y),
        (List(x), List(y)) => {
            for (p, q) in x.items.iter().zip(y.items.iter()) {
                match cmp_inner(p, q) {
                    Cmp::Ord(Ordering::Equal) => {}
                    other => return other,
                }
            }
            x.items.len().cmp(&y.items.len())
        }
        (Map(x), Map(y)) => {
            let c = x.entries.len().cmp(&y.entries.len());
            if c != Ordering::Equal {
                return Cmp::Ord(c);
            }
            for ((k1, v1), (k2, v2)) in x.entries.iter().zip(y.entries.iter()) {
                for (p, q) in [(k1, k2), (v1, v2)] {
                    match cmp_inner(p, q) {
                        Cmp::Ord(Ordering::Equal) => {}
                        other => return other,
                    }
                }
            }
            Ordering::Equal
        }
        _ => Ordering::Equal,
    };
    Cmp::Ord(o)
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError;

/// Decodes exactly one value spanning all of `buf`.
pub fn decode(buf: &[u8]) -> Result<Value, DecodeError> {
    let mut r = Reader::new(buf);
    let v = r.value(0)?;
    if !r.at_end() {
        return Err(DecodeError);
    }
    Ok(v)
}

/// Decodes values one after another (used for op parameters), through the shared msgpack
/// reader.
pub struct Reader<'a> {
    mp: msgpack::Reader<'a>,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            mp: msgpack::Reader::new(buf),
        }
    }
    pub fn at_end(&self) -> bool {
        self.mp.at_end()
    }
    pub fn read_value(&mut self) -> Result<Value, DecodeError> {
        self.value(0)
    }
    fn value(&mut self, depth: usize) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError);
        }
        let mp = &mut self.mp;
        let v = match mp.peek() {
            Kind::Nil => mp.nil().map(|_| Value::Nil),
            Kind::Bool => mp.bool().map(Value::Bool),
            Kind::Int => mp.int().map(Value::Int),
            Kind::Float => mp.float().map(Value::Float),
            Kind::Bytes => mp.bytes().map(|s| match s.split_first() {
                Some((&pt, rest)) => Value::Bytes(pt, rest.to_vec()),
                None => Value::Bytes(PT_BLOB, Vec::new()),
            }),
            Kind::Ext => mp.ext().map(|(t, data)| match (t, data) {
                (-1, [0]) => Value::Wildcard,
                (-1, [_]) => Value::Infinity,
                _ => Value::Ext(t, data.to_vec()),
            }),
            Kind::Array => return self.list(depth),
            Kind::Map => return self.map(depth),
            Kind::Invalid => None,
        };
        v.ok_or(DecodeError)
    }
    fn list(&mut self, depth: usize) -> Result<Value, DecodeError> {
        let n = self.mp.array().ok_or(DecodeError)?;
        // Each element takes at least one byte: refuse counts the buffer cannot hold.
        if n > self.mp.remaining() {
            return Err(DecodeError);
        }
        let mut list = List::default();
        let mut items = Vec::with_capacity(n);
        for i in 0..n {
            let v = self.value(depth + 1)?;
            if i == 0 {
                if let Value::Ext(flags, _) = v {
                    list.ordered = flags as u8 & 1 != 0;
                    list.extra_flags = flags as u8 & !1;
                    continue;
                }
            }
            items.push(v);
        }
        list.items = items;
        Ok(Value::List(list))
    }
    fn map(&mut self, depth: usize) -> Result<Value, DecodeError> {
        let n = self.mp.map().ok_or(DecodeError)?;
        if n > self.mp.remaining() / 2 {
            return Err(DecodeError);
        }
        let mut map = Map::default();
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let k = self.value(depth + 1)?;
            let v = self.value(depth + 1)?;
            if i == 0 {
                if let Value::Ext(flags, _) = k {
                    let f = flags as u8;
                    map.order = f & 0x0b;
                    map.extra_flags = f & !0x0b;
                    continue;
                }
            }
            entries.push((k, v));
        }
        map.entries = entries;
        Ok(Value::Map(map))
    }
}

/// Encodes a value in the forms the server emits.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(v, &mut out);
    out
}

/// Appends an integer in its smallest form.
pub use crate::msgpack::write::int as encode_int;

pub fn encode_into(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Nil => out.push(0xc0),
        Value::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
        Value::Int(i) => encode_int(*i, out),
        Value::Float(f) => write::float(*f, out),
        Value::Bytes(pt, data) => write::typed_bytes(*pt, data, out),
        Value::List(l) => {
            let flags = (l.ordered as u8) | l.extra_flags;
            let marker = flags != 0;
            write::array_header(l.items.len() + marker as usize, out);
            if marker {
                out.extend_from_slice(&[0xc7, 0, flags]);
            }
            for i in &l.items {
                encode_into(i, out);
            }
        }
        Value::Map(m) => {
            let flags = m.order | m.extra_flags;
            let marker = flags != 0;
            write::map_header(m.entries.len() + marker as usize, out);
            if marker {
                out.extend_from_slice(&[0xc7, 0, flags, 0xc0]);
            }
            for (k, v) in &m.entries {
                encode_into(k, out);
                encode_into(v, out);
            }
        }
        Value::Ext(t, data) => {
            out.extend_from_slice(&[0xc7, data.len() as u8, *t as u8]);
            out.extend_from_slice(data);
        }
        Value::Wildcard => out.extend_from_slice(&[0xd4, 0xff, 0]),
        Value::Infinity => out.extend_from_slice(&[0xd4, 0xff, 1]),
    }
}

/// Sorts map entries as the map's order requires (key order; key-ordered maps keep it).
pub fn sort_entries(entries: &mut [(Value, Value)]) {
    entries.sort_by(|a, b| compare(&a.0, &b.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(bytes: &[u8]) -> Vec<u8> {
        encode(&decode(bytes).unwrap())
    }

    #[test]
    fn round_trips_smallest_forms() {
        assert_eq!(rt(&[0xcd, 0, 5]), vec![5]);
        assert_eq!(
            rt(&[0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]),
            vec![0xd1, 0xff, 0x00]
        );
        assert_eq!(rt(&[0x93, 0xc7, 0, 1, 1, 2]), vec![0x93, 0xc7, 0, 1, 1, 2]);
        assert_eq!(rt(&[0xa3, 3, b'a', b'b']), vec![0xa3, 3, b'a', b'b']);
        assert_eq!(
            rt(&[0x82, 0xc7, 0, 1, 0xc0, 1, 2]),
            vec![0x82, 0xc7, 0, 1, 0xc0, 1, 2]
        );
    }

    #[test]
    fn refuses_truncated_and_huge_counts() {
        assert!(decode(&[0xdd, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(decode(&[0xa5, 3]).is_err());
        assert!(decode(&[0xc1]).is_err());
        assert!(decode(&[1, 2]).is_err());
        let deep = vec![0x91; 1000];
        assert!(decode(&deep).is_err());
    }

    #[test]
    fn cross_type_order() {
        let vals = [
            Value::Nil,
            Value::Bool(false),
            Value::Bool(true),
            Value::Int(-5),
            Value::Int(3),
            Value::str("a"),
            Value::List(List::default()),
            Value::Map(Map::default()),
            Value::Bytes(PT_BLOB, vec![0]),
            Value::Float(-1.0),
            Value::Bytes(PT_GEOJSON, vec![]),
            Value::Infinity,
        ];
        for w in vals.windows(2) {
            assert_eq!(
                compare(&w[0], &w[1]),
                Ordering::Less,
                "{:?} < {:?}",
                w[0],
                w[1]
            );
        }
        let pat = Value::List(List {
            items: vec![Value::str("a"), Value::Wildcard],
            ..Default::default()
        });
        let l = Value::List(List {
            items: vec![Value::str("a"), Value::Int(1), Value::Int(2)],
            ..Default::default()
        });
        assert_eq!(compare(&pat, &l), Ordering::Equal);
    }
}

//! The compact binary format that carries requests from the TypeScript facade into Rust and
//! results back out: one `Buffer` per call instead of one FFI call per value.
//!
//! Little-endian throughout. The JavaScript side of this format lives in `src/codec.ts`; the
//! two must change together (the vitest suite round-trips every tag).
//!
//! Value tags: see [`ValueTag`], which napi-rs also writes into `native.d.ts`/`native.js`, so
//! `src/codec.ts` reads the same numbers.

use std::collections::BTreeMap;

use aerospike::{FloatValue, Value};
use napi_derive::napi;

/// The tag in front of every value of the format, and what follows it.
#[napi]
pub enum ValueTag {
    /// Nil; nothing follows.
    Nil = 0,
    False = 1,
    True = 2,
    /// An integer: i64.
    Int = 3,
    /// An integer that fits a JavaScript number (results only): f64.
    SafeInt = 4,
    /// A double: f64.
    Float = 5,
    /// A string: u32 length, UTF-8.
    Str = 6,
    /// Bytes: u32 length, bytes.
    Blob = 7,
    /// A list: u32 count, values.
    List = 8,
    /// A map: u32 count, key/value pairs.
    Map = 9,
    /// GeoJSON: u32 length, UTF-8.
    GeoJson = 10,
    /// A HyperLogLog: u32 length, bytes.
    Hll = 11,
    /// Another particle (results only): u8 particle type, u32 length, bytes.
    Unknown = 12,
    /// Several results for one bin (results only): u32 count, values.
    Multi = 13,
}

pub const NIL: u8 = ValueTag::Nil as u8;
pub const FALSE: u8 = ValueTag::False as u8;
pub const TRUE: u8 = ValueTag::True as u8;
pub const INT: u8 = ValueTag::Int as u8;
pub const SAFE_INT: u8 = ValueTag::SafeInt as u8;
pub const FLOAT: u8 = ValueTag::Float as u8;
pub const STR: u8 = ValueTag::Str as u8;
pub const BLOB: u8 = ValueTag::Blob as u8;
pub const LIST: u8 = ValueTag::List as u8;
pub const MAP: u8 = ValueTag::Map as u8;
pub const GEOJSON: u8 = ValueTag::GeoJson as u8;
pub const HLL: u8 = ValueTag::Hll as u8;
pub const UNKNOWN: u8 = ValueTag::Unknown as u8;
pub const MULTI: u8 = ValueTag::Multi as u8;

/// Deepest nesting of lists and maps accepted in either direction.
pub const MAX_DEPTH: usize = 64;

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// A request that does not follow the format (a facade bug or a hand-made buffer).
#[derive(Debug)]
pub struct CodecError(pub &'static str);

/// Reads a request buffer: what is left of it, consumed from the front.
#[derive(Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { rest: buf }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let (head, rest) = self
            .rest
            .split_at_checked(n)
            .ok_or(CodecError("request truncated"))?;
        self.rest = rest;
        Ok(head)
    }

    pub fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Result<u32, CodecError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn i32(&mut self) -> Result<i32, CodecError> {
        Ok(self.u32()? as i32)
    }

    pub fn i64(&mut self) -> Result<i64, CodecError> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| CodecError("i64"))?;
        Ok(i64::from_le_bytes(b))
    }

    pub fn f64(&mut self) -> Result<f64, CodecError> {
        Ok(f64::from_bits(self.i64()? as u64))
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], CodecError> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    pub fn str(&mut self) -> Result<&'a str, CodecError> {
        std::str::from_utf8(self.bytes()?).map_err(|_| CodecError("invalid UTF-8"))
    }

    pub fn digest(&mut self) -> Result<[u8; 20], CodecError> {
        self.take(20)?.try_into().map_err(|_| CodecError("digest"))
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// A count that cannot exceed what the remaining bytes could hold (one byte per item),
    /// so a corrupt count never triggers a huge allocation.
    pub fn count(&mut self) -> Result<usize, CodecError> {
        let n = self.u32()? as usize;
        if n > self.rest.len() {
            return Err(CodecError("count exceeds request"));
        }
        Ok(n)
    }

    /// A list of strings: a count, then each string (bin names, say).
    pub fn strings(&mut self) -> Result<Vec<String>, CodecError> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.str()?.to_owned());
        }
        Ok(out)
    }

    pub fn value(&mut self) -> Result<Value, CodecError> {
        self.value_at(0)
    }

    fn value_at(&mut self, depth: usize) -> Result<Value, CodecError> {
        if depth > MAX_DEPTH {
            return Err(CodecError("value nested too deeply"));
        }
        Ok(match self.u8()? {
            NIL => Value::Nil,
            FALSE => Value::Bool(false),
            TRUE => Value::Bool(true),
            INT => Value::Int(self.i64()?),
            FLOAT => Value::Float(FloatValue::from(self.f64()?)),
            STR => Value::String(self.str()?.to_owned()),
            BLOB => Value::Blob(self.bytes()?.to_vec()),
            GEOJSON => Value::GeoJson(self.str()?.to_owned()),
            HLL => Value::Hll(self.bytes()?.to_vec()),
            LIST => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value_at(depth + 1)?);
                }
                Value::List(items)
            }
            // As the official client writes every JavaScript object and Map: a key-ordered map
            // (its keys sorted, the order flag in its header), so the server stores and
            // compares it as it would the official client's.
            MAP => {
                let n = self.count()?;
                let mut map = BTreeMap::new();
                for _ in 0..n {
                    let k = self.value_at(depth + 1)?;
                    let v = self.value_at(depth + 1)?;
                    map.insert(k, v);
                }
                Value::SortedMap(map)
            }
            _ => return Err(CodecError("unknown value tag")),
        })
    }
}

/// Builds a response buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }

    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.buf.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// A tagged integer: a number when JavaScript holds it exactly, else the 64 bits.
    pub fn int(&mut self, i: i64) {
        if (-MAX_SAFE..=MAX_SAFE).contains(&i) {
            self.u8(SAFE_INT);
            self.f64(i as f64);
        } else {
            self.u8(INT);
            self.buf.extend_from_slice(&i.to_le_bytes());
        }
    }

    pub fn value(&mut self, v: &Value) {
        self.value_at(v, 0)
    }

    fn value_at(&mut self, v: &Value, depth: usize) {
        if depth > MAX_DEPTH {
            // The server never nests this deep; cut rather than recurse without bound.
            self.u8(NIL);
            return;
        }
        match v {
            Value::Nil | Value::Infinity | Value::Wildcard => self.u8(NIL),
            Value::Bool(false) => self.u8(FALSE),
            Value::Bool(true) => self.u8(TRUE),
            Value::Int(i) => self.int(*i),
            Value::Float(f) => {
                self.u8(FLOAT);
                self.f64(f64::from(f));
            }
            Value::String(s) => {
                self.u8(STR);
                self.str(s);
            }
            Value::Blob(b) => {
                self.u8(BLOB);
                self.bytes(b);
            }
            Value::GeoJson(s) => {
                self.u8(GEOJSON);
                self.str(s);
            }
            Value::Hll(b) => {
                self.u8(HLL);
                self.bytes(b);
            }
            Value::List(items) => self.items(LIST, items, depth),
            Value::MultiResult(items) => self.items(MULTI, items, depth),
            Value::HashMap(m) => self.map(m.iter(), m.len(), depth),
            Value::OrderedMap(m) => self.map(m.iter(), m.len(), depth),
            Value::SortedMap(m) => self.map(m.iter(), m.len(), depth),
            // A map selection with the KEY_VALUE return type (the server marks it "preserve
            // order"): a flat `[k, v, k, v, …]` list, as the official client returns it.
            Value::KeyValueList(pairs) => {
                self.u8(LIST);
                self.u32((pairs.len() * 2) as u32);
                for (k, v) in pairs {
                    self.value_at(k, depth + 1);
                    self.value_at(v, depth + 1);
                }
            }
            Value::Unknown(t, b) => {
                self.u8(UNKNOWN);
                self.u8(*t);
                self.bytes(b);
            }
            // `Value` is non-exhaustive; a future variant reads as nil rather than failing.
            _ => self.u8(NIL),
        }
    }

    /// A list-shaped value: `tag`, the count, the items.
    fn items(&mut self, tag: u8, items: &[Value], depth: usize) {
        self.u8(tag);
        self.u32(items.len() as u32);
        for i in items {
            self.value_at(i, depth + 1);
        }
    }

    fn map<'v>(
        &mut self,
        it: impl Iterator<Item = (&'v Value, &'v Value)>,
        n: usize,
        depth: usize,
    ) {
        self.u8(MAP);
        self.u32(n as u32);
        for (k, v) in it {
            self.value_at(k, depth + 1);
            self.value_at(v, depth + 1);
        }
    }
}

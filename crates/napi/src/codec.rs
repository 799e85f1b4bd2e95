//! The compact binary format that carries requests from the TypeScript facade into Rust and
//! results back out: one `Buffer` per call instead of one FFI call per value.
//!
//! Little-endian throughout. The JavaScript side of this format lives in `src/codec.ts`; the
//! two must change together (the vitest suite round-trips every tag).
//!
//! Value tags:
//! | tag | value | payload |
//! |---|---|---|
//! | 0 | nil | – |
//! | 1 / 2 | false / true | – |
//! | 3 | integer | i64 |
//! | 4 | integer that fits a JS number (out only) | f64 |
//! | 5 | double | f64 |
//! | 6 | string | u32 length, UTF-8 |
//! | 7 | bytes | u32 length, bytes |
//! | 8 | list | u32 count, values |
//! | 9 | map | u32 count, key/value pairs |
//! | 10 | GeoJSON | u32 length, UTF-8 |
//! | 11 | HyperLogLog | u32 length, bytes |
//! | 12 | other particle (out only) | u8 particle type, u32 length, bytes |
//! | 13 | several results for one bin (out only) | u32 count, values |

use std::collections::BTreeMap;

use aerospike::{FloatValue, Value};

pub const NIL: u8 = 0;
pub const FALSE: u8 = 1;
pub const TRUE: u8 = 2;
pub const INT: u8 = 3;
pub const SAFE_INT: u8 = 4;
pub const FLOAT: u8 = 5;
pub const STR: u8 = 6;
pub const BLOB: u8 = 7;
pub const LIST: u8 = 8;
pub const MAP: u8 = 9;
pub const GEOJSON: u8 = 10;
pub const HLL: u8 = 11;
pub const UNKNOWN: u8 = 12;
pub const MULTI: u8 = 13;

/// Deepest nesting of lists and maps accepted in either direction.
pub const MAX_DEPTH: usize = 64;

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE: i64 = (1 << 53) - 1;

/// A request that does not follow the format (a facade bug or a hand-made buffer).
#[derive(Debug)]
pub struct CodecError(pub &'static str);

/// Reads a request buffer.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        if self.buf.len() - self.pos < n {
            return Err(CodecError("request truncated"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
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

    /// A count that cannot exceed what the remaining bytes could hold (one byte per item),
    /// so a corrupt count never triggers a huge allocation.
    pub fn count(&mut self) -> Result<usize, CodecError> {
        let n = self.u32()? as usize;
        if n > self.buf.len() - self.pos {
            return Err(CodecError("count exceeds request"));
        }
        Ok(n)
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
            Value::Int(i) if (-MAX_SAFE..=MAX_SAFE).contains(i) => {
                self.u8(SAFE_INT);
                self.f64(*i as f64);
            }
            Value::Int(i) => {
                self.u8(INT);
                self.buf.extend_from_slice(&i.to_le_bytes());
            }
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
            Value::List(items) => {
                self.u8(LIST);
                self.u32(items.len() as u32);
                for i in items {
                    self.value_at(i, depth + 1);
                }
            }
            Value::MultiResult(items) => {
                self.u8(MULTI);
                self.u32(items.len() as u32);
                for i in items {
                    self.value_at(i, depth + 1);
                }
            }
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

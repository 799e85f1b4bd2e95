//! A reply read on this path, turned into the same answer the crate's path gives (a crate
//! `Record`, shaped and encoded by the same code), so the facade cannot tell the paths apart.

use std::collections::BTreeMap;

use aerospike::{FloatValue, IndexMap, Record, Value};
use aerospike_cdt::result::KEY_NOT_FOUND;
use aerospike_cdt::value::{self as mp, Value as Mp};
use aerospike_cdt::wire::msg::{Header, HEADER_LEN};
use aerospike_cdt::wire::particle;

use crate::client::{shape_operate_result, Answer};
use crate::error::js_error;

use super::request::Shape;

/// A reply this side cannot read (the command goes to the crate's path, or fails).
pub struct Malformed;

/// The answer of a complete reply body (`body`: the message after its proto header). `addr`
/// names the node in server errors, as the crate's messages do.
pub fn answer(
    body: &[u8],
    shape: Shape,
    addr: &str,
) -> Result<crate::error::Result<Answer>, Malformed> {
    let head: &[u8; HEADER_LEN] = body
        .get(..HEADER_LEN)
        .and_then(|h| h.try_into().ok())
        .ok_or(Malformed)?;
    let h = Header::decode(head);
    match (&shape, h.result) {
        (Shape::Exists | Shape::Remove, 0) => return Ok(Ok(Answer::Flag(true))),
        (Shape::Exists | Shape::Remove, KEY_NOT_FOUND) => return Ok(Ok(Answer::Flag(false))),
        (_, 0) => {}
        (_, rc) => {
            let msg = format!("{addr} AEROSPIKE_STATUS");
            return Ok(Err(js_error(rc as i32, false, msg)));
        }
    }
    let (decode, list, operate) = match shape {
        Shape::Put => return Ok(Ok(Answer::Empty)),
        Shape::Get(d) => (d, None, false),
        Shape::Operate(list, d) => (d, Some(list), true),
        Shape::Exists | Shape::Remove => return Err(Malformed),
    };
    let mut at = HEADER_LEN;
    for _ in 0..h.n_fields {
        let size = be32(body, at)? as usize;
        at = at.checked_add(4 + size).ok_or(Malformed)?;
    }
    let mut bins: IndexMap<String, Value> = IndexMap::with_capacity(h.n_ops as usize);
    let mut results = operate.then(|| Vec::with_capacity(h.n_ops as usize));
    for _ in 0..h.n_ops {
        let size = be32(body, at)? as usize;
        let end = at.checked_add(4 + size).ok_or(Malformed)?;
        let op = body.get(at + 4..end).ok_or(Malformed)?;
        at = end;
        let (&pt, rest) = op.get(1..).and_then(|o| o.split_first()).ok_or(Malformed)?;
        let name_len = *rest.get(1).ok_or(Malformed)? as usize;
        let name = rest.get(2..2 + name_len).ok_or(Malformed)?;
        let value = particle_value(pt, &rest[2 + name_len..])?;
        if let Some(r) = results.as_mut() {
            r.push(value.clone());
        }
        if name.is_empty() || (!operate && value.is_nil()) {
            continue;
        }
        let name = std::str::from_utf8(name).map_err(|_| Malformed)?;
        match bins.get_mut(name) {
            None => {
                bins.insert(name.to_owned(), value);
            }
            Some(Value::MultiResult(l)) => l.push(value),
            Some(prev) => {
                let first = std::mem::replace(prev, Value::Nil);
                *prev = Value::MultiResult(vec![first, value]);
            }
        }
    }
    let mut rec = Record::new(None, bins, results, h.generation, h.ttl);
    if let Some(list) = &list {
        shape_operate_result(&mut rec, list);
    }
    Ok(Ok(Answer::Record(rec, decode)))
}

/// The result code of a reply body, if it has a whole header.
pub fn result_code(body: &[u8]) -> Option<u8> {
    let head: &[u8; HEADER_LEN] = body.get(..HEADER_LEN)?.try_into().ok()?;
    Some(Header::decode(head).result)
}

fn be32(b: &[u8], at: usize) -> Result<u32, Malformed> {
    let s = b.get(at..at + 4).ok_or(Malformed)?;
    Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// A particle as the crate's value (`bytes_to_particle`).
fn particle_value(pt: u8, b: &[u8]) -> Result<Value, Malformed> {
    let eight = || -> Result<[u8; 8], Malformed> { b.try_into().map_err(|_| Malformed) };
    Ok(match pt {
        particle::NULL => Value::Nil,
        particle::INTEGER => Value::Int(i64::from_be_bytes(eight()?)),
        particle::FLOAT => Value::Float(FloatValue::from(f64::from_be_bytes(eight()?))),
        particle::STRING => Value::String(utf8(b)?),
        particle::BLOB => Value::Blob(b.to_vec()),
        particle::BOOL => Value::Bool(b.first().is_some_and(|&x| x != 0)),
        particle::HLL => Value::Hll(b.to_vec()),
        particle::GEOJSON => {
            let cells = b.get(1..3).ok_or(Malformed)?;
            let skip = 3 + u16::from_be_bytes([cells[0], cells[1]]) as usize * 8;
            Value::GeoJson(utf8(b.get(skip..).ok_or(Malformed)?)?)
        }
        particle::LIST | particle::MAP => {
            if b.is_empty() {
                return Err(Malformed);
            }
            crate_value(mp::decode(b).map_err(|_| Malformed)?)?
        }
        other => Value::Unknown(other, b.to_vec()),
    })
}

fn utf8(b: &[u8]) -> Result<String, Malformed> {
    String::from_utf8(b.to_vec()).map_err(|_| Malformed)
}

/// A msgpack value as the crate decodes it: maps by their order flags (key-value results as
/// pairs, key-ordered as sorted, others in the server's order), strings by particle type.
fn crate_value(v: Mp) -> Result<Value, Malformed> {
    Ok(match v {
        Mp::Nil | Mp::Ext(..) | Mp::Wildcard | Mp::Infinity => Value::Nil,
        Mp::Bool(b) => Value::Bool(b),
        Mp::Int(i) => Value::Int(i),
        Mp::Float(f) => Value::Float(FloatValue::from(f)),
        Mp::Bytes(mp::PT_STRING, s) => Value::String(String::from_utf8(s).map_err(|_| Malformed)?),
        Mp::Bytes(mp::PT_BLOB, b) => Value::Blob(b),
        Mp::Bytes(particle::HLL, b) => Value::Hll(b),
        Mp::Bytes(mp::PT_GEOJSON, s) => {
            Value::GeoJson(String::from_utf8(s).map_err(|_| Malformed)?)
        }
        Mp::Bytes(t, b) => Value::Unknown(t, b),
        Mp::List(l) => Value::List(
            l.items
                .into_iter()
                .map(crate_value)
                .collect::<Result<_, _>>()?,
        ),
        Mp::Map(m) => {
            let mut pairs = Vec::with_capacity(m.entries.len());
            for (k, v) in m.entries {
                let k = crate_value(k)?;
                if !matches!(
                    k,
                    Value::Nil | Value::Int(_) | Value::String(_) | Value::Blob(_)
                ) && m.order & mp::MAP_PRESERVE_ORDER == 0
                {
                    return Err(Malformed);
                }
                pairs.push((k, crate_value(v)?));
            }
            if m.order & mp::MAP_PRESERVE_ORDER != 0 {
                Value::KeyValueList(pairs)
            } else if m.order & mp::MAP_KEY_ORDERED != 0 {
                Value::SortedMap(pairs.into_iter().collect::<BTreeMap<_, _>>())
            } else {
                Value::OrderedMap(pairs.into_iter().collect())
            }
        }
    })
}

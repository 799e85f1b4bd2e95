//! Particles and bins of a reply, read from the wire into the crate's values exactly as the
//! crate's own commands read them, for the paths that read replies themselves (the event-loop
//! commands, the direct object batch read) and must give the facade the same records.

use std::collections::BTreeMap;

use aerospike::{FloatValue, IndexMap, Value};
use aerospike_cdt::value::{self as mp, Value as Mp};
use aerospike_cdt::wire::particle;

/// A reply this side cannot read (the command goes to the crate's path, or fails).
pub struct Malformed;

/// Bins and positional op results of `n_ops` reply ops (each `u32 size | op type | particle
/// type | version | name length | name | value`) as the crate's commands build them: an op
/// without a bin name is a result only; a bin named twice becomes a multi-result; nil bins are
/// dropped unless `keep_nil` (operate and batch rows keep them, `get` drops them).
#[allow(clippy::type_complexity)]
pub fn bins(
    ops: &[u8],
    n_ops: usize,
    keep_nil: bool,
    results: bool,
) -> Result<(IndexMap<String, Value>, Option<Vec<Value>>), Malformed> {
    let mut bins: IndexMap<String, Value> = IndexMap::with_capacity(n_ops);
    let mut results = results.then(|| Vec::with_capacity(n_ops));
    let mut at = 0;
    for _ in 0..n_ops {
        let size = be32(ops, at)? as usize;
        let end = at.checked_add(4 + size).ok_or(Malformed)?;
        let op = ops.get(at + 4..end).ok_or(Malformed)?;
        at = end;
        let (&pt, rest) = op.get(1..).and_then(|o| o.split_first()).ok_or(Malformed)?;
        let name_len = *rest.get(1).ok_or(Malformed)? as usize;
        let name = rest.get(2..2 + name_len).ok_or(Malformed)?;
        let value = particle_value(pt, &rest[2 + name_len..])?;
        if let Some(r) = results.as_mut() {
            r.push(value.clone());
        }
        if name.is_empty() || (!keep_nil && value.is_nil()) {
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
    Ok((bins, results))
}

pub fn be32(b: &[u8], at: usize) -> Result<u32, Malformed> {
    let s = b.get(at..at + 4).ok_or(Malformed)?;
    Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// A particle as the crate's value (`bytes_to_particle`).
pub fn particle_value(pt: u8, b: &[u8]) -> Result<Value, Malformed> {
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

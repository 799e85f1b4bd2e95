//! What a record contributes to an index: the bin (or the expression's value), walked down the
//! context, opened up by the collection type, and kept where the element has the index's key
//! type. The same walk serves index maintenance (sort keys) and query checks (does any element
//! match the filter).
//!
//! Sort keys are u64 in index order: integers with the sign bit flipped (so signed order is
//! unsigned order), strings and blobs as a 64-bit hash (queries on them are equality, checked
//! against the real value), GeoJSON as 0 (every geo query checks shapes record by record).

use aerospike_cdt::value::{decode, Value, PT_BLOB, PT_GEOJSON, PT_STRING};

use super::def::{Collection, Def, KeyType};
use crate::expr::geo::Shape;
use crate::expr::value::geo_json_of_particle;
use crate::expr::Env;
use crate::record::Digest;
use crate::record::{self, particle, Record};

const SIGN: u64 = 1 << 63;

/// Sort key of an integer.
pub fn int_key(i: i64) -> u64 {
    (i as u64) ^ SIGN
}

/// The bval reported to clients for a sort key (and back).
pub fn bval_of(ktype: KeyType, key: u64) -> i64 {
    if ktype.signed() {
        (key ^ SIGN) as i64
    } else {
        key as i64
    }
}

/// Sort key for a bval a client sends back to resume.
pub fn key_of_bval(ktype: KeyType, bval: i64) -> u64 {
    if ktype.signed() {
        int_key(bval)
    } else {
        bval as u64
    }
}

/// FNV-1a, 64 bits: the sort key of a string or blob.
pub fn hash_key(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A bin value as a msgpack value (GeoJSON as its text). `None` for types no index holds.
fn to_cdt(v: &record::Value) -> Option<Value> {
    Some(match v.particle {
        particle::LIST | particle::MAP => decode(&v.data).ok()?,
        particle::INTEGER => Value::Int(v.as_int()?),
        particle::STRING => Value::Bytes(PT_STRING, v.data.clone()),
        particle::BLOB => Value::Bytes(PT_BLOB, v.data.clone()),
        particle::GEOJSON => Value::Bytes(PT_GEOJSON, geo_json_of_particle(&v.data)?.to_vec()),
        _ => return None,
    })
}

/// The value the index reads from a record: its bin, or its expression's result.
fn source(def: &Def, rec: &Record, digest: &Digest, now_ns: u64) -> Option<Value> {
    match &def.exp {
        Some(exp) => {
            let v = exp.eval(&Env {
                rec,
                digest,
                now_ns,
            });
            to_cdt(&v.into_bin().ok()??)
        }
        None => to_cdt(rec.bin(def.bin.as_bytes())?),
    }
}

/// Whether an element has the index's key type.
fn keyed(ktype: KeyType, v: &Value) -> bool {
    match (ktype, v) {
        (KeyType::Numeric, Value::Int(_)) => true,
        (KeyType::String, Value::Bytes(PT_STRING, _)) => true,
        (KeyType::Blob, Value::Bytes(PT_BLOB, _)) => true,
        (KeyType::Geo, Value::Bytes(PT_GEOJSON, json)) => Shape::parse(json).is_some(),
        _ => false,
    }
}

/// Calls `f` on every indexed element of the record until it returns true; returns whether it
/// did.
pub fn any(
    def: &Def,
    rec: &Record,
    digest: &Digest,
    now_ns: u64,
    mut f: impl FnMut(&Value) -> bool,
) -> bool {
    let Some(root) = source(def, rec, digest, now_ns) else {
        return false;
    };
    let value = match &def.ctx {
        Some(path) if matches!(root, Value::List(_) | Value::Map(_)) => match path.walk(&root) {
            Some(v) => v,
            None => return false,
        },
        Some(_) => return false,
        None => &root,
    };
    let mut visit = |v: &Value| keyed(def.ktype, v) && f(v);
    match (def.itype, value) {
        (Collection::Default, v) => visit(v),
        (Collection::List, Value::List(l)) => l.items.iter().any(visit),
        (Collection::MapKeys, Value::Map(m)) => m.entries.iter().any(|e| visit(&e.0)),
        (Collection::MapValues, Value::Map(m)) => m.entries.iter().any(|e| visit(&e.1)),
        _ => false,
    }
}

/// The sort keys a record has in an index, sorted and without repeats.
pub fn keys(def: &Def, rec: &Record, digest: &Digest, now_ns: u64) -> Vec<u64> {
    let mut out = Vec::new();
    any(def, rec, digest, now_ns, |v| {
        out.push(match v {
            Value::Int(i) => int_key(*i),
            Value::Bytes(PT_GEOJSON, _) => 0,
            Value::Bytes(_, b) => hash_key(b),
            _ => return false,
        });
        false
    });
    out.sort_unstable();
    out.dedup();
    out
}

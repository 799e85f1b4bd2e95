//! Values an expression computes, and their conversions to and from bins and msgpack.
//!
//! Evaluation is three-valued: [`Val::Unknown`] is the "unknown" of the logic operators and
//! also what a missing bin, a bin of another type or a failed sub-evaluation produce.

use super::mp;
use crate::record::{particle, Value};

/// Static result types of expressions (the wire's exp type numbers are 0..=9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Nil,
    Bool,
    Int,
    Str,
    List,
    Map,
    Blob,
    Float,
    Geo,
    Hll,
    /// The type of REMOVE_RESULT.
    Remove,
    /// No usable type (a raw msgpack literal other than a map).
    End,
}

impl Ty {
    /// The wire's exp type number (0..=9).
    pub fn from_wire(t: u64) -> Option<Ty> {
        Some(match t {
            0 => Ty::Nil,
            1 => Ty::Bool,
            2 => Ty::Int,
            3 => Ty::Str,
            4 => Ty::List,
            5 => Ty::Map,
            6 => Ty::Blob,
            7 => Ty::Float,
            8 => Ty::Geo,
            9 => Ty::Hll,
            _ => return None,
        })
    }

    /// The bin particle type holding values of this type.
    pub fn particle(self) -> Option<u8> {
        Some(match self {
            Ty::Nil => particle::NULL,
            Ty::Bool => particle::BOOL,
            Ty::Int => particle::INTEGER,
            Ty::Str => particle::STRING,
            Ty::List => particle::LIST,
            Ty::Map => particle::MAP,
            Ty::Blob => particle::BLOB,
            Ty::Float => particle::FLOAT,
            Ty::Geo => particle::GEOJSON,
            Ty::Hll => particle::HLL,
            Ty::Remove | Ty::End => return None,
        })
    }
}

/// A runtime value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Unknown,
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    Blob(Vec<u8>),
    Hll(Vec<u8>),
    /// GeoJSON text.
    Geo(Vec<u8>),
    /// msgpack list bytes.
    List(Vec<u8>),
    /// msgpack map bytes.
    Map(Vec<u8>),
    /// Any other msgpack literal (wildcard, infinity…).
    Msgpack(Vec<u8>),
    /// REMOVE_RESULT.
    Remove,
}

impl Val {
    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown)
    }

    /// A bin's value. `None` when the particle is not one a bin can hold.
    pub fn from_bin(v: &Value) -> Option<Val> {
        Some(match v.particle {
            particle::INTEGER => Val::Int(v.as_int()?),
            particle::FLOAT => Val::Float(v.as_float()?),
            particle::BOOL => Val::Bool(v.data.first().copied().unwrap_or(0) != 0),
            particle::STRING => Val::Str(v.data.clone()),
            particle::BLOB => Val::Blob(v.data.clone()),
            particle::HLL => Val::Hll(v.data.clone()),
            particle::LIST => Val::List(v.data.clone()),
            particle::MAP => Val::Map(v.data.clone()),
            particle::GEOJSON => Val::Geo(geo_json_of_particle(&v.data)?.to_vec()),
            _ => return None,
        })
    }

    /// A collection op's result particle (GeoJSON inside collections is bare text).
    pub fn from_result(p: Option<&aerospike_cdt::Particle>) -> Option<Val> {
        let Some(p) = p else {
            return Some(Val::Nil);
        };
        if p.particle == particle::GEOJSON {
            return Some(Val::Geo(p.data.clone()));
        }
        Val::from_bin(&Value {
            particle: p.particle,
            data: p.data.clone(),
        })
    }

    /// The particle type this value would be stored as (`NULL` for nil).
    pub fn particle(&self) -> Option<u8> {
        Some(match self {
            Val::Nil => particle::NULL,
            Val::Bool(_) => particle::BOOL,
            Val::Int(_) => particle::INTEGER,
            Val::Float(_) => particle::FLOAT,
            Val::Str(_) => particle::STRING,
            Val::Blob(_) => particle::BLOB,
            Val::Hll(_) => particle::HLL,
            Val::Geo(_) => particle::GEOJSON,
            Val::List(_) => particle::LIST,
            Val::Map(_) => particle::MAP,
            Val::Unknown | Val::Msgpack(_) | Val::Remove => return None,
        })
    }

    /// Converts a result into a bin: `Ok(None)` for nil, `Err(())` when the value cannot be
    /// stored (unknown, REMOVE_RESULT, a non-container msgpack literal).
    #[allow(clippy::result_unit_err)]
    pub fn into_bin(self) -> Result<Option<Value>, ()> {
        let (particle, data) = match self {
            Val::Nil => return Ok(None),
            Val::Bool(b) => (particle::BOOL, vec![b as u8]),
            Val::Int(i) => (particle::INTEGER, i.to_be_bytes().to_vec()),
            Val::Float(f) => (particle::FLOAT, f.to_be_bytes().to_vec()),
            Val::Str(d) => (particle::STRING, d),
            Val::Blob(d) => (particle::BLOB, d),
            Val::Hll(d) => (particle::HLL, d),
            Val::Geo(json) => (particle::GEOJSON, [&[0u8, 0, 0][..], &json].concat()),
            Val::List(d) => (particle::LIST, d),
            Val::Map(d) => (particle::MAP, d),
            Val::Msgpack(d) => match d.first() {
                Some(0x90..=0x9f | 0xdc | 0xdd) => (particle::LIST, d),
                Some(0x80..=0x8f | 0xde | 0xdf) => (particle::MAP, d),
                _ => return Err(()),
            },
            Val::Unknown | Val::Remove => return Err(()),
        };
        Ok(Some(Value { particle, data }))
    }

    /// The value as msgpack (collection-op parameters, list membership). `None` for unknown.
    pub fn to_msgpack(&self) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            Val::Nil => out.push(0xc0),
            Val::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
            Val::Int(i) => aerospike_cdt::value::encode_int(*i, &mut out),
            Val::Float(f) => {
                out.push(0xcb);
                out.extend_from_slice(&f.to_bits().to_be_bytes());
            }
            Val::Str(d) => mp::typed_bytes(particle::STRING, d, &mut out),
            Val::Blob(d) => mp::typed_bytes(particle::BLOB, d, &mut out),
            Val::Hll(d) => mp::typed_bytes(particle::HLL, d, &mut out),
            Val::Geo(d) => mp::typed_bytes(particle::GEOJSON, d, &mut out),
            Val::List(d) | Val::Map(d) | Val::Msgpack(d) => out.extend_from_slice(d),
            Val::Unknown | Val::Remove => return None,
        }
        Some(out)
    }

    /// The value as a collection op's input bin: `Some(None)` for nil (an empty bin), `None`
    /// when it cannot be one.
    pub fn as_container(&self) -> Option<Option<(u8, &[u8])>> {
        Some(Some(match self {
            Val::Nil => return Some(None),
            Val::List(d) => (particle::LIST, d.as_slice()),
            Val::Map(d) => (particle::MAP, d.as_slice()),
            Val::Blob(d) => (particle::BLOB, d.as_slice()),
            Val::Hll(d) => (particle::HLL, d.as_slice()),
            Val::Msgpack(d) => match d.first() {
                Some(0x90..=0x9f | 0xdc | 0xdd) => (particle::LIST, d.as_slice()),
                Some(0x80..=0x8f | 0xde | 0xdf) => (particle::MAP, d.as_slice()),
                _ => return None,
            },
            _ => return None,
        }))
    }
}

/// The GeoJSON text of a stored GeoJSON particle: a flags byte, a big-endian cell count, the
/// cells (8 bytes each), then the text.
pub fn geo_json_of_particle(data: &[u8]) -> Option<&[u8]> {
    let n = u16::from_be_bytes([*data.get(1)?, *data.get(2)?]) as usize;
    data.get(3 + 8 * n..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_round_trip() {
        for v in [
            Val::Int(-3),
            Val::Float(2.5),
            Val::Bool(true),
            Val::Str(b"ab".to_vec()),
            Val::Blob(vec![1, 2]),
            Val::List(vec![0x91, 1]),
            Val::Geo(b"{}".to_vec()),
        ] {
            let bin = v.clone().into_bin().unwrap().unwrap();
            assert_eq!(Val::from_bin(&bin), Some(v));
        }
        assert_eq!(Val::Nil.into_bin(), Ok(None));
        assert!(Val::Unknown.into_bin().is_err());
        assert!(Val::Msgpack(vec![0xd4, 0xff, 1]).into_bin().is_err());
    }

    #[test]
    fn msgpack_forms() {
        assert_eq!(
            Val::Str(b"x".to_vec()).to_msgpack(),
            Some(vec![0xa2, 3, b'x'])
        );
        assert_eq!(Val::Int(300).to_msgpack(), Some(vec![0xcd, 1, 0x2c]));
        assert_eq!(Val::Unknown.to_msgpack(), None);
        assert_eq!(
            geo_json_of_particle(&[0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9, b'{']),
            Some(&b"{"[..])
        );
        assert_eq!(geo_json_of_particle(&[0, 0]), None);
    }
}

//! A bin value as a column sees it, borrowed from wherever it came from: the server's reply
//! bytes on the direct path, or the client crate's `Value` on the crate path. Nothing is copied
//! until a column takes it.

use aerospike::Value;
use aerospike_cdt::msgpack::{Kind, Reader};
use aerospike_cdt::wire::particle;

/// One bin value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A string's UTF-8 bytes.
    Str(&'a [u8]),
    /// A blob's bytes.
    Blob(&'a [u8]),
    /// A GeoJSON value's JSON text.
    Geo(&'a [u8]),
    /// A list, packed or decoded.
    List(List<'a>),
    /// A value of another type (map, HLL, …): masked and counted.
    Other,
}

/// A list value: msgpack bytes off the wire, or the crate's decoded elements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum List<'a> {
    Packed(&'a [u8]),
    Values(&'a [Value]),
}

/// A list element as the list columns see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Int(i64),
    Float(f64),
    Other,
}

impl<'a> Scalar<'a> {
    /// The scalar of a client-crate value; `None` for nil (a missing bin, not a mismatch).
    pub fn of(v: &'a Value) -> Option<Scalar<'a>> {
        Some(match v {
            Value::Nil => return None,
            Value::Int(i) => Scalar::Int(*i),
            Value::Float(f) => Scalar::Float(f64::from(f)),
            Value::Bool(b) => Scalar::Bool(*b),
            Value::String(s) => Scalar::Str(s.as_bytes()),
            Value::Blob(b) => Scalar::Blob(b),
            Value::GeoJson(s) => Scalar::Geo(s.as_bytes()),
            Value::List(l) => Scalar::List(List::Values(l)),
            _ => Scalar::Other,
        })
    }

    /// The scalar a bin's wire value holds; `None` for a nil placeholder.
    pub fn of_particle(particle: u8, data: &'a [u8]) -> Option<Scalar<'a>> {
        Some(match particle {
            particle::NULL => return None,
            particle::INTEGER if (1..=8).contains(&data.len()) => {
                let fill = if data[0] & 0x80 != 0 { 0xff } else { 0 };
                let mut b = [fill; 8];
                b[8 - data.len()..].copy_from_slice(data);
                Scalar::Int(i64::from_be_bytes(b))
            }
            particle::FLOAT if data.len() == 8 => {
                Scalar::Float(f64::from_be_bytes(data.try_into().unwrap_or([0; 8])))
            }
            particle::BOOL if data.len() == 1 => Scalar::Bool(data[0] != 0),
            particle::STRING => Scalar::Str(data),
            particle::BLOB => Scalar::Blob(data),
            particle::GEOJSON => geo_json(data).map_or(Scalar::Other, Scalar::Geo),
            particle::LIST => Scalar::List(List::Packed(data)),
            _ => Scalar::Other,
        })
    }
}

/// The JSON text of a GeoJSON particle: a flags byte, a cell count (u16), the cells (8 bytes
/// each, the server's index covering), then the text.
fn geo_json(data: &[u8]) -> Option<&[u8]> {
    let cells = u16::from_be_bytes([*data.get(1)?, *data.get(2)?]) as usize;
    data.get(3 + cells * 8..)
}

impl List<'_> {
    /// Calls `each` with every element in order; stops early (returning false) when `each`
    /// does, or when packed bytes are not a well-formed list.
    pub fn each(&self, mut each: impl FnMut(Item) -> bool) -> bool {
        match self {
            List::Values(vs) => vs.iter().all(|v| {
                each(match v {
                    Value::Int(i) => Item::Int(*i),
                    Value::Float(f) => Item::Float(f64::from(f)),
                    _ => Item::Other,
                })
            }),
            List::Packed(bytes) => {
                let mut r = Reader::new(bytes);
                let Some(n) = r.array() else {
                    return false;
                };
                for i in 0..n {
                    let item = match r.peek() {
                        // An ordered list starts with an ext element holding its flags.
                        Kind::Ext if i == 0 => {
                            if r.skip().is_none() {
                                return false;
                            }
                            continue;
                        }
                        Kind::Int => r.int().map(Item::Int),
                        Kind::Float => r.float().map(Item::Float),
                        _ => r.skip().map(|_| Item::Other),
                    };
                    match item {
                        Some(item) if each(item) => {}
                        _ => return false,
                    }
                }
                r.at_end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aerospike_cdt::msgpack::write;

    fn collect(l: List<'_>) -> (bool, Vec<Item>) {
        let mut v = Vec::new();
        let ok = l.each(|i| {
            v.push(i);
            true
        });
        (ok, v)
    }

    #[test]
    fn packed_lists_skip_the_order_flags_and_reject_garbage() {
        let mut b = Vec::new();
        write::array_header(3, &mut b);
        b.extend_from_slice(&[0xd4, 0xff, 0x01]); // ordered-list flags
        write::int(-3, &mut b);
        write::float(1.5, &mut b);
        assert_eq!(
            collect(List::Packed(&b)),
            (true, vec![Item::Int(-3), Item::Float(1.5)])
        );
        for cut in 0..b.len() {
            assert!(!collect(List::Packed(&b[..cut])).0);
        }
        let vals = [Value::Int(1), Value::from("x")];
        assert_eq!(
            collect(List::Values(&vals)),
            (true, vec![Item::Int(1), Item::Other])
        );
    }

    #[test]
    fn particles_map_to_scalars() {
        assert_eq!(Scalar::of_particle(particle::NULL, &[]), None);
        assert_eq!(
            Scalar::of_particle(particle::INTEGER, &[0xff]),
            Some(Scalar::Int(-1))
        );
        assert_eq!(
            Scalar::of_particle(particle::STRING, b"hi"),
            Some(Scalar::Str(b"hi"))
        );
        let mut geo = vec![0, 0, 1];
        geo.extend_from_slice(&[9; 8]);
        geo.extend_from_slice(b"{}");
        assert_eq!(
            Scalar::of_particle(particle::GEOJSON, &geo),
            Some(Scalar::Geo(b"{}"))
        );
        assert_eq!(
            Scalar::of_particle(particle::GEOJSON, &[0, 0, 2]),
            Some(Scalar::Other)
        );
        assert_eq!(Scalar::of(&Value::from("s")), Some(Scalar::Str(b"s")));
    }
}

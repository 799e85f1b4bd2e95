//! A query's index filter (the INDEX_RANGE field): one range on a bin (or on the index named
//! or the expression sent elsewhere), typed by particle type — an integer range, a string or
//! blob equality, or a GeoJSON shape (a point: regions containing it; a region: points in it).

use aerospike_cdt::value::{Value, PT_BLOB, PT_GEOJSON, PT_STRING};

use super::def::KeyType;
use super::extract::{hash_key, int_key};
use crate::expr::geo::{self, Shape};
use crate::msg::{Cursor, Malformed};
use crate::record::{particle, MAX_BIN_NAME};

/// Longest string/blob/GeoJSON value a query may carry (the server's key size limits).
const MAX_KEY: usize = 2048;
const MAX_GEO: usize = 1024 * 1024;

/// The value side of a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Integers from `.0` to `.1`, inclusive.
    Range(i64, i64),
    Str(Vec<u8>),
    Blob(Vec<u8>),
    Geo(Shape),
}

/// A parsed INDEX_RANGE field.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRange {
    /// The bin named (empty when the index is named or given by expression).
    pub bin: String,
    pub filter: Filter,
}

fn sized<'a>(c: &mut Cursor<'a>, max: usize) -> Result<&'a [u8], Malformed> {
    let n = c.u32()? as usize;
    if n > max {
        return Err(Malformed("filter value too long"));
    }
    c.take(n)
}

impl IndexRange {
    /// Parses the field; errors are PARAMETER.
    pub fn parse(data: &[u8]) -> Result<IndexRange, Malformed> {
        let mut c = Cursor::new(data);
        if c.u8()? != 1 {
            return Err(Malformed("only one range is supported"));
        }
        let n = c.u8()? as usize;
        if n > MAX_BIN_NAME {
            return Err(Malformed("bin name too long"));
        }
        let bin = std::str::from_utf8(c.take(n)?)
            .map_err(|_| Malformed("bin name"))?
            .to_string();
        let filter = match c.u8()? {
            particle::INTEGER => {
                let mut int = || -> Result<i64, Malformed> {
                    let b: [u8; 8] = sized(&mut c, 8)?
                        .try_into()
                        .map_err(|_| Malformed("integers must be 8 bytes"))?;
                    Ok(i64::from_be_bytes(b))
                };
                let (begin, end) = (int()?, int()?);
                if begin > end {
                    return Err(Malformed("range begin after end"));
                }
                Filter::Range(begin, end)
            }
            // The end value repeats the begin value for equality filters; it is ignored.
            particle::STRING => Filter::Str(sized(&mut c, MAX_KEY)?.to_vec()),
            particle::BLOB => Filter::Blob(sized(&mut c, MAX_KEY)?.to_vec()),
            particle::GEOJSON => {
                let json = sized(&mut c, MAX_GEO)?;
                if json.is_empty() {
                    return Err(Malformed("empty GeoJSON"));
                }
                Filter::Geo(Shape::parse(json).ok_or(Malformed("bad GeoJSON"))?)
            }
            _ => return Err(Malformed("filter particle type")),
        };
        Ok(IndexRange { bin, filter })
    }
}

impl Filter {
    /// The index key type this filter queries.
    pub fn ktype(&self) -> KeyType {
        match self {
            Filter::Range(..) => KeyType::Numeric,
            Filter::Str(_) => KeyType::String,
            Filter::Blob(_) => KeyType::Blob,
            Filter::Geo(_) => KeyType::Geo,
        }
    }

    /// The sort keys (inclusive) whose entries may match.
    pub fn key_range(&self) -> (u64, u64) {
        match self {
            Filter::Range(a, b) => (int_key(*a), int_key(*b)),
            Filter::Str(s) | Filter::Blob(s) => (hash_key(s), hash_key(s)),
            Filter::Geo(_) => (0, u64::MAX),
        }
    }

    /// Whether an indexed element matches.
    pub fn matches(&self, v: &Value) -> bool {
        match (self, v) {
            (Filter::Range(a, b), Value::Int(i)) => a <= i && i <= b,
            (Filter::Str(s), Value::Bytes(PT_STRING, x)) => s == x,
            (Filter::Blob(s), Value::Bytes(PT_BLOB, x)) => s == x,
            (Filter::Geo(q), Value::Bytes(PT_GEOJSON, json)) => {
                Shape::parse(json).is_some_and(|s| geo::matches(&s, q))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(bin: &str, pt: u8, begin: &[u8], end: &[u8]) -> Vec<u8> {
        let mut v = vec![1, bin.len() as u8];
        v.extend_from_slice(bin.as_bytes());
        v.push(pt);
        for x in [begin, end] {
            v.extend_from_slice(&(x.len() as u32).to_be_bytes());
            v.extend_from_slice(x);
        }
        v
    }

    #[test]
    fn parses_each_type() {
        let r = IndexRange::parse(&field("a", 1, &3i64.to_be_bytes(), &7i64.to_be_bytes()));
        assert_eq!(
            r.unwrap(),
            IndexRange {
                bin: "a".into(),
                filter: Filter::Range(3, 7)
            }
        );
        let r = IndexRange::parse(&field("", 3, b"x", b"x")).unwrap();
        assert_eq!(r.filter, Filter::Str(b"x".to_vec()));
        let geo = br#"{"type":"Point","coordinates":[1,2]}"#;
        let r = IndexRange::parse(&field("g", 23, geo, geo)).unwrap();
        assert_eq!(r.filter, Filter::Geo(Shape::Point((1.0, 2.0))));
    }

    #[test]
    fn refuses_malformed_filters() {
        let i = |x: i64| x.to_be_bytes();
        assert!(IndexRange::parse(&field("a", 1, &i(7), &i(3))).is_err());
        assert!(IndexRange::parse(&field("a", 1, &[1, 2], &i(3))).is_err());
        assert!(IndexRange::parse(&field("a", 2, &i(1), &i(3))).is_err());
        assert!(IndexRange::parse(&field("a", 23, b"{}", b"{}")).is_err());
        assert!(IndexRange::parse(&field(&"b".repeat(16), 3, b"x", b"x")).is_err());
        assert!(IndexRange::parse(&[2, 0]).is_err());
        assert!(IndexRange::parse(&[]).is_err());
        let mut truncated = field("a", 1, &i(1), &i(3));
        truncated.pop();
        assert!(IndexRange::parse(&truncated).is_err());
    }

    #[test]
    fn matches_elements() {
        assert!(Filter::Range(1, 5).matches(&Value::Int(5)));
        assert!(!Filter::Range(1, 5).matches(&Value::Int(6)));
        assert!(Filter::Str(b"a".to_vec()).matches(&Value::str("a")));
        assert!(!Filter::Blob(b"a".to_vec()).matches(&Value::str("a")));
    }
}

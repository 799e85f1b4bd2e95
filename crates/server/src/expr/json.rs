//! JSON documents for GeoJSON values, read by `serde_json` and kept as a small tree the geo code
//! walks. Like the server, a document is refused unless it is strict JSON (no trailing commas,
//! leading zeros, bare dots or trailing content), and nesting is limited.

/// Deepest value accepted; the top-level value is at depth 0.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A member of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_arr(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses one JSON document (surrounding whitespace allowed).
pub fn parse(s: &[u8]) -> Option<Json> {
    from_value(serde_json::from_slice(s).ok()?, 0)
}

/// The tree of `v`; `None` when it nests deeper than [`MAX_DEPTH`] or holds a number outside
/// the doubles.
fn from_value(v: serde_json::Value, depth: usize) -> Option<Json> {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(b),
        Value::Number(n) => Json::Num(n.as_f64().filter(|n| n.is_finite())?),
        Value::String(s) => Json::Str(s),
        Value::Array(items) => Json::Arr(
            items
                .into_iter()
                .map(|v| from_value(v, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Value::Object(members) => Json::Obj(
            members
                .into_iter()
                .map(|(k, v)| Some((k, from_value(v, depth + 1)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_geojson_shapes() {
        let v = parse(br#" {"type": "Point", "coordinates": [103.913, -1.5e0]} "#).unwrap();
        assert_eq!(v.get("type").and_then(Json::as_str), Some("Point"));
        let c = v.get("coordinates").and_then(Json::as_arr).unwrap();
        assert_eq!(c[1].as_num(), Some(-1.5));
        assert_eq!(
            parse(br#"["a\"b\u0041", true, null, {}]"#)
                .unwrap()
                .as_arr()
                .unwrap()
                .len(),
            4
        );
    }

    #[test]
    fn refuses_malformed() {
        for s in [
            &b"{"[..],
            b"[1,]",
            b"01",
            b"{\"a\" 1}",
            b"[1] x",
            b"\"abc",
            b"-",
            b".5",
            b"1.",
            b"[1.e5]",
        ] {
            assert!(parse(s).is_none(), "{:?}", String::from_utf8_lossy(s));
        }
        let deep = vec![b'['; 100];
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn nesting_limit() {
        let nest = |levels: usize, inner: &str| {
            format!("{}{inner}{}", "[".repeat(levels), "]".repeat(levels)).into_bytes()
        };
        assert!(parse(&nest(65, "")).is_some());
        assert!(parse(&nest(66, "")).is_none());
        assert!(parse(&nest(64, "1")).is_some());
        assert!(parse(&nest(65, "1")).is_none());
    }

    #[test]
    fn numbers_are_exact() {
        for text in [
            "0.1",
            "-2.5e-7",
            "1E+2",
            "123456789012345678901234567890",
            "9007199254740993",
            "0.30000000000000004",
            "-0",
        ] {
            let want: f64 = text.parse().unwrap();
            let got = parse(text.as_bytes()).and_then(|v| v.as_num()).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "{text}");
        }
        assert!(parse(b"1e400").is_none());
    }
}

//! Expected bytes and counts come from the official client's test suite, which checks them
//! against a real server.

use super::*;
use crate::value::encode;

/// ('jaguar', 'leopard', 'lion', 'tiger') with 8 index bits, as a real server stores it.
fn hll_cats() -> Vec<u8> {
    let mut b = vec![0u8; required_size(8, 0)];
    b[1] = 8;
    for (i, v) in [(36, 16), (43, 4), (163, 65)] {
        b[i] = v;
    }
    b
}

fn strs(items: &[&str]) -> Value {
    Value::List(List {
        items: items.iter().map(|s| Value::str(s)).collect(),
        ..List::default()
    })
}

fn blobs(items: &[&[u8]]) -> Value {
    Value::List(List {
        items: items
            .iter()
            .map(|b| Value::Bytes(particle::HLL, b.to_vec()))
            .collect(),
        ..List::default()
    })
}

fn payload(code: i64, args: Vec<Value>) -> Vec<u8> {
    let mut items = vec![Value::Int(code)];
    items.extend(args);
    encode(&Value::List(List {
        items,
        ..List::default()
    }))
}

/// A bin while a test runs ops on it.
#[derive(Default)]
struct Bin(Option<Vec<u8>>);

impl Bin {
    fn run(&mut self, kind: Kind, code: i64, args: Vec<Value>) -> Result<Option<Particle>, u8> {
        let cur = self.0.as_deref().map(|d| (particle::HLL, d));
        let out = apply(kind, cur, &payload(code, args))?;
        if let Some(new) = out.new_value {
            let new = new.expect("HLL ops never remove the bin");
            assert_eq!(new.particle, particle::HLL);
            self.0 = Some(new.data);
        }
        Ok(out.result)
    }
    fn modify(&mut self, code: i64, args: Vec<Value>) -> Result<Option<Particle>, u8> {
        self.run(Kind::HllModify, code, args)
    }
    fn read(&mut self, code: i64, args: Vec<Value>) -> Result<Option<Particle>, u8> {
        self.run(Kind::HllRead, code, args)
    }
    fn int(&mut self, kind: Kind, code: i64, args: Vec<Value>) -> i64 {
        let p = self.run(kind, code, args).unwrap().unwrap();
        assert_eq!(p.particle, particle::INTEGER);
        i64::from_be_bytes(p.data.try_into().unwrap())
    }
    fn add(&mut self, items: &[&str], index_bits: i64) -> i64 {
        let args = vec![
            strs(items),
            Value::Int(index_bits),
            Value::Int(-1),
            Value::Int(0),
        ];
        self.int(Kind::HllModify, 1, args)
    }
    fn count(&mut self) -> i64 {
        self.int(Kind::HllRead, 50, vec![])
    }
    fn describe(&mut self) -> Vec<u8> {
        self.read(55, vec![]).unwrap().unwrap().data
    }
}

fn init(index_bits: i64, minhash_bits: i64, flags: i64) -> Vec<Value> {
    vec![
        Value::Int(index_bits),
        Value::Int(minhash_bits),
        Value::Int(flags),
    ]
}

#[test]
fn murmur3_reference_vectors() {
    assert_eq!(murmur::hash128(b""), (0, 0));
    assert_eq!(
        murmur::hash128(b"hello"),
        (0xcbd8_a7b3_41bd_9b02, 0x5b1e_906a_48ae_1d19)
    );
}

#[test]
fn add_stores_the_servers_bytes() {
    let mut bin = Bin::default();
    let n = bin.add(
        &["jaguar", "tiger", "tiger", "leopard", "lion", "jaguar"],
        8,
    );
    assert_eq!(n, 4);
    assert_eq!(bin.0.as_deref(), Some(&hll_cats()[..]));
    assert_eq!(bin.add(&["tiger"], 8), 0);
}

#[test]
fn counts_match_the_server() {
    let mut bin = Bin::default();
    bin.add(&["leopard", "tiger", "tiger", "jaguar"], 8);
    assert_eq!(bin.count(), 3);

    let cats = hll_cats();
    let mut bin = Bin::default();
    bin.add(&["leopard", "lynx", "tiger", "tiger", "cheetah", "lynx"], 8);
    let union = vec![blobs(&[&cats])];
    assert_eq!(bin.int(Kind::HllRead, 52, union.clone()), 6);
    assert_eq!(bin.int(Kind::HllRead, 53, union.clone()), 2);
    let sim = bin.read(54, union.clone()).unwrap().unwrap();
    assert_eq!(sim.particle, particle::FLOAT);
    let sim = f64::from_be_bytes(sim.data.try_into().unwrap());
    assert!((sim - 2.0 / 6.0).abs() < 1e-9, "{sim}");
    let u = bin.read(51, union).unwrap().unwrap();
    assert_eq!(u.particle, particle::HLL);
    assert_eq!(u.data.len(), cats.len());
}

#[test]
fn set_union_refresh_and_fold() {
    let cats = hll_cats();
    let mut bin = Bin::default();
    bin.add(&["tiger", "lynx", "cheetah", "tiger"], 8);
    bin.modify(2, vec![blobs(&[&cats]), Value::Int(0)]).unwrap();
    assert_eq!(bin.count(), 6);

    let mut bin = Bin::default();
    bin.add(&["tiger", "lynx", "cheetah", "tiger"], 8);
    bin.add(&["lion", "tiger", "puma", "puma"], -1);
    bin.modify(4, vec![Value::Int(6)]).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 6, 0]);
    assert_eq!(bin.int(Kind::HllModify, 3, vec![]), 5);
    // The count is cached in the header (little-endian).
    assert_eq!(bin.0.as_ref().unwrap()[3], 5);

    // Fold to fewer index bits is only allowed for sketches without minhash bits.
    let mut bin = Bin::default();
    bin.modify(0, init(16, 8, 0)).unwrap();
    assert_eq!(
        bin.modify(4, vec![Value::Int(8)]),
        Err(rc::OP_NOT_APPLICABLE)
    );
    bin.modify(0, init(16, 0, 0)).unwrap();
    assert_eq!(
        bin.modify(4, vec![Value::Int(-1)]),
        Err(rc::OP_NOT_APPLICABLE)
    );
    bin.modify(4, vec![Value::Int(8)]).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 8, 0]);
}

#[test]
fn set_union_bit_rules() {
    let cats = hll_cats();
    let mut bin = Bin::default();
    bin.add(&["tiger", "lynx"], 12);
    let args = |flags| vec![blobs(&[&cats]), Value::Int(flags)];
    assert_eq!(bin.modify(2, args(0)), Err(rc::OP_NOT_APPLICABLE));
    bin.modify(2, args(ALLOW_FOLD as i64)).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 8, 0]);
    // Creating takes the op's sketches' shape.
    let mut fresh = Bin::default();
    fresh.modify(2, vec![blobs(&[&cats])]).unwrap();
    assert_eq!(fresh.0.as_deref(), Some(&cats[..]));
}

#[test]
fn init_and_describe() {
    let mut bin = Bin::default();
    assert_eq!(bin.modify(0, vec![]), Err(rc::OP_NOT_APPLICABLE));
    bin.modify(0, init(10, -1, 0)).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 10, 0]);
    bin.modify(0, init(12, 4, 0)).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 12, 4]);
    bin.modify(0, vec![Value::Int(16)]).unwrap();
    assert_eq!(bin.describe(), vec![0x92, 16, 4]);
    assert_eq!(bin.0.as_ref().unwrap().len(), required_size(16, 4));
    // Keeping 51 minhash bits with 16 index bits exceeds 64 bits.
    bin.modify(0, init(13, 51, 0)).unwrap();
    assert_eq!(bin.modify(0, init(16, -1, 0)), Err(rc::OP_NOT_APPLICABLE));
}

#[test]
fn write_flags() {
    let mut bin = Bin::default();
    assert_eq!(bin.modify(0, init(10, 6, 2)), Err(BIN_NOT_FOUND));
    assert_eq!(bin.modify(0, init(10, 6, 2 | 4)), Ok(None));
    assert_eq!(bin.0, None);
    bin.add(&["tiger", "cheetah"], 8);
    assert_eq!(bin.modify(0, init(12, 0, 1)), Err(BIN_EXISTS));
    assert_eq!(bin.modify(0, init(12, 0, 1 | 4)), Ok(None));
    assert_eq!(bin.count(), 2);
    let add = |flags| {
        vec![
            strs(&["puma"]),
            Value::Int(8),
            Value::Int(0),
            Value::Int(flags),
        ]
    };
    assert_eq!(bin.modify(1, add(1)), Err(BIN_EXISTS));
    // ADD accepts neither update-only nor allow-fold; create-only with update-only is refused.
    assert_eq!(bin.modify(1, add(2)), Err(rc::PARAMETER));
    assert_eq!(bin.modify(1, add(8)), Err(rc::PARAMETER));
    assert_eq!(bin.modify(0, init(12, 0, 3)), Err(rc::PARAMETER));
    assert_eq!(bin.modify(0, init(12, 0, 8)), Err(rc::PARAMETER));
}

#[test]
fn parameter_errors() {
    let mut bin = Bin::default();
    for (index_bits, minhash_bits) in [(3, 0), (17, 0), (8, 3), (8, 52), (16, 49), (-2, 0)] {
        let r = bin.modify(0, init(index_bits, minhash_bits, 0));
        assert_eq!(r, Err(rc::PARAMETER), "{index_bits} {minhash_bits}");
    }
    assert_eq!(bin.modify(0, init(16, 48, 0)).map(|_| ()), Ok(()));
    // Elements: a non-empty list of scalars.
    let list = |v: Value| vec![v, Value::Int(8)];
    assert_eq!(bin.modify(1, list(strs(&[]))), Err(rc::PARAMETER));
    assert_eq!(bin.modify(1, list(Value::str("x"))), Err(rc::PARAMETER));
    let nested = Value::List(List {
        items: vec![strs(&["a"])],
        ..List::default()
    });
    assert_eq!(bin.modify(1, list(nested)), Err(rc::PARAMETER));
    // Wrong op codes and argument counts.
    assert_eq!(bin.modify(50, vec![]), Err(rc::PARAMETER));
    assert_eq!(bin.read(0, vec![]), Err(rc::PARAMETER));
    assert_eq!(bin.modify(3, vec![Value::Int(1)]), Err(rc::PARAMETER));
    assert_eq!(bin.read(50, vec![Value::Int(1)]), Err(rc::PARAMETER));
    assert_eq!(
        apply(Kind::HllModify, None, &[0x90]).err(),
        Some(rc::PARAMETER)
    );
    assert_eq!(
        apply(Kind::HllModify, None, &[0xc0]).err(),
        Some(rc::PARAMETER)
    );
    // Malformed sketches in a union.
    let mut bad = hll_cats();
    bad.pop();
    assert_eq!(bin.read(52, vec![blobs(&[&bad])]), Err(rc::PARAMETER));
    let mut flagged = hll_cats();
    flagged[0] = 1;
    assert_eq!(bin.read(52, vec![blobs(&[&flagged])]), Err(rc::PARAMETER));
    assert_eq!(bin.read(52, vec![blobs(&[])]), Err(rc::PARAMETER));
}

#[test]
fn bin_state_errors() {
    let op = payload(1, vec![strs(&["a"]), Value::Int(8)]);
    let s = apply(Kind::HllModify, Some((particle::STRING, b"x")), &op);
    assert_eq!(s.err(), Some(rc::INCOMPATIBLE_TYPE));
    let s = apply(
        Kind::HllRead,
        Some((particle::BLOB, b"x")),
        &payload(50, vec![]),
    );
    assert_eq!(s.err(), Some(rc::INCOMPATIBLE_TYPE));
    let s = apply(
        Kind::HllRead,
        Some((particle::HLL, &[0, 8, 0])),
        &payload(50, vec![]),
    );
    assert_eq!(s.err(), Some(UNKNOWN));
    // Reads of a missing bin have no result; count and fold need a bin.
    let out = apply(Kind::HllRead, None, &payload(50, vec![])).unwrap();
    assert!(out.result.is_none() && out.new_value.is_none());
    let mut bin = Bin::default();
    assert_eq!(bin.modify(3, vec![]), Err(BIN_NOT_FOUND));
    assert_eq!(bin.modify(4, vec![Value::Int(8)]), Err(BIN_NOT_FOUND));
    assert_eq!(
        bin.modify(1, vec![strs(&["a"])]),
        Err(rc::OP_NOT_APPLICABLE)
    );
}

fn names(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| format!("e{i}")).collect()
}

/// A sketch with 10 index and 16 minhash bits holding `items`.
fn minhash_sketch(items: &[String]) -> Vec<u8> {
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut b = Bin::default();
    b.modify(0, init(10, 16, 0)).unwrap();
    b.add(&refs, -1);
    b.0.unwrap()
}

#[test]
fn minhash_intersections() {
    let a = minhash_sketch(&names(0..400));
    let b = minhash_sketch(&names(200..600));
    let mut bin = Bin(Some(minhash_sketch(&names(300..700))));
    let close = |got: i64, want: f64| (got as f64 - want).abs() <= want * 0.15;
    let two = bin.int(Kind::HllRead, 53, vec![blobs(&[&a])]);
    assert!(close(two, 100.0), "{two}");
    let three = bin.int(Kind::HllRead, 53, vec![blobs(&[&a, &b])]);
    assert!(close(three, 100.0), "{three}");
    let sim = bin.read(54, vec![blobs(&[&b])]).unwrap().unwrap();
    let sim = f64::from_be_bytes(sim.data.try_into().unwrap());
    assert!((sim - 300.0 / 500.0).abs() < 0.08, "{sim}");
    let four = vec![blobs(&[&a, &b, &a])];
    assert!(close(bin.int(Kind::HllRead, 53, four.clone()), 100.0));
    // More than two op sketches need the bin's minhash bits too.
    let mut plain = Bin::default();
    plain.add(&["c"], 10);
    assert_eq!(plain.read(53, four), Err(rc::OP_NOT_APPLICABLE));
    let mixed = vec![blobs(&[&a, &b, &hll_cats()])];
    assert_eq!(bin.read(54, mixed), Err(rc::PARAMETER));
    // Empty sketches: similarity 0 against data, NaN (intersection 0) among empties.
    let mut empty = Bin::default();
    empty.modify(0, init(10, 16, 0)).unwrap();
    let none = empty.0.clone().unwrap();
    assert_eq!(empty.int(Kind::HllRead, 53, vec![blobs(&[&a])]), 0);
    let sim = empty.read(54, vec![blobs(&[&a])]).unwrap().unwrap();
    assert_eq!(f64::from_be_bytes(sim.data.try_into().unwrap()), 0.0);
    let sim = empty.read(54, vec![blobs(&[&none])]).unwrap().unwrap();
    assert!(f64::from_be_bytes(sim.data.try_into().unwrap()).is_nan());
}

#[test]
fn emptiness_looks_at_the_first_register_bytes_only() {
    // As on the server: a minhash sketch whose registers past the first 2^index_bits bytes
    // hold data still counts as empty for similarity.
    let mut h = Sketch::new(10, 16);
    h.set(1023, 5 << 16);
    assert!(!h.has_data());
    h.set(0, 1);
    assert!(h.has_data());
}

#[test]
fn may_contain() {
    let mut bin = Bin::default();
    bin.add(&["a", "b"], 12);
    assert_eq!(bin.int(Kind::HllRead, 56, vec![strs(&["a", "b"])]), 1);
    assert_eq!(bin.int(Kind::HllRead, 56, vec![strs(&["a", "zz"])]), 0);
}

#[test]
fn elements_are_hashed_compacted() {
    // 5 as uint16, "ab" as str8 and as bin8: the same elements as their smallest forms.
    let mut bin = Bin::default();
    let op = |elem: &[u8]| {
        let mut p = vec![0x93, 0x01, 0x91];
        p.extend_from_slice(elem);
        p.push(0x08);
        p
    };
    let small = [&[0x05][..], &[0xa3, 3, b'a', b'b'][..]];
    let wide = [
        &[0xcd, 0, 5][..],
        &[0xd9, 3, 3, b'a', b'b'][..],
        &[0xc4, 3, 3, b'a', b'b'][..],
    ];
    for e in small {
        bin.0 = apply(
            Kind::HllModify,
            bin.0.as_deref().map(|d| (particle::HLL, d)),
            &op(e),
        )
        .unwrap()
        .new_value
        .unwrap()
        .map(|p| p.data);
    }
    for e in wide {
        let out = apply(
            Kind::HllModify,
            bin.0.as_deref().map(|d| (particle::HLL, d)),
            &op(e),
        );
        let n = out.unwrap().result.unwrap().data;
        assert_eq!(n, 0i64.to_be_bytes(), "{e:x?}");
    }
    assert_eq!(wire::compact(&[0xd1, 0xff, 0x9c]), vec![0xd0, 0x9c]);
    assert_eq!(wire::compact(&[0xd1, 0xff, 0x38]), vec![0xd1, 0xff, 0x38]);
    assert_eq!(wire::compact(&[0xd2, 0, 0, 0, 200]), vec![0xcc, 200]);
    assert_eq!(wire::compact(&[0xc7, 1, 9, 7]), vec![0xd4, 9, 7]);
    let long_bin = [vec![0xc4, 40], vec![1; 40]].concat();
    assert_eq!(wire::compact(&long_bin), long_bin);
}

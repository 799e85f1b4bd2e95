//! List and map operations through the crate's entry point, as the server calls it: op bytes in,
//! new bin bytes and result out.

use aerospike_cdt::value::{encode, encode_int, List, Map, Value};
use aerospike_cdt::{apply, decode, particle, rc, Kind, Outcome};

fn s(v: &str) -> Value {
    Value::str(v)
}
fn list(items: Vec<Value>) -> Value {
    Value::List(List {
        items,
        ..Default::default()
    })
}
fn ints(v: &[i64]) -> Value {
    list(v.iter().map(|&i| Value::Int(i)).collect())
}
fn op(code: i64, args: Vec<Value>) -> Vec<u8> {
    let mut items = vec![Value::Int(code)];
    items.extend(args);
    encode(&list(items))
}
fn with_ctx(ctx: Vec<Value>, inner: Vec<u8>) -> Vec<u8> {
    let mut out = vec![0x93];
    encode_int(0xff, &mut out);
    out.extend(encode(&list(ctx)));
    out.extend(inner);
    out
}
fn run(kind: Kind, bin: Option<&Value>, op: &[u8]) -> Result<Outcome, u8> {
    let bytes = bin.map(encode);
    let pt = match bin {
        Some(Value::Map(_)) => particle::MAP,
        _ => particle::LIST,
    };
    apply(kind, bytes.as_deref().map(|b| (pt, b)), op)
}
fn new_bin(o: &Outcome) -> Value {
    decode(&o.new_value.as_ref().unwrap().as_ref().unwrap().data).unwrap()
}
fn result_value(o: &Outcome) -> Value {
    let p = o.result.as_ref().expect("a result");
    aerospike_cdt::from_particle(p.particle, &p.data).unwrap()
}
fn as_ints(v: &Value) -> Vec<i64> {
    match v {
        Value::List(l) => l.items.iter().map(|x| x.as_int().unwrap()).collect(),
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn append_creates_the_list_and_returns_the_size() {
    let o = run(Kind::CdtModify, None, &op(1, vec![Value::Int(7)])).unwrap();
    assert_eq!(as_ints(&new_bin(&o)), vec![7]);
    assert_eq!(result_value(&o).as_int(), Some(1));
}

#[test]
fn ordered_list_keeps_order_and_refuses_insert_by_index() {
    let bin = Value::List(List {
        ordered: true,
        items: vec![Value::Int(1), Value::Int(5)],
        ..Default::default()
    });
    let o = run(Kind::CdtModify, Some(&bin), &op(1, vec![Value::Int(3)])).unwrap();
    assert_eq!(as_ints(&new_bin(&o)), vec![1, 3, 5]);
    let e = run(
        Kind::CdtModify,
        Some(&bin),
        &op(3, vec![Value::Int(0), Value::Int(9)]),
    );
    assert_eq!(e.err(), Some(rc::OP_NOT_APPLICABLE));
}

#[test]
fn add_unique_with_no_fail_and_partial() {
    let bin = ints(&[1, 2]);
    let e = run(
        Kind::CdtModify,
        Some(&bin),
        &op(2, vec![ints(&[2, 3]), Value::Int(0), Value::Int(1)]),
    );
    assert_eq!(e.err(), Some(rc::ELEMENT_EXISTS));
    let o = run(
        Kind::CdtModify,
        Some(&bin),
        &op(2, vec![ints(&[2, 3]), Value::Int(0), Value::Int(1 | 4)]),
    )
    .unwrap();
    assert_eq!(as_ints(&new_bin(&o)), vec![1, 2]);
    let o = run(
        Kind::CdtModify,
        Some(&bin),
        &op(2, vec![ints(&[2, 3]), Value::Int(0), Value::Int(1 | 4 | 8)]),
    )
    .unwrap();
    assert_eq!(as_ints(&new_bin(&o)), vec![1, 2, 3]);
}

#[test]
fn get_by_rank_range_and_inverted_remove() {
    let bin = ints(&[30, 10, 20, 40]);
    // GET_BY_RANK_RANGE, VALUE, rank 1, count 2 → 30, 20: the real server's order heap leaves
    // a range nearer the low end descending.
    let o = run(
        Kind::CdtRead,
        Some(&bin),
        &op(26, vec![Value::Int(7), Value::Int(1), Value::Int(2)]),
    )
    .unwrap();
    assert_eq!(as_ints(&result_value(&o)), vec![30, 20]);
    // REMOVE_BY_VALUE_INTERVAL [20, 35) INVERTED, COUNT → removes 10 and 40
    let o = run(
        Kind::CdtModify,
        Some(&bin),
        &op(
            38,
            vec![Value::Int(5 | 0x10000), Value::Int(20), Value::Int(35)],
        ),
    )
    .unwrap();
    assert_eq!(result_value(&o).as_int(), Some(2));
    assert_eq!(as_ints(&new_bin(&o)), vec![30, 20]);
}

#[test]
fn single_index_out_of_range_is_not_applicable_and_read_of_missing_bin_is_empty() {
    let bin = ints(&[1]);
    assert_eq!(
        run(Kind::CdtRead, Some(&bin), &op(17, vec![Value::Int(5)])).err(),
        Some(rc::OP_NOT_APPLICABLE)
    );
    let o = run(Kind::CdtRead, None, &op(17, vec![Value::Int(0)])).unwrap();
    assert!(o.result.is_none() && o.new_value.is_none());
}

#[test]
fn wrong_kind_and_wrong_bin_type() {
    // A modify op sent as a read.
    assert_eq!(
        run(
            Kind::CdtRead,
            Some(&ints(&[1])),
            &op(1, vec![Value::Int(1)])
        )
        .err(),
        Some(rc::PARAMETER)
    );
    // A list op on an integer bin.
    let e = apply(
        Kind::CdtModify,
        Some((particle::INTEGER, &[0u8; 8][..])),
        &op(1, vec![Value::Int(1)]),
    );
    assert_eq!(e.err(), Some(rc::INCOMPATIBLE_TYPE));
    // Garbage.
    assert_eq!(
        run(Kind::CdtModify, None, &[0xc1, 0x00]).err(),
        Some(rc::PARAMETER)
    );
}

fn map(entries: Vec<(Value, Value)>) -> Value {
    Value::Map(Map {
        entries,
        ..Default::default()
    })
}

#[test]
fn map_put_flags_and_key_ordered_creation() {
    // PUT with attr 1 (key-ordered) creates a key-ordered map.
    let o = run(
        Kind::CdtModify,
        None,
        &op(67, vec![s("b"), Value::Int(2), Value::Int(1)]),
    )
    .unwrap();
    let m = new_bin(&o);
    let o = run(
        Kind::CdtModify,
        Some(&m),
        &op(67, vec![s("a"), Value::Int(1), Value::Int(1)]),
    )
    .unwrap();
    let Value::Map(m) = new_bin(&o) else { panic!() };
    assert_eq!(m.order, 1);
    assert_eq!(
        m.entries
            .iter()
            .map(|e| e.0.clone())
            .map(|k| aerospike_cdt::encode(&k))
            .collect::<Vec<_>>(),
        vec![encode(&s("a")), encode(&s("b"))]
    );
    // CREATE_ONLY on an existing key → 24; UPDATE_ONLY on a missing key → 23.
    let bin = map(vec![(s("a"), Value::Int(1))]);
    for (key, flags, code) in [
        ("a", 1, rc::ELEMENT_EXISTS),
        ("z", 2, rc::ELEMENT_NOT_FOUND),
    ] {
        let put = op(
            67,
            vec![s(key), Value::Int(2), Value::Int(0), Value::Int(flags)],
        );
        let r = run(Kind::CdtModify, Some(&bin), &put);
        assert_eq!(r.err(), Some(code), "key {key} flags {flags}");
    }
}

#[test]
fn map_index_follows_key_order_and_rank_follows_value_order() {
    let bin = map(vec![
        (s("c"), Value::Int(1)),
        (s("a"), Value::Int(3)),
        (s("b"), Value::Int(2)),
    ]);
    // GET_BY_INDEX, KEY, 0 → "a" (key order), GET_BY_RANK, KEY, 0 → "c" (value order).
    for (code, key) in [(98, "a"), (100, "c")] {
        let get = op(code, vec![Value::Int(6), Value::Int(0)]);
        let o = run(Kind::CdtRead, Some(&bin), &get).unwrap();
        assert_eq!(encode(&result_value(&o)), encode(&s(key)), "op {code}");
    }
    // INCREMENT of a missing key creates it.
    let o = run(
        Kind::CdtModify,
        Some(&bin),
        &op(73, vec![s("d"), Value::Int(5)]),
    )
    .unwrap();
    assert_eq!(result_value(&o).as_int(), Some(5));
}

#[test]
fn contexts_walk_and_create() {
    // {a: [1, 2]}: append 3 to the list under key "a".
    let bin = map(vec![(s("a"), ints(&[1, 2]))]);
    let o = run(
        Kind::CdtModify,
        Some(&bin),
        &with_ctx(vec![Value::Int(0x22), s("a")], op(1, vec![Value::Int(3)])),
    )
    .unwrap();
    let Value::Map(m) = new_bin(&o) else { panic!() };
    assert_eq!(as_ints(&m.entries[0].1), vec![1, 2, 3]);
    // A missing key without the create flag → 26; with it, the list is created.
    let missing = with_ctx(vec![Value::Int(0x22), s("z")], op(1, vec![Value::Int(9)]));
    assert_eq!(
        run(Kind::CdtModify, Some(&bin), &missing).err(),
        Some(rc::OP_NOT_APPLICABLE)
    );
    let create = with_ctx(
        vec![Value::Int(0x22 | 0x40), s("z")],
        op(1, vec![Value::Int(9)]),
    );
    let o = run(Kind::CdtModify, Some(&bin), &create).unwrap();
    let Value::Map(m) = new_bin(&o) else { panic!() };
    assert_eq!(as_ints(&m.entries[1].1), vec![9]);
}

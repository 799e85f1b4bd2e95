//! End-to-end evaluation tests: expressions encoded the way clients encode them, evaluated
//! against a record.

use super::op::{self, ALLOW_DELETE, CREATE_ONLY, EVAL_NO_FAIL, POLICY_NO_FAIL, UPDATE_ONLY};
use super::*;
use crate::record::{particle, Record, Value};
use crate::result as rc;
use aerospike_cdt::value::{encode, List, Value as V};

fn l(items: Vec<V>) -> V {
    V::List(List {
        items,
        ..Default::default()
    })
}
fn i(n: i64) -> V {
    V::Int(n)
}
fn s(x: &str) -> V {
    V::str(x)
}
/// A msgpack str without particle prefix (bin names, variable names, regex patterns).
fn raw(x: &str) -> V {
    let b = x.as_bytes();
    V::Bytes(b[0], b[1..].to_vec())
}
fn bin(ty: i64, name: &str) -> V {
    l(vec![i(81), i(ty), raw(name)])
}
fn op2(code: i64, a: V, b: V) -> V {
    l(vec![i(code), a, b])
}
fn quote(items: Vec<V>) -> V {
    l(vec![i(126), l(items)])
}

fn record() -> Record {
    let mut r = Record {
        set: "demo".into(),
        key: Some(Value {
            particle: particle::STRING,
            data: b"k1".to_vec(),
        }),
        void_time: 0,
        ..Default::default()
    };
    let bin = |p: u8, d: Vec<u8>| {
        Some(Value {
            particle: p,
            data: d,
        })
    };
    r.set_bin("a", Some(Value::int(11)));
    r.set_bin("f", bin(particle::FLOAT, 2.5f64.to_be_bytes().to_vec()));
    r.set_bin("s", bin(particle::STRING, b"Star Wars".to_vec()));
    r.set_bin(
        "l",
        bin(
            particle::LIST,
            encode(&l(vec![i(1), i(2), l(vec![i(3), i(4)])])),
        ),
    );
    r.set_bin("b", bin(particle::BLOB, vec![0, 1, 2, 3]));
    let json = br#"{"type":"Point","coordinates":[103.913,1.308]}"#;
    r.set_bin(
        "loc",
        bin(particle::GEOJSON, [&[0u8, 0, 0][..], json].concat()),
    );
    r
}

fn eval_on(rec: &Record, e: &V) -> Result<Val, u8> {
    let digest = [7u8; 20];
    let env = Env {
        rec,
        digest: &digest,
        now_ns: 1_700_000_000_000_000_000,
    };
    Ok(Expr::build(&encode(e))?.eval(&env))
}

fn eval(e: &V) -> Result<Val, u8> {
    eval_on(&record(), e)
}

#[test]
fn comparisons_and_unknown_bins() {
    assert_eq!(eval(&op2(1, bin(2, "a"), i(11))), Ok(Val::Bool(true)));
    assert_eq!(
        eval(&op2(3, bin(7, "f"), V::Float(1.5))),
        Ok(Val::Bool(true))
    );
    assert_eq!(
        eval(&op2(1, bin(3, "s"), s("Star Wars"))),
        Ok(Val::Bool(true))
    );
    // A missing bin, or one of another type, is unknown.
    assert_eq!(eval(&op2(1, bin(2, "zz"), i(11))), Ok(Val::Unknown));
    assert_eq!(eval(&op2(1, bin(2, "s"), i(11))), Ok(Val::Unknown));
    // Static type mismatches are refused.
    assert_eq!(eval(&op2(1, bin(2, "a"), s("x"))), Err(PARAMETER));
    assert!(Expr::filter(&encode(&bin(2, "a"))).is_err());
    // List literal against the list bin.
    let lit = quote(vec![i(1), i(2), l(vec![i(3), i(4)])]);
    assert_eq!(eval(&op2(1, lit, bin(4, "l"))), Ok(Val::Bool(true)));
}

#[test]
fn three_valued_logic() {
    let t = op2(1, bin(2, "a"), i(11));
    let unk = op2(1, bin(2, "zz"), i(1));
    let f = op2(1, bin(2, "a"), i(12));
    let and = |a: &V, b: &V| l(vec![i(16), a.clone(), b.clone()]);
    let or = |a: &V, b: &V| l(vec![i(17), a.clone(), b.clone()]);
    assert_eq!(eval(&and(&t, &unk)), Ok(Val::Unknown));
    assert_eq!(eval(&and(&f, &unk)), Ok(Val::Bool(false)));
    assert_eq!(eval(&or(&t, &unk)), Ok(Val::Bool(true)));
    assert_eq!(eval(&or(&f, &unk)), Ok(Val::Unknown));
    assert_eq!(eval(&l(vec![i(18), unk.clone()])), Ok(Val::Unknown));
    assert_eq!(eval(&l(vec![i(18), f.clone()])), Ok(Val::Bool(true)));
    assert_eq!(
        eval(&l(vec![i(19), t.clone(), f.clone()])),
        Ok(Val::Bool(true))
    );
    assert_eq!(
        eval(&l(vec![i(19), t.clone(), t.clone()])),
        Ok(Val::Bool(false))
    );
    assert_eq!(eval(&l(vec![i(19), f, unk])), Ok(Val::Unknown));
    // Bin exists: bin_type != 0.
    let exists = |n: &str| op2(2, l(vec![i(82), raw(n)]), i(0));
    assert_eq!(eval(&exists("a")), Ok(Val::Bool(true)));
    assert_eq!(eval(&exists("q")), Ok(Val::Bool(false)));
}

#[test]
fn regex_geo_and_membership() {
    let re = |flags: i64, p: &str| l(vec![i(7), i(flags), raw(p), bin(3, "s")]);
    assert_eq!(eval(&re(0, "^Star")), Ok(Val::Bool(true)));
    assert_eq!(eval(&re(0, "Treck$")), Ok(Val::Bool(false)));
    assert_eq!(eval(&re(2, "^sTaR")), Ok(Val::Bool(true)));
    assert_eq!(eval(&re(1, "(")), Err(PARAMETER));
    let circle = |lng: f64, lat: f64, r: f64| {
        let text = format!(r#"{{"type":"AeroCircle","coordinates":[[{lng},{lat}],{r}]}}"#);
        V::Bytes(particle::GEOJSON, text.into_bytes())
    };
    let near = circle(103.875, 1.297, 10000.0);
    let far = circle(9.78, 53.55, 50000.0);
    assert_eq!(
        eval(&op2(8, bin(8, "loc"), near.clone())),
        Ok(Val::Bool(true))
    );
    assert_eq!(eval(&op2(8, near, bin(8, "loc"))), Ok(Val::Bool(true)));
    assert_eq!(eval(&op2(8, bin(8, "loc"), far)), Ok(Val::Bool(false)));
    assert_eq!(
        eval(&op2(8, bin(8, "loc"), V::Bytes(23, b"{".to_vec()))),
        Err(PARAMETER)
    );
    let list = quote(vec![i(5), i(11)]);
    assert_eq!(
        eval(&op2(9, bin(2, "a"), list.clone())),
        Ok(Val::Bool(true))
    );
    assert_eq!(eval(&op2(9, i(3), list)), Ok(Val::Bool(false)));
}

#[test]
fn let_cond_and_arithmetic() {
    // let x = a + 1, y = x * 2 in cond(y > 20, y, unknown)
    let x = l(vec![i(124), raw("x")]);
    let y = l(vec![i(124), raw("y")]);
    let e = l(vec![
        i(125),
        raw("x"),
        l(vec![i(20), bin(2, "a"), i(1)]),
        raw("y"),
        l(vec![i(22), x, i(2)]),
        l(vec![i(123), op2(3, y.clone(), i(20)), y, l(vec![i(0)])]),
    ]);
    assert_eq!(eval(&e), Ok(Val::Int(24)));
    assert_eq!(Expr::build(&encode(&e)).map(|e| e.ty()), Ok(Ty::Int));
    // Duplicate names and undefined variables are refused.
    let dup = l(vec![
        i(125),
        raw("x"),
        i(1),
        l(vec![i(125), raw("x"), i(2), i(3)]),
    ]);
    assert_eq!(eval(&dup), Err(PARAMETER));
    assert_eq!(eval(&l(vec![i(124), raw("nope")])), Err(PARAMETER));
    // Mixed int and float arithmetic is refused; float math works.
    assert_eq!(eval(&l(vec![i(20), i(1), V::Float(1.0)])), Err(PARAMETER));
    assert_eq!(
        eval(&op2(24, bin(7, "f"), V::Float(2.0))),
        Ok(Val::Float(6.25))
    );
    assert_eq!(eval(&l(vec![i(23), bin(2, "a"), i(0)])), Ok(Val::Unknown));
}

#[test]
fn metadata_and_key() {
    assert_eq!(eval(&l(vec![i(69)])), Ok(Val::Int(-1)));
    assert_eq!(eval(&l(vec![i(70)])), Ok(Val::Str(b"demo".to_vec())));
    assert_eq!(eval(&l(vec![i(71)])), Ok(Val::Bool(true)));
    assert_eq!(eval(&l(vec![i(80), i(3)])), Ok(Val::Str(b"k1".to_vec())));
    assert_eq!(eval(&l(vec![i(80), i(2)])), Ok(Val::Unknown));
    assert_eq!(
        eval(&l(vec![i(64), i(5)])),
        Ok(Val::Int((0x07070707u32 % 5) as i64))
    );
    assert!(matches!(eval(&l(vec![i(74)])), Ok(Val::Int(n)) if n > 64));
}

#[test]
fn collection_calls() {
    let call = |ty: i64, sys: i64, op: V, operand: V| l(vec![i(127), i(ty), i(sys), op, operand]);
    // size(l) == 3; size of l[2] == 2 (context); l[2][0] by index.
    assert_eq!(
        eval(&call(2, 0, l(vec![i(16)]), bin(4, "l"))),
        Ok(Val::Int(3))
    );
    let ctx = l(vec![i(0x10), i(2)]);
    let in_ctx = |inner: V| l(vec![i(0xff), ctx.clone(), inner]);
    assert_eq!(
        eval(&call(2, 0, in_ctx(l(vec![i(16)])), bin(4, "l"))),
        Ok(Val::Int(2))
    );
    assert_eq!(
        eval(&call(2, 0, in_ctx(l(vec![i(19), i(7), i(0)])), bin(4, "l"))),
        Ok(Val::Int(3))
    );
    // Declared type mismatch: unknown.
    assert_eq!(
        eval(&call(3, 0, l(vec![i(16)]), bin(4, "l"))),
        Ok(Val::Unknown)
    );
    // Append (modify-local) with an expression parameter; the record is untouched.
    let appended = eval(&call(4, 0x40, l(vec![i(1), bin(2, "a")]), bin(4, "l"))).unwrap();
    let expect = l(vec![i(1), i(2), l(vec![i(3), i(4)]), i(11)]);
    assert_eq!(appended, Val::List(encode(&expect)));
    // Calls on a missing bin are unknown; on a bin of the wrong kind, refused.
    assert_eq!(
        eval(&call(2, 0, l(vec![i(16)]), bin(4, "zz"))),
        Ok(Val::Unknown)
    );
    assert_eq!(
        eval(&call(2, 0, l(vec![i(16)]), bin(2, "a"))),
        Err(PARAMETER)
    );
    // Bit count over the blob: 0b0, 0b1, 0b10, 0b11 -> 4 bits.
    assert_eq!(
        eval(&call(2, 1, l(vec![i(51), i(0), i(32)]), bin(6, "b"))),
        Ok(Val::Int(4))
    );
}

fn exp_op(e: &V, flags: i64) -> Vec<u8> {
    encode(&l(vec![e.clone(), i(flags)]))
}

#[test]
fn expression_read_op() {
    let rec = record();
    let digest = [0u8; 20];
    let env = Env {
        rec: &rec,
        digest: &digest,
        now_ns: 0,
    };
    let sum = l(vec![i(20), bin(2, "a"), bin(2, "a")]);
    assert_eq!(op::read(&env, &exp_op(&sum, 0)), Ok(Some(Value::int(22))));
    let missing = bin(2, "zz");
    assert_eq!(
        op::read(&env, &exp_op(&missing, 0)),
        Err(rc::OP_NOT_APPLICABLE)
    );
    assert_eq!(
        op::read(&env, &exp_op(&missing, EVAL_NO_FAIL as i64)),
        Ok(None)
    );
    assert_eq!(op::read(&env, &exp_op(&sum, 1)), Err(rc::PARAMETER));
    assert_eq!(op::read(&env, &[0x90]), Err(rc::PARAMETER));
}

#[test]
fn expression_modify_op_flags() {
    let digest = [0u8; 20];
    let modify = |rec: &mut Record, name: &str, e: &V, flags: u64| {
        op::modify(rec, &digest, 0, name.as_bytes(), &exp_op(e, flags as i64))
    };
    let double = l(vec![i(22), bin(2, "a"), i(2)]);
    let mut rec = record();
    assert_eq!(modify(&mut rec, "a", &double, 0), Ok(()));
    assert_eq!(rec.bin(b"a"), Some(&Value::int(22)));
    assert_eq!(
        modify(&mut rec, "a", &double, CREATE_ONLY),
        Err(rc::BIN_EXISTS)
    );
    assert_eq!(
        modify(&mut rec, "a", &double, CREATE_ONLY | POLICY_NO_FAIL),
        Ok(())
    );
    assert_eq!(
        modify(&mut rec, "n", &double, UPDATE_ONLY),
        Err(rc::BIN_NOT_FOUND)
    );
    assert_eq!(modify(&mut rec, "n", &double, CREATE_ONLY), Ok(()));
    assert_eq!(rec.bin(b"n"), Some(&Value::int(44)));
    // A nil result deletes only with ALLOW_DELETE.
    assert_eq!(
        modify(&mut rec, "n", &V::Nil, 0),
        Err(rc::OP_NOT_APPLICABLE)
    );
    assert_eq!(modify(&mut rec, "n", &V::Nil, ALLOW_DELETE), Ok(()));
    assert_eq!(rec.bin(b"n"), None);
    // An unknown result fails unless EVAL_NO_FAIL.
    let unk = bin(2, "zz");
    assert_eq!(modify(&mut rec, "a", &unk, 0), Err(rc::OP_NOT_APPLICABLE));
    assert_eq!(modify(&mut rec, "a", &unk, EVAL_NO_FAIL), Ok(()));
    assert_eq!(rec.bin(b"a"), Some(&Value::int(22)));
    assert_eq!(modify(&mut rec, "a", &double, 32), Err(rc::PARAMETER));
}

//! Unit tests of the bit operations.

use super::codes::*;
use super::*;
use crate::rc::{BIN_EXISTS, BIN_NOT_FOUND};
use crate::value::{encode, List, Value};

enum A<'a> {
    I(i64),
    B(&'a [u8]),
    T(bool),
}
use A::*;

fn payload(code: i64, args: &[A]) -> Vec<u8> {
    let mut items = vec![Value::Int(code)];
    for a in args {
        items.push(match a {
            I(i) => Value::Int(*i),
            B(b) => Value::Bytes(particle::BLOB, b.to_vec()),
            T(t) => Value::Bool(*t),
        });
    }
    encode(&Value::List(List {
        items,
        ..List::default()
    }))
}

/// Runs a modify op on a blob bin; returns the new bytes (None: unchanged).
fn m(bin: Option<&[u8]>, code: i64, args: &[A]) -> Result<Option<Vec<u8>>, u8> {
    let out = apply(
        Kind::BitModify,
        bin.map(|b| (particle::BLOB, b)),
        &payload(code, args),
    )?;
    assert!(out.result.is_none());
    Ok(out.new_value.map(|v| {
        let p = v.expect("bit ops never remove the bin");
        assert_eq!(p.particle, particle::BLOB);
        p.data
    }))
}

fn changed(bin: &[u8], code: i64, args: &[A]) -> Vec<u8> {
    m(Some(bin), code, args).unwrap().expect("bin changed")
}

fn r(bin: &[u8], code: i64, args: &[A]) -> Result<Particle, u8> {
    apply(
        Kind::BitRead,
        Some((particle::BLOB, bin)),
        &payload(code, args),
    )
    .map(|o| o.result.expect("read result"))
}

fn ri(bin: &[u8], code: i64, args: &[A]) -> i64 {
    let p = r(bin, code, args).unwrap();
    assert_eq!(p.particle, particle::INTEGER);
    i64::from_be_bytes(p.data.try_into().unwrap())
}

const BITS: [u8; 5] = [
    0b0000_0001,
    0b0100_0010,
    0b0000_0011,
    0b0000_0100,
    0b0000_0101,
];

#[test]
fn resize() {
    assert_eq!(changed(&[1, 2], RESIZE, &[I(4)]), [1, 2, 0, 0]);
    assert_eq!(changed(&[1, 2, 3], RESIZE, &[I(2)]), [1, 2]);
    assert_eq!(changed(&[1, 2], RESIZE, &[I(4), I(0), I(1)]), [0, 0, 1, 2]);
    assert_eq!(changed(&[1, 2, 3], RESIZE, &[I(1), I(0), I(1)]), [3]);
    assert_eq!(changed(&[1, 2, 3], RESIZE, &[I(0)]), Vec::<u8>::new());
    assert_eq!(m(Some(&[1, 2]), RESIZE, &[I(2)]), Ok(None));
    // Grow only / shrink only.
    assert_eq!(m(Some(&[1, 2, 3]), RESIZE, &[I(2), I(0), I(2)]), Err(4));
    assert_eq!(m(Some(&[1, 2, 3]), RESIZE, &[I(4), I(0), I(4)]), Err(4));
    assert_eq!(m(Some(&[1, 2, 3]), RESIZE, &[I(2), I(4), I(2)]), Ok(None));
    assert_eq!(changed(&[1], RESIZE, &[I(2), I(0), I(2)]), [1, 0]);
    assert_eq!(m(Some(&[1]), RESIZE, &[I(2), I(0), I(6)]), Err(4));
    assert_eq!(m(Some(&[1]), RESIZE, &[I(2), I(0), I(8)]), Err(4));
    // Creating.
    assert_eq!(m(None, RESIZE, &[I(4)]), Ok(Some(vec![0; 4])));
    assert_eq!(m(None, RESIZE, &[I(4), I(1)]), Ok(Some(vec![0; 4])));
    assert_eq!(m(None, RESIZE, &[I(0)]), Ok(None));
    assert_eq!(m(Some(&[1]), RESIZE, &[I(4), I(1)]), Err(BIN_EXISTS));
    assert_eq!(m(Some(&[1]), RESIZE, &[I(4), I(5)]), Ok(None));
    assert_eq!(m(None, RESIZE, &[I(4), I(2)]), Err(BIN_NOT_FOUND));
    assert_eq!(m(None, RESIZE, &[I(4), I(6)]), Ok(None));
    assert_eq!(
        changed(&[1, 2, 3, 4, 5, 6], RESIZE, &[I(4), I(2)]),
        [1, 2, 3, 4]
    );
    assert_eq!(m(None, RESIZE, &[I(4), I(3)]), Err(4));
    assert_eq!(m(None, RESIZE, &[I(-1)]), Err(4));
    assert_eq!(m(None, RESIZE, &[I(PROTO_SIZE_MAX as i64)]), Err(4));
}

#[test]
fn insert_and_remove() {
    assert_eq!(changed(&[1, 2], INSERT, &[I(1), B(&[3, 4])]), [1, 3, 4, 2]);
    assert_eq!(changed(&[1, 2], INSERT, &[I(0), B(&[3])]), [3, 1, 2]);
    assert_eq!(changed(&[1, 2], INSERT, &[I(2), B(&[3])]), [1, 2, 3]);
    assert_eq!(changed(&[1, 2], INSERT, &[I(4), B(&[3])]), [1, 2, 0, 0, 3]);
    assert_eq!(changed(&[1, 2], INSERT, &[I(-1), B(&[3])]), [1, 3, 2]);
    assert_eq!(m(Some(&[1, 2]), INSERT, &[I(-3), B(&[3])]), Err(4));
    assert_eq!(m(None, INSERT, &[I(2), B(&[3])]), Ok(Some(vec![0, 0, 3])));
    assert_eq!(m(None, INSERT, &[I(-1), B(&[3])]), Err(4));
    assert_eq!(m(Some(&[1]), INSERT, &[I(0), B(&[])]), Err(4));
    assert_eq!(m(Some(&[1]), INSERT, &[I(0), B(&[3]), I(8)]), Err(4));

    assert_eq!(changed(&[1, 2, 3, 4, 5], REMOVE, &[I(1), I(3)]), [1, 5]);
    assert_eq!(
        changed(&[1, 2, 3, 4, 5], REMOVE, &[I(-2), I(1)]),
        [1, 2, 3, 5]
    );
    assert_eq!(m(Some(&[1, 2]), REMOVE, &[I(2), I(1)]), Err(4));
    assert_eq!(m(Some(&[1, 2]), REMOVE, &[I(2), I(1), I(4)]), Ok(None));
    assert_eq!(m(Some(&[1, 2]), REMOVE, &[I(1), I(2)]), Err(4));
    assert_eq!(changed(&[1, 2, 3], REMOVE, &[I(1), I(5), I(8)]), [1]);
    assert_eq!(m(Some(&[1, 2]), REMOVE, &[I(0), I(0)]), Err(4));
    assert_eq!(m(None, REMOVE, &[I(0), I(1)]), Err(BIN_NOT_FOUND));
    assert_eq!(m(Some(&[1, 2]), REMOVE, &[I(0), I(1), I(1)]), Err(4));
}

#[test]
fn set_and_logic() {
    let mut want = BITS;
    want[1] = 0b0100_0111;
    assert_eq!(changed(&BITS, SET, &[I(13), I(3), B(&[0b1110_0000])]), want);
    assert_eq!(
        changed(&BITS, OR, &[I(17), I(6), B(&[0b1010_1000])]),
        [1, 0b0100_0010, 0b0101_0111, 4, 5]
    );
    assert_eq!(
        changed(&BITS, XOR, &[I(17), I(6), B(&[0b1010_1100])]),
        [1, 0b0100_0010, 0b0101_0101, 4, 5]
    );
    assert_eq!(
        changed(&BITS, AND, &[I(23), I(9), B(&[0b0011_1100, 0b1000_0000])]),
        [1, 0b0100_0010, 0b0000_0010, 0, 5]
    );
    assert_eq!(
        changed(&BITS, NOT, &[I(25), I(6)]),
        [1, 0b0100_0010, 3, 0b0111_1010, 5]
    );
    // Negative offset: the last 4 bits.
    assert_eq!(changed(&[0, 0], SET, &[I(-4), I(4), B(&[0xf0])]), [0, 0x0f]);
    assert_eq!(m(Some(&[0, 0]), SET, &[I(-17), I(4), B(&[0xf0])]), Err(4));
    // Buffer shorter than the size.
    assert_eq!(m(Some(&[0, 0]), SET, &[I(0), I(9), B(&[0xff])]), Err(4));
    // Out of range, no-fail, partial.
    assert_eq!(m(Some(&[0]), SET, &[I(4), I(8), B(&[0xaa])]), Err(26));
    assert_eq!(m(Some(&[0]), SET, &[I(8), I(1), B(&[0xaa])]), Err(26));
    assert_eq!(
        m(Some(&[0]), SET, &[I(4), I(8), B(&[0xaa]), I(6)]),
        Ok(None)
    );
    assert_eq!(changed(&[0], SET, &[I(4), I(8), B(&[0xaa]), I(14)]), [0x0a]);
    assert_eq!(
        changed(&[0, 0], OR, &[I(12), I(8), B(&[0xff]), I(8)]),
        [0, 0x0f]
    );
    assert_eq!(m(Some(&[0]), SET, &[I(0), I(8), B(&[1]), I(1)]), Err(4));
    assert_eq!(m(None, SET, &[I(0), I(8), B(&[1])]), Err(BIN_NOT_FOUND));
    assert_eq!(m(None, SET, &[I(0), I(8), B(&[1]), I(4)]), Ok(None));
    assert_eq!(m(Some(&[0]), SET, &[I(0), I(0), B(&[1])]), Err(4));
    assert_eq!(m(Some(&[0]), NOT, &[I(0)]), Err(4));
}

#[test]
fn shifts() {
    // (bin, op, args, the bin after)
    let changes: &[Change] = &[
        (&BITS, LSHIFT, &[32, 8, 3], &[1, 0x42, 3, 4, 0b0010_1000]),
        (&BITS, RSHIFT, &[0, 9, 1], &[0, 0b1100_0010, 3, 4, 5]),
        (&[0xff, 0xff], LSHIFT, &[4, 8, 2], &[0xff, 0xcf]),
        (&[0xff, 0xff], RSHIFT, &[4, 8, 2], &[0xf3, 0xff]),
        (&[0xff, 0xff], RSHIFT, &[0, 16, 20], &[0, 0]),
        (&[0x12, 0x34], LSHIFT, &[0, 16, 8], &[0x34, 0]),
    ];
    for (bin, code, args, after) in changes {
        let got = changed(bin, *code, &ints(args));
        assert_eq!(got, *after, "op {code} {args:?} on {bin:?}");
    }
    assert_eq!(m(Some(&[0]), LSHIFT, &[I(0), I(8), I(-1)]), Err(4));
}

#[test]
fn arithmetic() {
    // (bin, op, args, the bin after)
    let changes: &[Change] = &[
        (
            &BITS,
            ADD,
            &[24, 16, 128, 0, 0],
            &[1, 0x42, 3, 4, 0b1000_0101],
        ),
        (
            &BITS,
            SUBTRACT,
            &[24, 16, 128],
            &[1, 0x42, 3, 3, 0b1000_0101],
        ),
        // Unsigned overflow: saturate, wrap.
        (&[0xfc], ADD, &[0, 8, 100, 0, 2], &[0xff]),
        (&[0xfe], ADD, &[0, 8, 2, 0, 4], &[0]),
        (&[4], SUBTRACT, &[0, 8, 10, 0, 2], &[0]),
        (&[4], SUBTRACT, &[0, 8, 10, 0, 4], &[0xfa]),
        // Signed.
        (&[0x7f], ADD, &[0, 8, 1, 0, 3], &[0x7f]),
        (&[0x80], SUBTRACT, &[0, 8, 1, 0, 3], &[0x80]),
        (&[0x81], ADD, &[0, 8, -2, 0, 3], &[0x80]),
        (&[0xff], ADD, &[0, 8, 1, 0, 1], &[0]),
        (&[0x05], SUBTRACT, &[0, 8, 10, 0, 1], &[0xfb]),
        // The server misses an overflow whose result is exactly zero.
        (&[0x80], ADD, &[0, 8, 0x80, 0, 1], &[0]),
        // Bits around the integer are kept; 64-bit values.
        (&[0xf0, 0x0f], ADD, &[4, 8, 1], &[0xf0, 0x1f]),
        (&[0xff; 8], ADD, &[0, 64, 1, 0, 4], &[0; 8]),
        (&I64_MAX, ADD, &[0, 64, 1, 0, 3], &I64_MAX),
        // SET_INT.
        (
            &BITS,
            SET_INT,
            &[1, 8, 127],
            &[0b0011_1111, 0b1100_0010, 3, 4, 5],
        ),
        (&[0, 0], SET_INT, &[-12, 4, -1], &[0x0f, 0]),
    ];
    for (bin, code, args, after) in changes {
        let got = changed(bin, *code, &ints(args));
        assert_eq!(got, *after, "op {code} {args:?} on {bin:?}");
    }
    // Overflow without saturate or wrap fails (no-fail leaves the bin); limits and ranges.
    let refusals: &[Refusal] = &[
        (&[0xff], ADD, &[0, 8, 1, 0, 0], Err(26)),
        (&[0xff], ADD, &[0, 8, 1, 4, 0], Ok(None)),
        (&[4], SUBTRACT, &[0, 8, 10, 0, 0], Err(26)),
        (&[0x7f], ADD, &[0, 8, 1, 0, 1], Err(26)),
        (&[0; 9], SET_INT, &[0, 65, 1], Err(4)),
        (&[0], SET_INT, &[4, 8, 1], Err(26)),
        (&[0], SET_INT, &[4, 8, 1, 4], Ok(None)),
        (&[0], SET_INT, &[0, 8, 1, 8], Err(4)),
        (&[0], ADD, &[0, 8, 1, 0, 6], Err(4)),
        (&[0], ADD, &[0, 8, 1, 0, 8], Err(4)),
    ];
    for (bin, code, args, want) in refusals {
        let got = m(Some(bin), *code, &ints(args));
        assert_eq!(got, *want, "op {code} {args:?} on {bin:?}");
    }
}

/// The largest signed 64-bit integer, big-endian.
const I64_MAX: [u8; 8] = [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/// A modify that changes the bin: (bin, op, integer args, the bin after).
type Change<'a> = (&'a [u8], i64, &'a [i64], &'a [u8]);

/// A modify that does not: (bin, op, integer args, what it gives).
type Refusal<'a> = (&'a [u8], i64, &'a [i64], Result<Option<Vec<u8>>, u8>);

/// Integer arguments.
fn ints(args: &[i64]) -> Vec<A<'static>> {
    args.iter().map(|&i| I(i)).collect()
}

#[test]
fn reads() {
    let g = r(&BITS, GET, &[I(9), I(5)]).unwrap();
    assert_eq!((g.particle, g.data), (particle::BLOB, vec![0b1000_0000]));
    let g = r(&BITS, GET, &[I(4), I(12)]).unwrap();
    assert_eq!(g.data, vec![0x14, 0x20]);
    let g = r(&BITS, GET, &[I(-8), I(8)]).unwrap();
    assert_eq!(g.data, vec![5]);
    assert_eq!(ri(&BITS, GET_INT, &[I(8), I(16), I(0)]), 16899);
    assert_eq!(ri(&BITS, GET_INT, &[I(8), I(16)]), 16899);
    assert_eq!(ri(&[0xff], GET_INT, &[I(0), I(8), I(1)]), -1);
    assert_eq!(ri(&[0xff], GET_INT, &[I(0), I(8)]), 255);
    assert_eq!(ri(&[0xff; 8], GET_INT, &[I(0), I(64)]), -1);
    assert_eq!(ri(&BITS, COUNT, &[I(0), I(40)]), 8);
    assert_eq!(ri(&BITS, COUNT, &[I(9), I(5)]), 1);
    assert_eq!(ri(&[0xff, 0xff], COUNT, &[I(3), I(2)]), 2);
    assert_eq!(ri(&BITS, LSCAN, &[I(24), I(8), T(true)]), 5);
    assert_eq!(ri(&BITS, LSCAN, &[I(0), I(7), T(true)]), -1);
    assert_eq!(ri(&BITS, LSCAN, &[I(0), I(8), T(false)]), 0);
    assert_eq!(ri(&[0xff, 0xfe], LSCAN, &[I(0), I(16), T(false)]), 15);
    assert_eq!(ri(&[0xff, 0xfe], LSCAN, &[I(0), I(15), T(false)]), -1);
    assert_eq!(ri(&BITS, RSCAN, &[I(32), I(8), T(true)]), 7);
    assert_eq!(ri(&BITS, RSCAN, &[I(32), I(7), T(true)]), 5);
    assert_eq!(ri(&BITS, RSCAN, &[I(32), I(5), T(true)]), -1);
    assert_eq!(ri(&[0xf0, 0x00], RSCAN, &[I(2), I(14), T(true)]), 1);
    assert_eq!(ri(&[0xff, 0xff], RSCAN, &[I(0), I(16), T(false)]), -1);
    // Quirk of the server: bits before the offset in the first byte count for RSCAN.
    assert_eq!(ri(&[0x80], RSCAN, &[I(4), I(4), T(true)]), -4);
    // Errors.
    assert_eq!(r(&BITS, GET, &[I(36), I(5)]), Err(26));
    assert_eq!(r(&BITS, GET, &[I(40), I(1)]), Err(26));
    assert_eq!(r(&BITS, GET, &[I(-41), I(1)]), Err(4));
    assert_eq!(r(&BITS, GET, &[I(0), I(0)]), Err(4));
    assert_eq!(r(&BITS, GET, &[I(0)]), Err(4));
    assert_eq!(r(&BITS, GET, &[I(0), I(1), I(0)]), Err(4));
    assert_eq!(r(&BITS, LSCAN, &[I(0), I(1), I(1)]), Err(4));
    assert_eq!(r(&BITS, GET_INT, &[I(0), I(8), I(2)]), Err(4));
    assert_eq!(r(&BITS, GET_INT, &[I(0), I(65)]), Err(4));
    assert_eq!(r(&BITS, SET, &[I(0), I(1), B(&[0])]), Err(4));
}

#[test]
fn kinds_and_types() {
    // Read of a missing bin: nothing, whatever the op.
    let out = apply(Kind::BitRead, None, &payload(GET, &[])).unwrap();
    assert!(out.result.is_none() && out.new_value.is_none());
    // Wrong bin type.
    let p = payload(GET, &[I(0), I(8)]);
    assert_eq!(
        apply(Kind::BitRead, Some((particle::STRING, b"abc")), &p).err(),
        Some(12)
    );
    let p = payload(RESIZE, &[I(8)]);
    assert_eq!(
        apply(Kind::BitModify, Some((particle::INTEGER, &[0; 8])), &p).err(),
        Some(12)
    );
    // Modify code sent as a read and vice versa.
    assert_eq!(
        apply(
            Kind::BitModify,
            Some((4, &[0])),
            &payload(GET, &[I(0), I(1)])
        )
        .err(),
        Some(4)
    );
    assert_eq!(
        apply(Kind::BitRead, Some((4, &[0])), &payload(RESIZE, &[I(1)])).err(),
        Some(4)
    );
    assert_eq!(
        apply(Kind::BitModify, Some((4, &[0])), &[0x90]).err(),
        Some(4)
    );
    assert_eq!(
        apply(Kind::BitModify, Some((4, &[0])), &payload(13, &[])).err(),
        Some(4)
    );
}

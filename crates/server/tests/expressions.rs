//! Wire-level tests of filter expressions (field 43) and the expression ops (7 EXP_READ,
//! 8 EXP_MODIFY): single-record commands, batch rows and scans.

use aerospike_embedded_server::Config;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod common;
use common::{field, key_fields, messages, op, read_proto, start, str_digest as digest};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn msg(info: [u8; 3], fields: &[Vec<u8>], ops: &[Vec<u8>]) -> Vec<u8> {
    common::message(info, 0, 0, fields, ops)
}

async fn call(s: &mut TcpStream, body: &[u8]) -> Vec<u8> {
    let mut v = ((2u64 << 56) | (3u64 << 48) | body.len() as u64)
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(body);
    s.write_all(&v).await.unwrap();
    read_proto(s).await
}

/// The messages of a reply stream: (result, txn-ttl slot (batch index), info3, n_ops), up to
/// and including the LAST one.
async fn stream(s: &mut TcpStream, body: &[u8]) -> Vec<(u8, u32, u8, u16)> {
    let mut v = ((2u64 << 56) | (3u64 << 48) | body.len() as u64)
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(body);
    s.write_all(&v).await.unwrap();
    let mut out = Vec::new();
    loop {
        let body = read_proto(s).await;
        for m in messages(&body) {
            out.push((m.result(), m.index(), m.info3(), m.ops.len() as u16));
            if m.last() {
                return out;
            }
        }
    }
}

fn reply(result: u8, gen: u32, n_ops: u16) -> Vec<u8> {
    let mut v = vec![22, 0, 0, 0, 0, result];
    v.extend_from_slice(&gen.to_be_bytes());
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&n_ops.to_be_bytes());
    v
}

/// `a == n` over the int bin "a".
fn a_eq(n: u8) -> Vec<u8> {
    hex(&format!("93 01 93 51 02 a1 61 {n:02x}"))
}

async fn put_a(s: &mut TcpStream, set: &str, key: &[u8], a: i64) -> [u8; 20] {
    let d = digest(set, key);
    let put = msg(
        [0, 1, 0],
        &key_fields(set, &d),
        &[op(2, 1, "a", &a.to_be_bytes()), op(2, 3, "s", b"x")],
    );
    assert_eq!(call(s, &put).await[5], 0);
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_on_single_record_commands() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d = put_a(&mut s, "ex", b"k", 11).await;
    let get = |filter: Vec<u8>| {
        let mut f = key_fields("ex", &d);
        f.push(field(43, &filter));
        msg([3, 0, 0], &f, &[])
    };
    let mut expected = reply(0, 1, 2);
    expected.extend_from_slice(&op(1, 1, "a", &11i64.to_be_bytes()));
    expected.extend_from_slice(&op(1, 3, "s", b"x"));
    assert_eq!(call(&mut s, &get(a_eq(11))).await, expected);
    assert_eq!(call(&mut s, &get(a_eq(12))).await, reply(27, 0, 0));
    // A missing bin makes the filter unknown: filtered out, no error.
    let on_missing = hex("93 01 93 51 02 a1 7a 0b");
    assert_eq!(call(&mut s, &get(on_missing)).await, reply(27, 0, 0));
    // Comparing an int bin with a string, or a non-boolean filter: parameter error.
    assert_eq!(
        call(&mut s, &get(hex("93 01 93 51 02 a1 61 a2 03 78"))).await,
        reply(4, 0, 0)
    );
    assert_eq!(
        call(&mut s, &get(hex("93 51 02 a1 61"))).await,
        reply(4, 0, 0)
    );

    // Delete with a failing filter leaves the record; with a passing one removes it.
    let del = |filter: Vec<u8>| {
        let mut f = key_fields("ex", &d);
        f.push(field(43, &filter));
        msg([0, 3, 0], &f, &[])
    };
    assert_eq!(call(&mut s, &del(a_eq(1))).await, reply(27, 0, 0));
    assert_eq!(call(&mut s, &del(a_eq(11))).await, reply(0, 0, 0));
    assert_eq!(call(&mut s, &get(a_eq(11))).await, reply(2, 0, 0));
    server.stop().await.unwrap();
}

fn row(index: u32, d: &[u8; 20], filter: Option<&[u8]>) -> Vec<u8> {
    let mut r = index.to_be_bytes().to_vec();
    r.extend_from_slice(d);
    r.extend_from_slice(&[0x0a, 0x03, 0, 0]);
    r.extend_from_slice(&0u32.to_be_bytes());
    r.extend_from_slice(&(2 + filter.is_some() as u16).to_be_bytes());
    r.extend_from_slice(&0u16.to_be_bytes());
    r.extend_from_slice(&field(0, b"test"));
    r.extend_from_slice(&field(1, b"ex"));
    if let Some(f) = filter {
        r.extend_from_slice(&field(43, f));
    }
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_on_batch_rows_and_scans() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d1 = put_a(&mut s, "ex", b"one", 11).await;
    let d2 = put_a(&mut s, "ex", b"two", 5).await;

    // Parent filter a == 11; row 0 has its own (a == 12), rows 1 and 2 use the parent's.
    let rows = [
        row(0, &d1, Some(&a_eq(12))),
        row(1, &d2, None),
        row(2, &d1, None),
    ];
    let mut batch = (rows.len() as u32).to_be_bytes().to_vec();
    batch.push(0x0c);
    rows.iter().for_each(|r| batch.extend_from_slice(r));
    let req = msg(
        [0x08, 0, 0],
        &[field(41, &batch), field(43, &a_eq(11))],
        &[],
    );
    let out = stream(&mut s, &req).await;
    assert_eq!(
        out,
        vec![(27, 0, 0, 0), (27, 1, 0, 0), (0, 2, 0, 2), (0, 0, 1, 0)]
    );

    // A scan streams only the records that pass; a bad filter fails the scan.
    let pids: Vec<u8> = (0u16..4096).flat_map(|p| p.to_le_bytes()).collect();
    let scan = |filter: Vec<u8>| {
        msg(
            [1, 0, 0],
            &[
                field(0, b"test"),
                field(1, b"ex"),
                field(11, &pids),
                field(43, &filter),
            ],
            &[],
        )
    };
    let out = stream(&mut s, &scan(a_eq(5))).await;
    assert_eq!(out.len(), 2);
    assert_eq!((out[0].0, out[0].3), (0, 2));
    let out = stream(&mut s, &scan(hex("93 51 02 a1 61"))).await;
    assert_eq!(out, vec![(4, 0, 1, 0)]);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expression_read_and_modify_ops() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d = put_a(&mut s, "ex", b"ops", 11).await;
    let sum = "93 14 93 51 02 a1 61 93 51 02 a1 61"; // a + a
    let double = "93 16 93 51 02 a1 61 02"; // a * 2

    // Read-only: x = a + a.
    let read = msg(
        [1, 0, 0],
        &key_fields("ex", &d),
        &[
            op(7, 0, "x", &hex(&format!("92 {sum} 00"))),
            op(1, 0, "a", b""),
        ],
    );
    let mut expected = reply(0, 1, 2);
    expected.extend_from_slice(&op(7, 1, "x", &22i64.to_be_bytes()));
    expected.extend_from_slice(&op(1, 1, "a", &11i64.to_be_bytes()));
    assert_eq!(call(&mut s, &read).await, expected);

    // Operate: a = a * 2, then read it back and read a + a.
    let write = msg(
        [1, 1, 0],
        &key_fields("ex", &d),
        &[
            op(8, 0, "a", &hex(&format!("92 {double} 00"))),
            op(1, 0, "a", b""),
            op(7, 0, "x", &hex(&format!("92 {sum} 00"))),
        ],
    );
    let mut expected = reply(0, 2, 2);
    expected.extend_from_slice(&op(1, 1, "a", &22i64.to_be_bytes()));
    expected.extend_from_slice(&op(7, 1, "x", &44i64.to_be_bytes()));
    assert_eq!(call(&mut s, &write).await, expected);

    // CREATE_ONLY on an existing bin: 6; with POLICY_NO_FAIL: no-op.
    let create_only = |flags: u8| {
        msg(
            [0, 1, 0],
            &key_fields("ex", &d),
            &[op(8, 0, "a", &hex(&format!("92 {double} {flags:02x}")))],
        )
    };
    assert_eq!(call(&mut s, &create_only(1)).await[5], 6);
    assert_eq!(call(&mut s, &create_only(9)).await[5], 0);
    // An expression on a missing bin: 26, or nothing with EVAL_NO_FAIL.
    let unknown = |flags: u8| {
        msg(
            [1, 0, 0],
            &key_fields("ex", &d),
            &[op(
                7,
                0,
                "x",
                &hex(&format!("92 93 51 02 a1 7a {flags:02x}")),
            )],
        )
    };
    assert_eq!(call(&mut s, &unknown(0)).await, reply(26, 0, 0));
    assert_eq!(call(&mut s, &unknown(16)).await, reply(0, 3, 0));
    server.stop().await.unwrap();
}

//! Wire-level tests: a real server on 127.0.0.1:0, raw bytes in, exact bytes out. These pin the
//! request and reply format of every command family and check that hostile input closes only
//! the offending connection.

use aerospike_embedded_server::Config;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod common;
use common::start_with_clock;
use common::{call, digest, field, key_fields, op, partition_of, proto, read_frame, reply, start};

/// An AS_MSG body: header, fields, ops.
fn msg(info: [u8; 3], gen: u32, ttl: u32, fields: &[Vec<u8>], ops: &[Vec<u8>]) -> Vec<u8> {
    common::message(info, gen, ttl, fields, ops)
}

async fn read_proto(s: &mut TcpStream) -> (u8, Vec<u8>) {
    read_frame(s).await
}

/// Sends one single-record command on the record `d` of set `demo`; returns the reply.
async fn demo_call(
    s: &mut TcpStream,
    info: [u8; 3],
    gen: u32,
    ttl: u32,
    d: &[u8; 20],
    ops: &[Vec<u8>],
) -> Vec<u8> {
    call(s, 3, &msg(info, gen, ttl, &key_fields("demo", d), ops)).await
}

#[test]
fn digest_vectors_match_the_protocol_reference() {
    let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(
        hex(digest("set", 1, &(-1i64).to_be_bytes())),
        "22116d253745e29fc63fdf760b6e26f7e197e01d"
    );
    assert_eq!(
        hex(digest("set", 1, &0i64.to_be_bytes())),
        "93d943aae37b017ad7e011b0c1d2e2143c2fb37d"
    );
    assert_eq!(
        hex(digest("set", 3, b"")),
        "2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83"
    );
    assert_eq!(
        hex(digest("demo", 3, b"key1")),
        "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960"
    );
    assert_eq!(partition_of(&digest("demo", 3, b"key1")), 492);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_answers_one_line_per_command_in_order() {
    let server = start(Config {
        cluster_name: "c1".into(),
        ..Config::default()
    })
    .await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let out = call(
        &mut s,
        1,
        b"build\nstatus\nbogus\ncluster-name\nnamespaces\npartition-generation\n",
    )
    .await;
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "build\t8.0.0.0\nstatus\tok\nbogus\tERROR:4:unrecognized command\ncluster-name\tc1\nnamespaces\ttest;bar\npartition-generation\t1\n"
    );
    let out =
        String::from_utf8(call(&mut s, 1, b"replicas\npeers-clear-std\nservice-clear-std\n").await)
            .unwrap();
    let lines: Vec<&str> = out.lines().collect();
    let replicas = lines[0].strip_prefix("replicas\t").unwrap();
    for (ns, entry) in ["test", "bar"].iter().zip(replicas.split(';')) {
        let (name, rest) = entry.split_once(':').unwrap();
        assert_eq!(&name, ns);
        let bitmap = rest.strip_prefix("0,1,").unwrap();
        assert_eq!(bitmap.len(), 684);
        assert!(bitmap.ends_with("//8="));
    }
    assert_eq!(
        lines[1],
        format!("peers-clear-std\t1,{},[]", server.addr().port())
    );
    assert_eq!(
        lines[2],
        format!("service-clear-std\t127.0.0.1:{}", server.addr().port())
    );
    // Text after the last newline is not a command.
    assert_eq!(call(&mut s, 1, b"status\nbuil").await, b"status\tok\n");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_answered_security_not_enabled() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let mut login = vec![0u8, 0, 20, 2];
    login.extend_from_slice(&[0; 12]);
    let out = call(&mut s, 2, &login).await;
    assert_eq!(out, [0, 52, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_get_exists_touch_delete_bytes() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d = digest("demo", 3, b"key1");
    let mut fields = key_fields("demo", &d);
    fields.push(field(2, &[3, b'k', b'e', b'y', b'1']));
    let put = msg(
        [0, 1, 0],
        0,
        u32::MAX,
        &fields,
        &[op(2, 1, "a", &1i64.to_be_bytes()), op(2, 3, "b", b"hi")],
    );
    assert_eq!(call(&mut s, 3, &put).await, reply(0, 1, 0, 0));

    // GET all bins, exactly the bytes of the protocol reference.
    let get = msg([3, 0, 0], 0, 0, &key_fields("demo", &d), &[]);
    let mut expected = reply(0, 1, 0, 2);
    expected.extend_from_slice(&op(1, 1, "a", &1i64.to_be_bytes()));
    expected.extend_from_slice(&op(1, 3, "b", b"hi"));
    assert_eq!(call(&mut s, 3, &get).await, expected);

    // Named bins; a missing bin is omitted.
    let select = msg(
        [1, 0, 0],
        0,
        0,
        &key_fields("demo", &d),
        &[op(1, 0, "b", b""), op(1, 0, "zz", b"")],
    );
    let mut expected = reply(0, 1, 0, 1);
    expected.extend_from_slice(&op(1, 3, "b", b"hi"));
    assert_eq!(call(&mut s, 3, &select).await, expected);

    // Exists / header.
    assert_eq!(
        demo_call(&mut s, [0x21, 0, 0], 0, 0, &d, &[]).await,
        reply(0, 1, 0, 0)
    );
    // Create-only on an existing record.
    assert_eq!(
        demo_call(&mut s, [0, 0x21, 0], 0, 0, &d, &[op(2, 1, "a", &[1])]).await,
        reply(5, 0, 0, 0)
    );
    // Generation mismatch.
    assert_eq!(
        demo_call(&mut s, [0, 0x05, 0], 7, 0, &d, &[op(2, 1, "a", &[1])]).await,
        reply(3, 0, 0, 0)
    );
    // Touch bumps the generation.
    assert_eq!(
        demo_call(&mut s, [0, 1, 0], 0, u32::MAX, &d, &[op(11, 0, "", b"")]).await,
        reply(0, 2, 0, 0)
    );
    // Incr on a string bin is a type error; on a missing bin creates it.
    assert_eq!(
        demo_call(
            &mut s,
            [0, 1, 0],
            0,
            0,
            &d,
            &[op(5, 1, "b", &1i64.to_be_bytes())]
        )
        .await,
        reply(12, 0, 0, 0)
    );
    // Bin name too long.
    assert_eq!(
        demo_call(
            &mut s,
            [0, 1, 0],
            0,
            0,
            &d,
            &[op(2, 1, "sixteen_chars_xx", &[1])]
        )
        .await,
        reply(21, 0, 0, 0)
    );
    // Delete, then delete again.
    assert_eq!(
        demo_call(&mut s, [0, 3, 0], 0, 0, &d, &[]).await,
        reply(0, 0, 0, 0)
    );
    assert_eq!(
        demo_call(&mut s, [0, 3, 0], 0, 0, &d, &[]).await,
        reply(2, 0, 0, 0)
    );
    assert_eq!(call(&mut s, 3, &get).await, reply(2, 0, 0, 0));
    // Unknown namespace.
    let mut nf = key_fields("demo", &d);
    nf[0] = field(0, b"nope");
    assert_eq!(
        call(&mut s, 3, &msg([3, 0, 0], 0, 0, &nf, &[])).await,
        reply(20, 0, 0, 0)
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_expire_when_the_clock_passes_their_ttl() {
    let (server, clock) = start_with_clock().await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d = digest("t", 3, b"ttl");
    let put = msg(
        [0, 1, 0],
        0,
        10,
        &key_fields("t", &d),
        &[op(2, 1, "a", &1i64.to_be_bytes())],
    );
    let out = call(&mut s, 3, &put).await;
    assert_eq!(out[5], 0);
    let exists = msg([0x21, 0, 0], 0, 0, &key_fields("t", &d), &[]);
    assert_eq!(call(&mut s, 3, &exists).await[5], 0);
    clock.advance_secs(11);
    assert_eq!(call(&mut s, 3, &exists).await[5], 2);
    // A TTL beyond ten years is refused.
    let too_long = msg(
        [0, 1, 0],
        0,
        400_000_000,
        &key_fields("t", &d),
        &[op(2, 1, "a", &[1])],
    );
    assert_eq!(call(&mut s, 3, &too_long).await[5], 4);
    server.stop().await.unwrap();
}

fn batch_field(rows: &[Vec<u8>], flags: u8) -> Vec<u8> {
    let mut v = (rows.len() as u32).to_be_bytes().to_vec();
    v.push(flags);
    for r in rows {
        v.extend_from_slice(r);
    }
    field(41, &v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_rows_in_both_formats_end_with_last() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d1 = digest("b", 3, b"one");
    let d2 = digest("b", 3, b"two");
    call(
        &mut s,
        3,
        &msg(
            [0, 1, 0],
            0,
            0,
            &key_fields("b", &d1),
            &[op(2, 1, "x", &5i64.to_be_bytes())],
        ),
    )
    .await;

    // New format: row 0 reads all bins of d1 (INFO|TTL flags), row 1 repeats it for d2.
    let mut row0 = 0u32.to_be_bytes().to_vec();
    row0.extend_from_slice(&d1);
    row0.extend_from_slice(&[0x0a, 0x03, 0, 0]);
    row0.extend_from_slice(&0u32.to_be_bytes());
    row0.extend_from_slice(&[0, 2, 0, 0]);
    row0.extend_from_slice(&field(0, b"test"));
    row0.extend_from_slice(&field(1, b"b"));
    let mut row1 = 1u32.to_be_bytes().to_vec();
    row1.extend_from_slice(&d2);
    row1.push(0x01);
    let req = msg([0x08, 0, 0], 0, 0, &[batch_field(&[row0, row1], 0x0c)], &[]);
    let out = call(&mut s, 3, &req).await;
    let mut expected = reply(0, 1, 0, 1);
    expected.extend_from_slice(&op(1, 1, "x", &5i64.to_be_bytes()));
    let mut missing = reply(2, 0, 0, 0);
    missing[14..18].copy_from_slice(&1u32.to_be_bytes());
    expected.extend_from_slice(&missing);
    let mut last = reply(0, 0, 0, 0);
    last[3] = 1;
    expected.extend_from_slice(&last);
    assert_eq!(out, expected);

    // Old format: row flags 0, only info1 and counts.
    let mut old = 7u32.to_be_bytes().to_vec();
    old.extend_from_slice(&d1);
    old.extend_from_slice(&[0x00, 0x21, 0, 1, 0, 0]);
    old.extend_from_slice(&field(0, b"test"));
    let out = call(
        &mut s,
        3,
        &msg([0x09, 0, 0], 0, 0, &[batch_field(&[old], 0)], &[]),
    )
    .await;
    let mut expected = reply(0, 1, 0, 0);
    expected[14..18].copy_from_slice(&7u32.to_be_bytes());
    expected.extend_from_slice(&last);
    assert_eq!(out, expected);

    // Batch write + delete rows (flags INFO|GEN|TTL).
    let mut w = 0u32.to_be_bytes().to_vec();
    w.extend_from_slice(&d2);
    w.extend_from_slice(&[0x0e, 0, 0x01, 0, 0, 0]);
    w.extend_from_slice(&u32::MAX.to_be_bytes());
    w.extend_from_slice(&[0, 2, 0, 1]);
    w.extend_from_slice(&field(0, b"test"));
    w.extend_from_slice(&field(1, b"b"));
    w.extend_from_slice(&op(2, 3, "s", b"v"));
    let mut del = 1u32.to_be_bytes().to_vec();
    del.extend_from_slice(&d1);
    del.extend_from_slice(&[0x0e, 0, 0x03, 0, 0, 0]);
    del.extend_from_slice(&0u32.to_be_bytes());
    del.extend_from_slice(&[0, 2, 0, 0]);
    del.extend_from_slice(&field(0, b"test"));
    del.extend_from_slice(&field(1, b"b"));
    let out = call(
        &mut s,
        3,
        &msg([0x08, 0, 0], 0, 0, &[batch_field(&[w, del], 0x0c)], &[]),
    )
    .await;
    assert_eq!(out[5], 0);
    assert_eq!(out[22 + 5], 0);
    assert_eq!(
        call(
            &mut s,
            3,
            &msg([0x21, 0, 0], 0, 0, &key_fields("b", &d1), &[])
        )
        .await[5],
        2
    );

    // Zero rows and a repeat on the first row are parameter errors, answered with LAST.
    let out = call(
        &mut s,
        3,
        &msg([0x08, 0, 0], 0, 0, &[batch_field(&[], 0)], &[]),
    )
    .await;
    assert_eq!((out[3], out[5]), (1, 4));
    let mut bad = 0u32.to_be_bytes().to_vec();
    bad.extend_from_slice(&d1);
    bad.push(0x01);
    let out = call(
        &mut s,
        3,
        &msg([0x08, 0, 0], 0, 0, &[batch_field(&[bad], 0)], &[]),
    )
    .await;
    assert_eq!((out[3], out[5]), (1, 4));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_streams_records_then_last() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    for k in [b"a", b"b", b"c"] {
        let d = digest("sc", 3, k);
        let mut f = key_fields("sc", &d);
        f.push(field(2, &[3, k[0]]));
        call(
            &mut s,
            3,
            &msg([0, 1, 0], 0, 0, &f, &[op(2, 1, "v", &1i64.to_be_bytes())]),
        )
        .await;
    }
    let pids: Vec<u8> = (0u16..4096).flat_map(|p| p.to_le_bytes()).collect();
    let scan = msg(
        [1, 0, 4],
        0,
        u32::MAX,
        &[field(0, b"test"), field(1, b"sc"), field(11, &pids)],
        &[],
    );
    s.write_all(&proto(3, &scan)).await.unwrap();
    let mut records = 0;
    loop {
        let (_, body) = read_proto(&mut s).await;
        let mut done = false;
        for m in common::messages(&body) {
            if m.last() {
                done = true;
            } else {
                assert_eq!(m.fields.len(), 4, "namespace, digest, set, key");
                records += 1;
            }
        }
        if done {
            break;
        }
    }
    assert_eq!(records, 3);
    // A secondary-index query with no index: 201.
    let q = msg(
        [1, 0, 4],
        0,
        0,
        &[
            field(0, b"test"),
            field(
                22,
                &[
                    1, 1, b'v', 1, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0,
                    0, 0, 2,
                ],
            ),
            field(11, &pids),
        ],
        &[],
    );
    let out = call(&mut s, 3, &q).await;
    assert_eq!((out[3], out[5]), (1, 201));
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn udf_and_sindex_catalogs() {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    // "function f() end" in base64.
    assert_eq!(info(&mut s, "udf-put:filename=m.lua;content=ZnVuY3Rpb24gZigpIGVuZA==;content-len=16;udf-type=LUA;").await, "udf-put:filename=m.lua;content=ZnVuY3Rpb24gZigpIGVuZA==;content-len=16;udf-type=LUA;\tok\n");
    let list = info(&mut s, "udf-list").await;
    assert!(list.starts_with("udf-list\tfilename=m.lua,hash="), "{list}");
    assert!(list.ends_with(",type=LUA;\n"));
    assert_eq!(
        info(&mut s, "udf-get:filename=m.lua;").await,
        "udf-get:filename=m.lua;\ttype=LUA;content=ZnVuY3Rpb24gZigpIGVuZA==\n"
    );
    assert_eq!(
        info(&mut s, "udf-remove:filename=m.lua;").await,
        "udf-remove:filename=m.lua;\tok\n"
    );
    assert_eq!(info(&mut s, "udf-list").await, "udf-list\t\n");

    assert_eq!(
        info(
            &mut s,
            "sindex-create:ns=test;set=s;indexname=i1;indexdata=a,NUMERIC"
        )
        .await,
        "sindex-create:ns=test;set=s;indexname=i1;indexdata=a,NUMERIC\tok\n"
    );
    // Same definition again is fine; a different one under the same name is 200.
    assert!(info(
        &mut s,
        "sindex-create:ns=test;set=s;indexname=i1;indexdata=a,NUMERIC"
    )
    .await
    .ends_with("\tok\n"));
    assert!(info(
        &mut s,
        "sindex-create:namespace=test;set=s;indexname=i1;bin=b;type=STRING"
    )
    .await
    .contains("ERROR:200:"));
    // As a real CE 8.0 server: `ok`, and nothing is created.
    assert!(info(
        &mut s,
        "sindex-create:ns=nope;indexname=x;indexdata=a,NUMERIC"
    )
    .await
    .ends_with("\tok\n"));
    assert!(info(
        &mut s,
        "sindex-create:ns=test;indexname=x;indexdata=a,FLOAT"
    )
    .await
    .contains("ERROR:4:"));
    assert_eq!(
        info(&mut s, "sindex-exists:ns=test;indexname=i1").await,
        "sindex-exists:ns=test;indexname=i1\ttrue\n"
    );
    assert!(info(&mut s, "sindex/test/i1")
        .await
        .contains("load_pct=100"));
    assert_eq!(
        info(&mut s, "sindex-list:ns=test").await,
        "sindex-list:ns=test\tns=test:indexname=i1:set=s:bin=a:type=numeric:indextype=default:context=null:exp=null:state=RW\n"
    );
    assert_eq!(
        info(&mut s, "sindex-delete:ns=test;indexname=i1").await,
        "sindex-delete:ns=test;indexname=i1\tok\n"
    );
    assert_eq!(
        info(&mut s, "sindex-stat:namespace=test;indexname=i1").await,
        "sindex-stat:namespace=test;indexname=i1\tERROR:201:no index\n"
    );
    server.stop().await.unwrap();
}

async fn info(s: &mut TcpStream, cmd: &str) -> String {
    String::from_utf8(call(s, 1, format!("{cmd}\n").as_bytes()).await).unwrap()
}

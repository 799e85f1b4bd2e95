//! Secondary indexes over the wire: an index built from existing records, kept right by writes,
//! deletes and expiry, and range queries (with BVAL in every record, resume, 201 for a missing
//! index, 4 for a malformed filter); a background ops query and its job status.

use std::time::Duration;

use aerospike_embedded_server::{Config, ServerHandle};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod common;
use common::{field, messages, op, read_proto, start, start_with_clock};

fn digest(set: &str, key: &str) -> [u8; 20] {
    common::str_digest(set, key.as_bytes())
}

fn msg(info: [u8; 3], ttl: u32, fields: &[Vec<u8>], ops: &[Vec<u8>]) -> Vec<u8> {
    common::message(info, 0, ttl, fields, ops)
}

async fn send(s: &mut TcpStream, kind: u8, body: &[u8]) {
    let mut v = ((2u64 << 56) | ((kind as u64) << 48) | body.len() as u64)
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(body);
    s.write_all(&v).await.unwrap();
}

async fn info(s: &mut TcpStream, cmd: &str) -> String {
    send(s, 1, format!("{cmd}\n").as_bytes()).await;
    let out = String::from_utf8(read_proto(s).await).unwrap();
    out.trim_end().split_once('\t').unwrap().1.to_string()
}

/// Writes bin `a` = `v` (integer) with a TTL.
/// A server holding `n` records `{prefix}{i}` with `a = i` in set `q`, and a numeric index
/// `name` on `a`; with a connection to it.
async fn indexed(prefix: &str, n: i64, name: &str) -> (ServerHandle, TcpStream) {
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    for i in 0..n {
        put(&mut s, &format!("{prefix}{i}"), i, 0).await;
    }
    let create = format!("sindex-create:ns=test;set=q;indexname={name};indexdata=a,NUMERIC");
    info(&mut s, &create).await;
    (server, s)
}

async fn put(s: &mut TcpStream, key: &str, v: i64, ttl: u32) {
    let d = digest("q", key);
    let fields = [field(0, b"test"), field(1, b"q"), field(4, &d)];
    let body = msg([0, 1, 0], ttl, &fields, &[op(2, 1, "a", &v.to_be_bytes())]);
    send(s, 3, &body).await;
    assert_eq!(read_proto(s).await[5], 0);
}

/// A record of a query stream: its fields by type and its bins.
#[derive(Debug)]
struct Rec {
    fields: Vec<(u8, Vec<u8>)>,
    bins: Vec<(String, Vec<u8>)>,
}

impl Rec {
    fn field(&self, t: u8) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|f| f.0 == t)
            .map(|f| f.1.as_slice())
    }
}

/// Reads a scan/query stream: the records and the LAST message's result code.
async fn stream(s: &mut TcpStream) -> (Vec<Rec>, u8) {
    let mut recs = Vec::new();
    loop {
        let body = read_proto(s).await;
        for m in messages(&body) {
            if m.last() {
                return (recs, m.result());
            }
            let fields = m.fields.iter().map(|f| (f[0], f[1..].to_vec())).collect();
            let bins = m.bins().into_iter().map(|(n, _, v)| (n, v)).collect();
            recs.push(Rec { fields, bins });
        }
    }
}

fn range(bin: &str, begin: i64, end: i64) -> Vec<u8> {
    let mut v = vec![1, bin.len() as u8];
    v.extend_from_slice(bin.as_bytes());
    v.push(1);
    for x in [begin, end] {
        v.extend_from_slice(&8u32.to_be_bytes());
        v.extend_from_slice(&x.to_be_bytes());
    }
    v
}

fn all_pids() -> Vec<u8> {
    (0..4096u16).flat_map(|p| p.to_le_bytes()).collect()
}

/// Runs a range query on set "q"; returns the values of bin `a` found, sorted, and the result.
async fn query(s: &mut TcpStream, bin: &str, begin: i64, end: i64) -> (Vec<i64>, u8) {
    let fields = [
        field(0, b"test"),
        field(1, b"q"),
        field(22, &range(bin, begin, end)),
        field(11, &all_pids()),
    ];
    send(s, 3, &msg([1, 0, 4], 0, &fields, &[])).await;
    let (recs, rc) = stream(s).await;
    let mut vals: Vec<i64> = recs
        .iter()
        .map(|r| {
            let bval = i64::from_le_bytes(r.field(15).unwrap().try_into().unwrap());
            let v = i64::from_be_bytes(r.bins[0].1.as_slice().try_into().unwrap());
            assert_eq!(bval, v, "BVAL is the indexed value");
            v
        })
        .collect();
    vals.sort();
    (vals, rc)
}

fn entries(stat: &str) -> u64 {
    stat.split(';')
        .find_map(|p| p.strip_prefix("entries="))
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_is_maintained_and_range_queries_use_it() {
    let (server, clock) = start_with_clock().await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    put(&mut s, "k5", 5, 0).await;
    put(&mut s, "k7", 7, 10).await;
    put(&mut s, "k100", 100, 0).await;
    assert_eq!(
        info(
            &mut s,
            "sindex-create:ns=test;set=q;indexname=qa;indexdata=a,NUMERIC"
        )
        .await,
        "ok"
    );
    assert_eq!(entries(&info(&mut s, "sindex/test/qa").await), 3);
    assert_eq!(query(&mut s, "a", 1, 10).await, (vec![5, 7], 0));

    // Update and delete.
    put(&mut s, "k5", 50, 0).await;
    assert_eq!(query(&mut s, "a", 1, 10).await, (vec![7], 0));
    assert_eq!(query(&mut s, "a", 50, 50).await, (vec![50], 0));
    let d = digest("q", "k100");
    let del = msg(
        [0, 3, 0],
        0,
        &[field(0, b"test"), field(1, b"q"), field(4, &d)],
        &[],
    );
    send(&mut s, 3, &del).await;
    assert_eq!(read_proto(&mut s).await[5], 0);
    assert_eq!(
        entries(&info(&mut s, "sindex-stat:ns=test;indexname=qa").await),
        2
    );

    // Expiry: gone from queries at once, from the index when the sweeper has run.
    clock.advance_secs(11);
    assert_eq!(query(&mut s, "a", 1, 10).await, (vec![], 0));
    let mut n = 2;
    for _ in 0..50 {
        n = entries(&info(&mut s, "sindex/test/qa").await);
        if n == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(n, 1);

    // No index on the bin: 201. A range that ends before it begins: 4.
    assert_eq!(query(&mut s, "b", 1, 10).await.1, 201);
    assert_eq!(query(&mut s, "a", 10, 1).await.1, 4);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paged_query_resumes_after_bval_and_digest() {
    let (server, mut s) = indexed("p", 20, "qp").await;
    // Page of 5, then resume each partition seen after its last (digest, bval).
    let page = |resume: &[(Vec<u8>, i64)]| {
        let mut fields = vec![
            field(0, b"test"),
            field(1, b"q"),
            field(22, &range("a", 0, 100)),
            field(13, &5u64.to_be_bytes()),
        ];
        let seen: Vec<u16> = resume
            .iter()
            .map(|(d, _)| u16::from_le_bytes([d[0], d[1]]) & 4095)
            .collect();
        let pids: Vec<u8> = (0..4096u16)
            .filter(|p| !seen.contains(p))
            .flat_map(|p| p.to_le_bytes())
            .collect();
        fields.push(field(11, &pids));
        if !resume.is_empty() {
            fields.push(field(
                12,
                &resume.iter().flat_map(|r| r.0.clone()).collect::<Vec<_>>(),
            ));
            fields.push(field(
                15,
                &resume
                    .iter()
                    .flat_map(|r| r.1.to_le_bytes())
                    .collect::<Vec<_>>(),
            ));
        }
        msg([1, 0, 4], 0, &fields, &[])
    };
    let mut got = Vec::new();
    let mut resume: Vec<(Vec<u8>, i64)> = Vec::new();
    for _ in 0..10 {
        send(&mut s, 3, &page(&resume)).await;
        let (recs, rc) = stream(&mut s).await;
        assert_eq!(rc, 0);
        for r in &recs {
            let d = r.field(4).unwrap().to_vec();
            let bval = i64::from_le_bytes(r.field(15).unwrap().try_into().unwrap());
            got.push(bval);
            resume.retain(|x| x.0[..2] != d[..2]);
            resume.push((d, bval));
        }
        if recs.len() < 5 {
            break;
        }
    }
    got.sort();
    assert_eq!(got, (0..20).collect::<Vec<_>>(), "every record once");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn background_ops_query_applies_to_matches_and_reports_done() {
    let (server, mut s) = indexed("b", 6, "qb").await;
    // Add 100 to `a` where 2 <= a <= 3, as background job 77.
    let fields = [
        field(0, b"test"),
        field(1, b"q"),
        field(7, &77u64.to_be_bytes()),
        field(22, &range("a", 2, 3)),
        field(11, &all_pids()),
    ];
    let body = msg(
        [0, 1, 0],
        0,
        &fields,
        &[op(5, 1, "a", &100i64.to_be_bytes())],
    );
    send(&mut s, 3, &body).await;
    let (recs, rc) = stream(&mut s).await;
    assert!(recs.is_empty());
    assert_eq!(rc, 0);
    let show = info(&mut s, "query-show:trid=77").await;
    assert!(show.contains(":status=done(ok):"), "{show}");
    assert!(show.contains(":recs-succeeded=2:"), "{show}");
    assert_eq!(
        query(&mut s, "a", 0, 1000).await.0,
        vec![0, 1, 4, 5, 102, 103]
    );
    // Read ops are not allowed in a background job.
    let body = msg([1, 1, 0], 0, &fields, &[op(1, 0, "a", &[])]);
    send(&mut s, 3, &body).await;
    assert_eq!(stream(&mut s).await.1, 4);
    server.stop().await.unwrap();
}

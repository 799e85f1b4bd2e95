//! Scan replies on the wire are produced as the client reads them, one partition at a time,
//! never built whole first: a client that reads one proto and stops has been sent only part of
//! a large scan, and a record written meanwhile into a partition the scan has not reached yet
//! is in the rest of the reply.

use std::time::Duration;

use aerospike_embedded_server::{Config, ServerHandle};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

mod common;
use common::{field, messages, op, proto, read_proto};

const RECORDS: u32 = 6000;
const BIN: usize = 4096;

fn digest(i: u32) -> [u8; 20] {
    let mut d = [3u8; 20];
    d[..4].copy_from_slice(&i.wrapping_mul(2_654_435_761).to_le_bytes());
    d
}

/// Records of set "s" with one 4 KiB string bin each: about 24 MiB of reply.
async fn seed(s: &mut TcpStream) {
    for i in 0..RECORDS {
        put(s, &digest(i)).await;
    }
}

async fn put(s: &mut TcpStream, d: &[u8; 20]) {
    let value = vec![b'x'; BIN];
    let fields = [field(0, b"test"), field(1, b"s"), field(4, d)];
    let body = common::message([0, 1, 0], 0, 0, &fields, &[op(2, 3, "v", &value)]);
    s.write_all(&proto(3, &body)).await.unwrap();
    assert_eq!(read_proto(s).await[5], 0);
}

/// A scan of set "s" over every partition.
fn scan() -> Vec<u8> {
    let pids: Vec<u8> = (0..4096u16).flat_map(|p| p.to_le_bytes()).collect();
    let fields = [field(0, b"test"), field(1, b"s"), field(11, &pids)];
    common::message([1, 0, 0], 0, 0, &fields, &[])
}

/// Records in a proto body, and whether it ended the stream.
fn count(body: &[u8]) -> (usize, bool) {
    let msgs = messages(body);
    match msgs.iter().position(|m| m.last()) {
        Some(n) => (n, true),
        None => (msgs.len(), false),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_sent_as_the_client_reads_it() {
    let config = Config::default();
    let faults = Arc::clone(&config.faults);
    let server: ServerHandle = common::start(config).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    seed(&mut s).await;
    let before = faults.bytes_sent();
    s.write_all(&proto(3, &scan())).await.unwrap();
    let (mut records, mut done) = count(&read_proto(&mut s).await);
    // The client stops reading: the server stops once the socket buffers are full.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = faults.bytes_sent() - before;
    let total = RECORDS as u64 * BIN as u64;
    assert!(
        sent < total / 2,
        "{sent} of about {total} bytes sent to a client that stopped reading"
    );
    // A record of the last partition, written now on another connection, is scanned later.
    let late = (RECORDS..)
        .map(digest)
        .find(|d| common::partition_of(d) == 4095)
        .unwrap();
    put(&mut TcpStream::connect(server.addr()).await.unwrap(), &late).await;
    while !done {
        let (n, last) = count(&read_proto(&mut s).await);
        records += n;
        done = last;
    }
    assert_eq!(records, RECORDS as usize + 1);
    server.stop().await.unwrap();
}

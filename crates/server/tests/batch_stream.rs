//! Batch replies on the wire: a large batch arrives as several protos while the server is
//! still answering, the byte counter counts what was written, and a connection told to close
//! mid-response cuts a batch reply partway.

use std::sync::Arc;

use aerospike_embedded_server::faults::{Fault, Faults, Target};
use aerospike_embedded_server::{Config, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::{field, messages, op, proto, read_proto};

const ROWS: u32 = 3000;

async fn start() -> (ServerHandle, Arc<Faults>) {
    let config = Config::default();
    let faults = config.faults.clone();
    (common::start(config).await, faults)
}

fn digest(i: u32) -> [u8; 20] {
    let mut d = [7u8; 20];
    d[..4].copy_from_slice(&i.wrapping_mul(2_654_435_761).to_le_bytes());
    d
}

fn msg(info: [u8; 3], fields: &[Vec<u8>], ops: &[Vec<u8>]) -> Vec<u8> {
    common::message(info, 0, 0, fields, ops)
}

/// Writes 100 records of set "s", four numeric bins each.
async fn seed(s: &mut TcpStream) {
    for i in 0..100u32 {
        let d = digest(i);
        let fields = [field(0, b"test"), field(1, b"s"), field(4, &d)];
        let ops: Vec<Vec<u8>> = ["a", "b", "c", "d"]
            .iter()
            .map(|n| op(2, 1, n, &(i as i64).to_be_bytes()))
            .collect();
        s.write_all(&proto(3, &msg([0, 1, 0], &fields, &ops)))
            .await
            .unwrap();
        assert_eq!(read_proto(s).await[5], 0);
    }
}

/// A batch reading all bins of `ROWS` rows (one full row, then REPEAT rows).
fn batch() -> Vec<u8> {
    let mut data = ROWS.to_be_bytes().to_vec();
    data.push(0x0c);
    data.extend_from_slice(&0u32.to_be_bytes());
    data.extend_from_slice(&digest(0));
    data.extend_from_slice(&[0x0a, 0x03, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0]);
    data.extend_from_slice(&field(0, b"test"));
    data.extend_from_slice(&field(1, b"s"));
    for i in 1..ROWS {
        data.extend_from_slice(&i.to_be_bytes());
        data.extend_from_slice(&digest(i % 120));
        data.push(0x01);
    }
    msg([0x09, 0, 0], &[field(41, &data)], &[])
}

/// (batch index, result) of each message in a proto body; whether it held the LAST message.
fn rows_of(body: &[u8], out: &mut Vec<(u32, u8)>) -> bool {
    for m in messages(body) {
        if m.last() {
            return true;
        }
        out.push((m.index(), m.result()));
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_batch_arrives_as_several_protos() {
    let (server, faults) = start().await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    seed(&mut s).await;
    let before = faults.bytes_sent();
    s.write_all(&proto(3, &batch())).await.unwrap();
    let mut rows = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let body = read_proto(&mut s).await;
        sizes.push(body.len() + 8);
        if rows_of(&body, &mut rows) {
            break;
        }
    }
    assert!(sizes.len() >= 4, "{sizes:?}");
    assert!(sizes.iter().all(|&n| n < 64 * 1024), "{sizes:?}");
    assert_eq!(rows.len(), ROWS as usize);
    for (i, (index, result)) in rows.iter().enumerate() {
        assert_eq!(*index, i as u32);
        assert_eq!(*result, if i % 120 < 100 { 0 } else { 2 });
    }
    // The counter has seen exactly what was written.
    assert_eq!(
        faults.bytes_sent() - before,
        sizes.iter().sum::<usize>() as u64
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_mid_response_cuts_a_batch_reply() {
    let (server, faults) = start().await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    seed(&mut s).await;
    let mut full = 0;
    s.write_all(&proto(3, &batch())).await.unwrap();
    loop {
        let body = read_proto(&mut s).await;
        full += body.len() + 8;
        if rows_of(&body, &mut Vec::new()) {
            break;
        }
    }

    faults.inject(Fault::CloseMidResponse, Target::Commands, Some(1));
    s.write_all(&proto(3, &batch())).await.unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).await.unwrap();
    assert!(
        !got.is_empty() && got.len() < full,
        "{} of {full}",
        got.len()
    );
    // A new connection is served normally.
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    s.write_all(&proto(3, &batch())).await.unwrap();
    let mut rows = Vec::new();
    while !rows_of(&read_proto(&mut s).await, &mut rows) {}
    assert_eq!(rows.len(), ROWS as usize);
    server.stop().await.unwrap();
}

//! Connection-level behaviour: compressed requests, hostile input that must close only its own
//! connection, and many connections at once.

use std::time::Duration;

use aerospike_embedded_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::{call, digest, field, key_fields, message as msg, op, proto, reply, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_requests_are_inflated() {
    use flate2::write::ZlibEncoder;
    use std::io::Write;
    let server = start(Config::default()).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let d = digest("z", 3, b"zip");
    let inner = proto(
        3,
        &msg(
            [0, 1, 0],
            0,
            0,
            &key_fields("z", &d),
            &[op(2, 3, "a", &[b'x'; 300])],
        ),
    );
    let mut enc = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&inner).unwrap();
    let mut body = (inner.len() as u64).to_be_bytes().to_vec();
    body.extend_from_slice(&enc.finish().unwrap());
    assert_eq!(call(&mut s, 4, &body).await, reply(0, 1, 0, 0));
    server.stop().await.unwrap();
}

async fn closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(
        tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_closes_only_that_connection() {
    let server = start(Config::default()).await;
    let mut good = TcpStream::connect(server.addr()).await.unwrap();
    let hostile: Vec<Vec<u8>> = vec![
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        vec![2, 9, 0, 0, 0, 0, 0, 0],
        vec![2, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        proto(4, &[0, 0, 0, 0, 0, 0, 1, 0, 1, 2, 3]),
        vec![0xff; 64],
    ];
    for bytes in hostile {
        let mut s = TcpStream::connect(server.addr()).await.unwrap();
        s.write_all(&bytes).await.unwrap();
        assert!(
            closed(&mut s).await,
            "connection should close after {bytes:?}"
        );
        assert_eq!(call(&mut good, 1, b"status\n").await, b"status\tok\n");
    }
    // Malformed AS_MSG bodies are answered with PARAMETER, and the connection stays usable.
    for body in [
        vec![22u8; 5],
        vec![
            22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0,
        ],
        msg([1, 0, 0], 0, 0, &[field(4, &[1, 2, 3])], &[]),
    ] {
        let out = call(&mut good, 3, &body).await;
        assert_eq!(out[5], 4);
    }
    // A frame cut short, then the peer goes away: nothing else is affected.
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    s.write_all(&[2, 3, 0, 0, 0, 0, 1, 0, 22, 3]).await.unwrap();
    drop(s);
    // Unknown op codes are parameter errors, not crashes.
    let d = digest("h", 3, b"k");
    let out = call(
        &mut good,
        3,
        &msg(
            [0, 1, 0],
            0,
            0,
            &key_fields("h", &d),
            &[op(99, 1, "a", &[1])],
        ),
    )
    .await;
    assert_eq!(out[5], 4);
    assert_eq!(call(&mut good, 1, b"status\n").await, b"status\tok\n");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_connections_in_parallel() {
    let server = start(Config::default()).await;
    let addr = server.addr();
    let tasks: Vec<_> = (0..64u32)
        .map(|i| {
            tokio::spawn(async move {
                let mut s = TcpStream::connect(addr).await.unwrap();
                for j in 0..50u32 {
                    let d = digest("par", 1, &((i * 1000 + j) as i64).to_be_bytes());
                    let put = msg(
                        [0, 1, 0],
                        0,
                        0,
                        &key_fields("par", &d),
                        &[op(2, 1, "v", &(j as i64).to_be_bytes())],
                    );
                    assert_eq!(call(&mut s, 3, &put).await[5], 0);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let mut s = TcpStream::connect(addr).await.unwrap();
    let out = String::from_utf8(call(&mut s, 1, b"sets/test/par\n").await).unwrap();
    assert!(out.contains("objects=3200:"), "{out}");
    server.stop().await.unwrap();
}

/// Hundreds of clients connecting at once are all queued while the server has not accepted
/// them yet: with Tokio's default backlog of 128, the kernel dropped the SYNs past it and each
/// of those connections came a second later (the SYN retransmission), past 1 s timeouts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_connections_is_queued_not_dropped() {
    let listener = aerospike_embedded_server::listen("127.0.0.1", 0)
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    // Nothing accepts: every connection waits in the listen queue.
    let started = std::time::Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..600 {
        set.spawn(TcpStream::connect(addr));
    }
    let all = async {
        let mut open = Vec::new();
        while let Some(c) = set.join_next().await {
            open.push(c.unwrap().unwrap());
        }
        open
    };
    let open = tokio::time::timeout(Duration::from_millis(900), all)
        .await
        .expect("every connection completes without a dropped SYN");
    assert_eq!(open.len(), 600);
    assert!(started.elapsed() < Duration::from_millis(900));
    drop(listener);
}

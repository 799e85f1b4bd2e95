//! TLS on the service port, over TCP: a TLS client reads and writes; mutual TLS admits a client
//! certificate from the CA; every hostile connection fails clearly within a deadline while the
//! server goes on serving a good client.

use std::net::SocketAddr;
use std::time::Duration;

use aerospike_embedded_server::{Config, Pem, ServerHandle, TlsConfig};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

mod common;
// Beside `common`, not in it: the library's unit tests load both, each once.
#[path = "common/tls.rs"]
mod certs;
use certs::{connect, connector, Ca, Issued, TLS_NAME};
use common::{call, key_fields, message, op, proto, start, str_digest};

/// How long any failure may take to show.
const LIMIT: Duration = Duration::from_secs(5);

fn pem(s: &str) -> Pem {
    Pem::Bytes(s.as_bytes().to_vec())
}

/// TLS with `server`'s certificate, client certificates verified against `ca` (required or not)
/// and a handshake deadline well inside [`LIMIT`] (yet long enough for a debug build on a
/// loaded machine).
fn tls(ca: &Ca, server: &Issued, require_client_cert: bool) -> TlsConfig {
    TlsConfig {
        ca: Some(pem(&ca.pem())),
        require_client_cert,
        name: Some(TLS_NAME.into()),
        handshake_timeout: Duration::from_secs(2),
        ..TlsConfig::new(pem(&server.cert), pem(&server.key))
    }
}

/// A server whose certificate `ca` issued, client certificates optional.
async fn start_tls_from(ca: &Ca) -> ServerHandle {
    start_tls(tls(ca, &ca.server(), false)).await
}

async fn start_tls(tls: TlsConfig) -> ServerHandle {
    start(Config {
        tls: Some(tls),
        ..Config::default()
    })
    .await
}

async fn info<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S, cmds: &str) -> String {
    let out = tokio::time::timeout(LIMIT, call(s, 1, cmds.as_bytes()));
    String::from_utf8(out.await.expect("info in time")).unwrap()
}

/// A good client is still served: a new TLS connection answers info.
async fn still_serves(addr: SocketAddr, good: &TlsConnector) {
    let mut s = tokio::time::timeout(LIMIT, connect(good, addr))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(info(&mut s, "status\n").await, "status\tok\n");
}

/// The connection ends (EOF or an error) within [`LIMIT`], without a reply.
async fn closes<S: AsyncRead + Unpin>(s: &mut S) {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(LIMIT, s.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => {}
        Ok(Ok(n)) => panic!("got {n} bytes instead of a closed connection"),
        Err(_) => panic!("the connection stayed open"),
    }
}

/// Sends an info request and expects the connection to fail: the handshake itself, the write or
/// the read (TLS 1.3 clients learn of a refused certificate only when they read).
async fn refused(connector: &TlsConnector, addr: SocketAddr) {
    let mut s = match tokio::time::timeout(LIMIT, connect(connector, addr))
        .await
        .expect("handshake in time")
    {
        Ok(s) => s,
        Err(_) => return,
    };
    if s.write_all(&proto(1, b"status\n")).await.is_err() || s.flush().await.is_err() {
        return;
    }
    closes(&mut s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_client_reads_and_writes() {
    let ca = Ca::new("test ca");
    let server = start_tls_from(&ca).await;
    let mut s = connect(&connector(&ca, None), server.addr()).await.unwrap();
    assert_eq!(
        info(&mut s, "status\nbuild\n").await,
        "status\tok\nbuild\t8.0.0.0\n"
    );
    let d = str_digest("demo", b"k1");
    let put = message(
        [0, 1, 0],
        0,
        0,
        &key_fields("demo", &d),
        &[op(2, 1, "n", &7i64.to_be_bytes())],
    );
    let reply = call(&mut s, 3, &put).await;
    assert_eq!(reply[5], 0, "put result");
    let get = message([3, 0, 0], 0, 0, &key_fields("demo", &d), &[]);
    let reply = call(&mut s, 3, &get).await;
    assert_eq!(reply[5], 0, "get result");
    assert!(reply.ends_with(&7i64.to_be_bytes()), "{reply:?}");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_admits_a_certificate_from_the_ca() {
    let ca = Ca::new("test ca");
    let server = start_tls(tls(&ca, &ca.server(), true)).await;
    let alice = connector(&ca, Some(&ca.client("alice")));
    let mut s = connect(&alice, server.addr()).await.unwrap();
    assert_eq!(info(&mut s, "status\n").await, "status\tok\n");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_node_advertises_its_tls_address_and_name() {
    let ca = Ca::new("test ca");
    let config = Config {
        tls: Some(tls(&ca, &ca.server(), false)),
        ..Config::default()
    };
    let cluster = aerospike_embedded_server::cluster::Cluster::new(&config);
    let listen = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap() };
    let a = aerospike_embedded_server::spawn_node(listen().await, &config, &cluster).unwrap();
    let b = aerospike_embedded_server::spawn_node(listen().await, &config, &cluster).unwrap();
    let mut s = connect(&connector(&ca, None), a.addr()).await.unwrap();
    let out = info(
        &mut s,
        "service-tls-std\nservice-clear-std\npeers-tls-std\npeers-clear-std\nnode\n",
    )
    .await;
    let lines: Vec<&str> = out.lines().collect();
    let (a_addr, b_addr) = (a.addr(), b.addr());
    assert_eq!(lines[0], format!("service-tls-std\t{a_addr}"));
    assert_eq!(lines[1], "service-clear-std\t");
    let peers = lines[2].strip_prefix("peers-tls-std\t").unwrap();
    let b_id = cluster
        .members()
        .into_iter()
        .find(|m| m.addr == b_addr)
        .unwrap()
        .id;
    assert!(
        peers.ends_with(&format!(
            ",{},[[{b_id},{TLS_NAME},[{b_addr}]]]",
            a_addr.port()
        )),
        "{peers}"
    );
    assert!(
        lines[3].ends_with(",[]"),
        "no plaintext peers: {}",
        lines[3]
    );
    a.stop().await.unwrap();
    b.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_client_on_the_tls_port_is_closed() {
    let ca = Ca::new("test ca");
    let server = start_tls_from(&ca).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    s.write_all(&proto(1, b"status\n")).await.unwrap();
    // At most a TLS alert record (content type 21), never a reply, then the end.
    let mut got = Vec::new();
    let read = tokio::time::timeout(LIMIT, s.read_to_end(&mut got)).await;
    assert!(read.is_ok(), "the connection stayed open");
    assert!(got.is_empty() || got[0] == 21, "{got:?}");
    still_serves(server.addr(), &connector(&ca, None)).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_client_on_a_plain_port_fails() {
    let ca = Ca::new("test ca");
    let server = start(Config::default()).await;
    let tls_client = connector(&ca, None);
    let outcome = tokio::time::timeout(LIMIT, connect(&tls_client, server.addr())).await;
    assert!(matches!(outcome, Ok(Err(_))), "the handshake fails in time");
    let mut plain = TcpStream::connect(server.addr()).await.unwrap();
    assert_eq!(info(&mut plain, "status\n").await, "status\tok\n");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_from_another_ca_is_refused() {
    let (ca, other) = (Ca::new("test ca"), Ca::new("other ca"));
    let server = start_tls_from(&ca).await;
    let wrong = connector(&other, None);
    let outcome = tokio::time::timeout(LIMIT, connect(&wrong, server.addr())).await;
    assert!(
        matches!(outcome, Ok(Err(_))),
        "the client refuses the server"
    );
    still_serves(server.addr(), &connector(&ca, None)).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_server_certificate_is_refused() {
    let ca = Ca::new("test ca");
    let server = start_tls(tls(&ca, &ca.expired_server(), false)).await;
    let outcome = tokio::time::timeout(LIMIT, connect(&connector(&ca, None), server.addr())).await;
    assert!(
        matches!(outcome, Ok(Err(_))),
        "the client refuses the server"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_refuses_bad_client_certificates() {
    let (ca, other) = (Ca::new("test ca"), Ca::new("other ca"));
    let server = start_tls(tls(&ca, &ca.server(), true)).await;
    let addr = server.addr();
    // From another CA, expired, none at all.
    refused(&connector(&ca, Some(&other.client("mallory"))), addr).await;
    refused(&connector(&ca, Some(&ca.expired_client("old"))), addr).await;
    refused(&connector(&ca, None), addr).await;
    still_serves(addr, &connector(&ca, Some(&ca.client("alice")))).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_client_certificates_are_still_verified() {
    let (ca, other) = (Ca::new("test ca"), Ca::new("other ca"));
    let server = start_tls_from(&ca).await;
    refused(
        &connector(&ca, Some(&other.client("mallory"))),
        server.addr(),
    )
    .await;
    still_serves(server.addr(), &connector(&ca, Some(&ca.client("alice")))).await;
    still_serves(server.addr(), &connector(&ca, None)).await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_handshakes_is_dropped_and_stalls_no_one() {
    let ca = Ca::new("test ca");
    let server = start_tls_from(&ca).await;
    let mut silent = TcpStream::connect(server.addr()).await.unwrap();
    // Served while the silent one waits for its deadline.
    still_serves(server.addr(), &connector(&ca, None)).await;
    closes(&mut silent).await;
    server.stop().await.unwrap();
}

#[tokio::test]
async fn a_configuration_that_cannot_work_is_refused_at_start() {
    let ca = Ca::new("test ca");
    let listener = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap() };
    let (server, client) = (ca.server(), ca.client("alice"));
    let bad = [
        // A key that is not the certificate's.
        TlsConfig::new(pem(&server.cert), pem(&client.key)),
        TlsConfig::new(pem("not pem"), pem(&server.key)),
        TlsConfig {
            require_client_cert: true,
            ..TlsConfig::new(pem(&server.cert), pem(&server.key))
        },
        TlsConfig::new(Pem::File("/nonexistent/cert.pem".into()), pem(&server.key)),
    ];
    for tls in bad {
        let config = Config {
            tls: Some(tls.clone()),
            ..Config::default()
        };
        let started = aerospike_embedded_server::spawn(listener().await, config);
        assert!(started.is_err(), "{tls:?}");
    }
}

/// The binary with `args`, its stdout piped; killed when dropped.
fn binary(args: &[&str]) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_aerospike-embedded-server"));
    cmd.args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    cmd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_mutual_tls_from_pem_files() {
    use tokio::io::AsyncBufReadExt;
    let ca = Ca::new("test ca");
    let dir = std::env::temp_dir().join(format!("aerospike-embedded-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let server = ca.server();
    let file = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let (cert, key, ca_file) = (
        file("cert.pem", &server.cert),
        file("key.pem", &server.key),
        file("ca.pem", &ca.pem()),
    );
    let args = [
        "--port",
        "0",
        "--tls-cert",
        &cert,
        "--tls-key",
        &key,
        "--tls-ca",
        &ca_file,
        "--tls-name",
        TLS_NAME,
        "--tls-require-client-cert",
    ];
    let mut child = binary(&args).spawn().unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(LIMIT, lines.next_line())
        .await
        .unwrap();
    let line = line.unwrap().expect("a listening line");
    let addr: SocketAddr = line.strip_prefix("listening on ").unwrap().parse().unwrap();
    let mut s = connect(&connector(&ca, Some(&ca.client("alice"))), addr)
        .await
        .unwrap();
    assert_eq!(
        info(&mut s, "service-tls-std\n").await,
        format!("service-tls-std\t{addr}\n")
    );
    refused(&connector(&ca, None), addr).await;
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_binary_refuses_incomplete_tls_flags() {
    for args in [
        &["--tls-cert", "c.pem"][..],
        &[
            "--tls-cert",
            "c.pem",
            "--tls-key",
            "k.pem",
            "--tls-require-client-cert",
        ],
        &[
            "--tls-cert",
            "/nonexistent/c.pem",
            "--tls-key",
            "/nonexistent/k.pem",
        ],
    ] {
        let out = binary(args).output().await.unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "never listening: {args:?}");
        assert!(!out.stderr.is_empty(), "says why: {args:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clear_port_beside_the_tls_one_serves_plain_clients_and_is_named_by_service_clear() {
    let ca = Ca::new("test ca");
    let server = start_tls(TlsConfig {
        clear_port: Some(0),
        ..tls(&ca, &ca.server(), false)
    })
    .await;
    let clear = server.clear_addr().expect("a clear port");
    assert_ne!(clear, server.addr());
    let mut tls = connect(&connector(&ca, None), server.addr()).await.unwrap();
    assert_eq!(
        info(&mut tls, "service-tls-std\nservice-clear-std\n").await,
        format!(
            "service-tls-std\t{}\nservice-clear-std\t{clear}\n",
            server.addr()
        )
    );
    let mut plain = TcpStream::connect(clear).await.unwrap();
    assert_eq!(info(&mut plain, "status\n").await, "status\tok\n");
    // The TLS port still speaks only TLS: at most a TLS alert record (type 21), then the end.
    let mut plain_on_tls = TcpStream::connect(server.addr()).await.unwrap();
    plain_on_tls
        .write_all(&proto(1, b"status\n"))
        .await
        .unwrap();
    let mut got = Vec::new();
    let read = tokio::time::timeout(LIMIT, plain_on_tls.read_to_end(&mut got)).await;
    assert!(read.is_ok() && (got.is_empty() || got[0] == 21), "{got:?}");
    server.stop().await.unwrap();
}

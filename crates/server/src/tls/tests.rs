//! The handshake as each connection runs it, over TCP: the verified client certificate's common
//! name is what the connection learns.

use tokio::net::TcpListener;

#[path = "../../tests/common/tls.rs"]
#[allow(dead_code)]
mod certs;
use certs::{connect, connector, Ca, TLS_NAME};

use super::{acceptor, Pem, TlsConfig};

async fn client_name(ca: &Ca, client: Option<&str>) -> Option<String> {
    let server = ca.server();
    let cfg = TlsConfig {
        ca: Some(Pem::Bytes(ca.pem().into_bytes())),
        name: Some(TLS_NAME.into()),
        ..TlsConfig::new(
            Pem::Bytes(server.cert.into_bytes()),
            Pem::Bytes(server.key.into_bytes()),
        )
    };
    let acceptor = acceptor(&cfg).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let issued = client.map(|cn| ca.client(cn));
    let connector = connector(ca, issued.as_ref());
    let client = tokio::spawn(async move { connect(&connector, addr).await.unwrap() });
    let (sock, _) = listener.accept().await.unwrap();
    let (_stream, name) = acceptor.handshake(sock).await.unwrap();
    drop(client.await.unwrap());
    name
}

#[tokio::test]
async fn the_verified_client_certificate_names_the_peer() {
    let ca = Ca::new("test ca");
    assert_eq!(
        client_name(&ca, Some("alice")).await.as_deref(),
        Some("alice")
    );
    // Optional client certificates: a client without one has no name.
    assert_eq!(client_name(&ca, None).await, None);
}

//! The official Rust client (the `aerospike` crate, as the addon uses it) against a cluster of
//! embedded nodes serving mutual TLS: seeded with one node, it finds the others through
//! `peers-tls-std` and sends every key to its owner over TLS.

use aerospike::{as_bin, as_key, Bins, Client, ClientPolicy, Host, ReadPolicy, TlsPolicy};
use aerospike::{Value, WritePolicy};
use aerospike_embedded_server::cluster::Cluster;
use aerospike_embedded_server::{spawn_node, Config, Pem, TlsConfig};

#[path = "common/tls.rs"]
#[allow(dead_code)]
mod certs;
use certs::{client_config, Ca, TLS_NAME};

fn pem(s: &str) -> Pem {
    Pem::Bytes(s.as_bytes().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_client_finds_and_uses_every_tls_node() {
    let ca = Ca::new("test ca");
    let server = ca.server();
    let config = Config {
        tls: Some(TlsConfig {
            ca: Some(pem(&ca.pem())),
            require_client_cert: true,
            name: Some(TLS_NAME.into()),
            ..TlsConfig::new(pem(&server.cert), pem(&server.key))
        }),
        ..Config::default()
    };
    let cluster = Cluster::new(&config);
    let mut nodes = Vec::new();
    for _ in 0..3 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        nodes.push(spawn_node(listener, &config, &cluster).unwrap());
    }

    let mut policy = ClientPolicy::default();
    let tls = client_config(&ca, Some(&ca.client("alice")));
    policy.tls_policy = Some(TlsPolicy::new(tls));
    let seed = vec![Host::new_tls("127.0.0.1", TLS_NAME, nodes[0].addr().port())];
    let client = Client::new(&policy, &seed).await.unwrap();
    // The tend loop learns the peers after the seed: wait for all three (bounded).
    for _ in 0..100 {
        if client.nodes().len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(client.nodes().len(), 3, "every node found over TLS");

    let write = WritePolicy::default();
    for i in 0..60i64 {
        let key = as_key!("test", "tls", i);
        client.put(&write, &key, &[as_bin!("n", i)]).await.unwrap();
    }
    for i in 0..60i64 {
        let key = as_key!("test", "tls", i);
        let record = client.get(&ReadPolicy::default(), &key, Bins::All).await;
        assert_eq!(record.unwrap().bins.get("n"), Some(&Value::Int(i)));
    }
    assert_eq!(cluster.misrouted(), 0, "every key sent to its owner");
    client.close().await.unwrap();
    for node in nodes {
        node.stop().await.unwrap();
    }
}

//! Several nodes on loopback ports as one cluster: peers, partition ownership split among the
//! live nodes, generation bumps on membership changes, shared data, misrouted commands counted.

use aerospike_embedded_server::cluster::Cluster;
use aerospike_embedded_server::{spawn_node, Config, ServerHandle};
use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn node(config: &Config, cluster: &std::sync::Arc<Cluster>) -> ServerHandle {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    spawn_node(l, config, cluster).unwrap()
}

async fn info(addr: std::net::SocketAddr, cmd: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let body = format!("{cmd}\n");
    let header = (2u64 << 56) | (1u64 << 48) | body.len() as u64;
    s.write_all(&header.to_be_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    let mut h = [0u8; 8];
    s.read_exact(&mut h).await.unwrap();
    let len = (u64::from_be_bytes(h) & 0xFFFF_FFFF_FFFF) as usize;
    let mut out = vec![0u8; len];
    s.read_exact(&mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    text.trim_end()
        .split_once('\t')
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

fn owned(bitmap_b64: &str) -> Vec<usize> {
    let bits = base64::engine::general_purpose::STANDARD
        .decode(bitmap_b64)
        .unwrap();
    (0..4096)
        .filter(|p| bits[p / 8] & (0x80 >> (p % 8)) != 0)
        .collect()
}

/// Every partition of `test` is owned by exactly one of the nodes at `addrs`.
async fn assert_owned_once(addrs: &[std::net::SocketAddr]) {
    let mut all = vec![0u8; 4096];
    for addr in addrs {
        let replicas = info(*addr, "replicas-master").await;
        let test = replicas
            .split(';')
            .find(|x| x.starts_with("test:"))
            .unwrap();
        for p in owned(&test[5..]) {
            all[p] += 1;
        }
    }
    assert!(all.iter().all(|&n| n == 1));
}

#[tokio::test]
async fn nodes_split_partitions_list_peers_and_rebalance_when_one_stops() {
    let config = Config::default();
    let cluster = Cluster::new(&config);
    let a = node(&config, &cluster).await;
    let b = node(&config, &cluster).await;
    let c = node(&config, &cluster).await;
    let addrs = [a.addr(), b.addr(), c.addr()];

    // Every partition is owned by exactly one node.
    assert_owned_once(&addrs).await;

    // Peers: the two other nodes, with their ports.
    let peers = info(addrs[0], "peers-clear-std").await;
    for other in &addrs[1..] {
        assert!(peers.contains(&other.to_string()), "{peers}");
    }
    assert!(!peers.contains(&addrs[0].to_string()));
    let gen3: u64 = info(addrs[0], "partition-generation")
        .await
        .parse()
        .unwrap();

    // One node stops: the survivors own everything and the generation moved.
    c.stop().await.unwrap();
    let gen2: u64 = info(addrs[0], "partition-generation")
        .await
        .parse()
        .unwrap();
    assert!(gen2 > gen3);
    assert_owned_once(&addrs[..2]).await;
    assert!(!info(addrs[0], "peers-clear-std")
        .await
        .contains(&addrs[2].to_string()));
    assert_eq!(cluster.members().len(), 2);
    a.stop().await.unwrap();
    b.stop().await.unwrap();
}

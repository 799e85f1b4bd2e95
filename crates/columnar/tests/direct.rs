//! The direct columnar path against the embedded server over TCP: it must give exactly what the
//! client crate's batch plus `fill` gives, on one node and on a cluster (rows routed to their
//! masters), and fail cleanly when the server goes away.

use aerospike::{
    BatchOperation, BatchPolicy, BatchReadPolicy, Bin, Bins, Client, ClientPolicy, Key, ReadPolicy,
    Value, WritePolicy,
};
use aerospike_cdt::wire::msg::{op_head, INFO2_WRITE};
use aerospike_cdt::wire::{op, particle};
use aerospike_columnar::direct::{DirectReader, WriteCall};
use aerospike_columnar::write_wire::WriteAttrs;
use aerospike_columnar::{fill, ColumnData, ColumnType, Columns};
use aerospike_embedded_server::cluster::Cluster;
use aerospike_embedded_server::{spawn, spawn_node, Config, ServerHandle};
use tokio::net::TcpListener;

fn spec() -> Vec<(String, ColumnType)> {
    vec![
        ("f".into(), ColumnType::F64),
        ("i".into(), ColumnType::I64),
        ("s".into(), ColumnType::I32),
        ("b".into(), ColumnType::Bool),
    ]
}

/// Records 0..n with varied bins: some missing, some of the wrong type.
async fn seed(client: &Client, n: i64) {
    let wp = WritePolicy::default();
    for i in 0..n {
        let mut bins = vec![
            Bin::new("f", Value::from(i as f64 / 4.0)),
            Bin::new("i", Value::from(i * 1_000_000_007)),
        ];
        match i % 4 {
            0 => bins.push(Bin::new("s", Value::from(i as i32 - 50))),
            1 => bins.push(Bin::new("s", Value::from("text"))),
            2 => bins.push(Bin::new("b", Value::Bool(i % 3 == 0))),
            _ => bins.push(Bin::new("s", Value::from(i64::MAX))),
        }
        client.put(&wp, &key(i), &bins).await.unwrap();
    }
}

fn key(i: i64) -> Key {
    Key::new("test", "cols", Value::from(i)).unwrap()
}

/// Existing, missing and repeated keys.
fn keys(n: i64) -> Vec<Key> {
    let mut ks: Vec<Key> = (0..n + 20).map(key).collect();
    ks.push(key(3));
    ks.push(key(3));
    ks
}

async fn via_crate(client: &Client, keys: &[Key]) -> Columns {
    let bins = Bins::Some(spec().into_iter().map(|(b, _)| b).collect());
    let mut rows: Vec<BatchOperation> = keys
        .iter()
        .map(|k| BatchOperation::read(&BatchReadPolicy::default(), k.clone(), bins.clone()))
        .collect();
    client
        .batch(&BatchPolicy::default(), &mut rows)
        .await
        .unwrap();
    fill(&spec(), &rows)
}

/// Columns compared with NaN equal to NaN.
fn same(a: &Columns, b: &Columns) {
    assert_eq!(
        (&a.status, &a.generation, &a.ttl),
        (&b.status, &b.generation, &b.ttl)
    );
    for (x, y) in a.columns.iter().zip(&b.columns) {
        assert_eq!(
            (&x.bin, &x.valid, x.mismatched),
            (&y.bin, &y.valid, y.mismatched),
            "column {}",
            x.bin
        );
        match (&x.data, &y.data) {
            (ColumnData::F64(p), ColumnData::F64(q)) => {
                assert_eq!(
                    p.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    q.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                )
            }
            (p, q) => assert_eq!(p, q),
        }
    }
}

async fn connect(addr: std::net::SocketAddr) -> Client {
    Client::new(&ClientPolicy::default(), &addr.to_string())
        .await
        .unwrap()
}

/// An embedded server on a free loopback port.
async fn start(config: Config) -> ServerHandle {
    spawn(TcpListener::bind("127.0.0.1:0").await.unwrap(), config).unwrap()
}

/// A client of a seeded server, and a reader whose pool holds a connection to it (one direct
/// read done), with the keys it read.
async fn warmed(server: &ServerHandle) -> (Client, DirectReader, Vec<Key>) {
    let client = connect(server.addr()).await;
    seed(&client, 10).await;
    let reader = DirectReader::default();
    let ks = keys(10);
    reader
        .read(&client, &BatchPolicy::default(), &spec(), &ks)
        .await
        .unwrap()
        .expect("direct path applies");
    (client, reader, ks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_node_matches_the_crate_path() {
    let server = start(Config::default()).await;
    let client = connect(server.addr()).await;
    seed(&client, 200).await;
    let ks = keys(200);
    let reader = DirectReader::default();
    for _ in 0..3 {
        let direct = reader
            .read(&client, &BatchPolicy::default(), &spec(), &ks)
            .await
            .unwrap()
            .expect("direct path applies");
        same(&direct, &via_crate(&client, &ks).await);
        assert_eq!(direct.status.iter().filter(|s| **s == 0).count(), 202);
        assert_eq!(direct.status[205], 2);
    }
    // A namespace the cluster does not have is left to the crate (which reports it as for any
    // other command).
    let bad = [Key::new("nope", "cols", Value::from(1)).unwrap()];
    assert!(reader
        .read(&client, &BatchPolicy::default(), &spec(), &bad)
        .await
        .unwrap()
        .is_none());
    client.close().await.unwrap();
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_routes_rows_to_their_masters() {
    let config = Config::default();
    let cluster = Cluster::new(&config);
    let mut nodes: Vec<ServerHandle> = Vec::new();
    for _ in 0..3 {
        nodes.push(
            spawn_node(
                TcpListener::bind("127.0.0.1:0").await.unwrap(),
                &config,
                &cluster,
            )
            .unwrap(),
        );
    }
    let client = connect(nodes[0].addr()).await;
    for _ in 0..100 {
        if client.nodes().len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(client.nodes().len(), 3);
    seed(&client, 300).await;
    let before = cluster.misrouted();
    let ks = keys(300);
    let reader = DirectReader::default();
    let direct = reader
        .read(&client, &BatchPolicy::default(), &spec(), &ks)
        .await
        .unwrap()
        .expect("direct path applies");
    assert_eq!(cluster.misrouted(), before, "every row went to its master");
    same(&direct, &via_crate(&client, &ks).await);
    // Columnar writes are routed the same way: bin `w` of row i is i (rows 320 and 321 are
    // key 3 again, and are left out).
    let rows: Vec<u32> = (0..320).collect();
    let call = WriteCall {
        policy: &BatchPolicy::default(),
        attrs: WriteAttrs {
            info2: INFO2_WRITE,
            ..Default::default()
        },
        keys: &ks,
        rows: &rows,
        ops: |i: u32, buf: &mut Vec<u8>| {
            buf.extend_from_slice(&op_head(op::WRITE, particle::INTEGER, 1, 8));
            buf.push(b'w');
            buf.extend_from_slice(&(i as i64).to_be_bytes());
            1
        },
    };
    let codes = reader.write(&client, call).await.unwrap();
    assert_eq!(
        codes.map(|c| c[..].to_vec()),
        Some([vec![0; 320], vec![-1; 2]].concat())
    );
    assert_eq!(
        cluster.misrouted(),
        before,
        "every write went to its master"
    );
    assert_eq!(reader.writes_served(), 1);
    for (i, k) in ks[..320].iter().enumerate() {
        let r = client.get(&ReadPolicy::default(), k, ["w"]).await.unwrap();
        assert_eq!(r.bins.get("w"), Some(&Value::Int(i as i64)));
    }
    client.close().await.unwrap();
    for n in nodes {
        n.stop().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vanished_server_is_left_to_the_crate() {
    let server = start(Config::default()).await;
    let (client, reader, ks) = warmed(&server).await;
    server.stop().await.unwrap();
    let mut policy = BatchPolicy::default();
    policy.base_policy.total_timeout = 2000;
    // Unreachable (or already dropped by the crate): the path declines, leaving the read and
    // its error to the crate's batch.
    let r = reader.read(&client, &policy, &spec(), &ks).await;
    assert!(matches!(r, Ok(None)), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_connection_the_server_dropped_is_replaced_for_free() {
    let config = Config::default();
    let faults = config.faults.clone();
    let server = start(config).await;
    let (client, reader, ks) = warmed(&server).await;
    // Stopping the listener drops every open connection, the pooled one included.
    faults.set_listening(false);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    faults.set_listening(true);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let mut policy = BatchPolicy::default();
    policy.base_policy.max_retries = 0;
    let before = faults.commands();
    let cols = reader
        .read(&client, &policy, &spec(), &ks)
        .await
        .unwrap()
        .expect("direct path applies");
    assert_eq!(cols.status.iter().filter(|s| **s == 0).count(), 12);
    assert_eq!(
        faults.commands() - before,
        1,
        "the dead connection never reached the server"
    );
    client.close().await.unwrap();
    server.stop().await.unwrap();
}

//! The wire ceiling against an embedded three-node cluster: it finds every node from one seed,
//! each pre-encoded request goes to its partition's master (none is misrouted), and the replies
//! it counts are successes (a single-record result 0; a stream ending in LAST with result 0 and
//! the expected number of rows).

use std::time::Duration;

use aerospike_bench_ceiling::wire::cluster::Cluster;
use aerospike_bench_ceiling::wire::drive::{run, Plan, ReplyShape};
use aerospike_bench_ceiling::wire::requests::build;
use aerospike_bench_ceiling::workload::Workload;
use aerospike_embedded_server::{cluster, spawn_node, Config, ServerHandle};

/// Replays the first `keys` ops of `name` for a short window; returns (ops, errors).
fn replay(cluster: &Cluster, name: &str, keys: usize, shape: ReplyShape, rows: u64) -> (u64, u64) {
    let workload = Workload::parse(name).unwrap();
    let mut ops = build(&workload, cluster);
    ops.truncate(keys);
    let plan = Plan {
        nodes: cluster.nodes.clone(),
        ops,
        inflight: workload.inflight,
        shape,
        rows,
        warmup: 4,
        duration: Duration::from_millis(150),
        threads: 2,
    };
    let (_, counts) = run(plan).unwrap();
    (counts.ops, counts.errors)
}

#[test]
fn replays_route_to_the_masters_and_succeed() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let config = Config::default();
    let members = cluster::Cluster::new(&config);
    let nodes: Vec<ServerHandle> = rt.block_on(async {
        let mut nodes = Vec::new();
        for _ in 0..3 {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            nodes.push(spawn_node(l, &config, &members).unwrap());
        }
        while members.members().len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        nodes
    });
    let seed = nodes[0].addr().to_string();
    let found = Cluster::discover(&[seed], "test").unwrap();
    assert_eq!(found.nodes.len(), 3);

    // Puts create the first 50 single-record keys; gets and operates then find them.
    let (ops, errors) = replay(&found, "put-4", 50, ReplyShape::Single, 1);
    assert!(ops > 50 && errors == 0, "put: {ops} ops, {errors} errors");
    let (ops, errors) = replay(&found, "get-4", 50, ReplyShape::Single, 1);
    assert!(ops > 0 && errors == 0, "get: {ops} ops, {errors} errors");
    let (ops, errors) = replay(&found, "operate-16", 50, ReplyShape::Single, 1);
    assert!(
        ops > 0 && errors == 0,
        "operate: {ops} ops, {errors} errors"
    );
    // The batch keys and the scan set were never written: every node's stream ends in LAST/0
    // with no rows found.
    let (ops, errors) = replay(&found, "batch-objects", 1, ReplyShape::Stream, 0);
    assert!(ops > 0 && errors == 0, "batch: {ops} ops, {errors} errors");
    let (ops, errors) = replay(&found, "scan-10k", 1, ReplyShape::Scan, 0);
    assert!(ops > 0 && errors == 0, "scan: {ops} ops, {errors} errors");
    assert_eq!(members.misrouted(), 0);

    rt.block_on(async {
        for n in nodes {
            n.stop().await.unwrap();
        }
    });
    assert!(members.members().is_empty());
}

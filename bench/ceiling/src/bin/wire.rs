//! The wire ceiling: replays one benchmark workload as pre-encoded requests over raw sockets and
//! prints one JSON line in the shape of `bench/worker.mjs` (client `wire`):
//!
//! `aerospike-bench-wire <workload> <host:port>[,<host:port>…] <duration-ms>`
//!
//! Any node of a cluster is enough as a seed; the others are found through its peer list.

use std::time::Duration;

use aerospike_bench_ceiling::wire::cluster::Cluster;
use aerospike_bench_ceiling::wire::drive::{run, Plan, ReplyShape, WARMUP_OPS};
use aerospike_bench_ceiling::wire::requests::build;
use aerospike_bench_ceiling::workload::{Kind, Workload};

fn fail(msg: String) -> ! {
    eprintln!("aerospike-bench-wire: {msg}");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        fail("usage: aerospike-bench-wire <workload> <host:port>[,…] <duration-ms>".into());
    }
    let workload =
        Workload::parse(&args[1]).unwrap_or_else(|| fail(format!("unknown workload {}", args[1])));
    let seeds: Vec<String> = args[2].split(',').map(str::to_string).collect();
    let duration = Duration::from_millis(args[3].parse().unwrap_or(2000));
    let cluster = Cluster::discover(&seeds, workload.namespace)
        .unwrap_or_else(|e| fail(format!("discovery: {e}")));
    let shape = match workload.kind {
        Kind::Batch | Kind::BatchWrite => ReplyShape::Stream,
        Kind::Scan => ReplyShape::Scan,
        _ => ReplyShape::Single,
    };
    let plan = Plan {
        ops: build(&workload, &cluster),
        nodes: cluster.nodes,
        inflight: workload.inflight,
        shape,
        rows: workload.records_per_op,
        warmup: workload.warmup_ops.min(WARMUP_OPS),
        duration,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let (window, mut counts) = run(plan).unwrap_or_else(|e| fail(format!("run: {e}")));
    counts.records_per_op = workload.records_per_op;
    window.finish("wire", &workload.name, counts);
}

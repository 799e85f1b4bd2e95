//! Runs one benchmark workload through the `aerospike` crate with no JavaScript in the way and
//! prints one JSON line in the same shape as `bench/worker.mjs` (client `rust-crate`):
//!
//! `aerospike-bench-ceiling <workload> <host:port> <duration-ms>`
//!
//! Workload names and data layout match `bench/workloads.mjs` (see the library's `workload`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aerospike::{
    operations, BatchOperation, BatchPolicy, BatchReadPolicy, BatchWritePolicy, Bin, Bins, Client,
    ClientPolicy, Key, ReadPolicy, Value, WritePolicy,
};
use aerospike_bench_ceiling::report::{Counts, Window};
use aerospike_bench_ceiling::workload::{
    bin_values, key_name, Kind, Workload, BATCH_KEYS, NS, SET, SINGLE_KEYS, WRITE_ROWS,
};

fn key(prefix: &str, i: usize) -> Key {
    Key::new(NS, SET, Value::from(key_name(prefix, i))).expect("string keys are valid")
}

fn bins_for(i: usize) -> Vec<Bin> {
    let (a, b, c, d) = bin_values(i);
    vec![
        Bin::new("a", Value::from(a)),
        Bin::new("b", Value::from(b)),
        Bin::new("c", Value::from(c)),
        Bin::new("d", Value::from(d)),
    ]
}

/// Row `i` of the columnar write: the four bins and `label`.
fn write_row(i: usize) -> Vec<Bin> {
    let mut bins = bins_for(i);
    bins.push(Bin::new("label", Value::from(format!("row {i}"))));
    bins
}

struct Shared {
    client: Client,
    keys: Vec<Key>,
    kind: Kind,
    /// The namespace and set a scan reads and the records it must stream.
    scan: (&'static str, &'static str, u64),
    index_range: Option<(&'static str, i64, i64)>,
    ops: AtomicU64,
    errors: AtomicU64,
}

async fn one_op(s: &Shared, i: usize) -> bool {
    let rp = ReadPolicy::default();
    let wp = WritePolicy::default();
    let k = &s.keys[i % s.keys.len()];
    match s.kind {
        Kind::Get => s.client.get(&rp, k, Bins::All).await.is_ok(),
        Kind::Put => s.client.put(&wp, k, &bins_for(i)).await.is_ok(),
        Kind::Operate => {
            let inc = Bin::new("c", Value::from(1));
            let ops = [operations::add(&inc), operations::get_bin("a")];
            s.client.operate(&wp, k, &ops).await.is_ok()
        }
        Kind::Scan => {
            let mut stmt = aerospike::Statement::new(s.scan.0, s.scan.1, Bins::All);
            if let Some((bin, begin, end)) = s.index_range {
                stmt.set_filter(aerospike::query::Filter::range(bin, begin, end));
            }
            let qp = aerospike::QueryPolicy::default();
            match s
                .client
                .query(&qp, aerospike::PartitionFilter::all(), stmt)
                .await
            {
                Ok(rs) => {
                    let mut stream = rs.into_stream();
                    let mut n = 0u64;
                    while let Some(r) = futures::StreamExt::next(&mut stream).await {
                        if r.is_err() {
                            return false;
                        }
                        n += 1;
                    }
                    n == s.scan.2
                }
                Err(_) => false,
            }
        }
        Kind::BatchWrite => {
            let bwp = BatchWritePolicy::default();
            let bins: Vec<Vec<Bin>> = (0..s.keys.len()).map(write_row).collect();
            let mut rows: Vec<BatchOperation> = s
                .keys
                .iter()
                .zip(&bins)
                .map(|(k, b)| {
                    BatchOperation::write(
                        &bwp,
                        k.clone(),
                        b.iter().map(operations::put).collect::<Vec<_>>(),
                    )
                })
                .collect();
            s.client
                .batch(&BatchPolicy::default(), &mut rows)
                .await
                .is_ok()
        }
        Kind::Batch => {
            let brp = BatchReadPolicy::default();
            let mut rows: Vec<BatchOperation> = s
                .keys
                .iter()
                .map(|k| BatchOperation::read(&brp, k.clone(), Bins::All))
                .collect();
            s.client
                .batch(&BatchPolicy::default(), &mut rows)
                .await
                .is_ok()
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: aerospike-bench-ceiling <workload> <host:port> <duration-ms>");
        std::process::exit(2);
    }
    let Some(workload) = Workload::parse(&args[1]) else {
        eprintln!("unknown workload {}", args[1]);
        std::process::exit(2);
    };
    let hosts = args[2].clone();
    let duration = Duration::from_millis(args[3].parse().unwrap_or(2000));
    let inflight = workload.inflight;
    let keys: Vec<Key> = match workload.kind {
        Kind::Batch => (0..BATCH_KEYS)
            .map(|i| key(workload.key_prefix, i))
            .collect(),
        Kind::BatchWrite => (0..WRITE_ROWS).map(|i| key("w", i)).collect(),
        Kind::Scan => vec![key("s", 0)],
        _ => (0..SINGLE_KEYS).map(|i| key("s", i)).collect(),
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let policy = ClientPolicy {
            max_conns_per_node: 512,
            ..Default::default()
        };
        let client = Client::new(&policy, &hosts).await.expect("connect");
        let shared = Arc::new(Shared {
            client,
            keys,
            kind: workload.kind,
            scan: (workload.namespace, workload.set, workload.records_per_op),
            index_range: workload.index_range,
            ops: AtomicU64::new(0),
            errors: AtomicU64::new(0),
        });
        for i in 0..workload.warmup_ops {
            one_op(&shared, i).await;
        }
        let counter = Arc::new(AtomicU64::new(0));
        let window = Window::start();
        let deadline = Instant::now() + duration;
        let mut tasks = Vec::new();
        for _ in 0..inflight {
            let s = shared.clone();
            let counter = counter.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::with_capacity(1 << 16);
                while Instant::now() < deadline {
                    let i = counter.fetch_add(1, Ordering::Relaxed) as usize;
                    let t = Instant::now();
                    if one_op(&s, i).await {
                        s.ops.fetch_add(1, Ordering::Relaxed);
                    } else {
                        s.errors.fetch_add(1, Ordering::Relaxed);
                    }
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                lat
            }));
        }
        let mut latencies_ms = Vec::new();
        for t in tasks {
            latencies_ms.extend(t.await.unwrap_or_default());
        }
        let counts = Counts {
            ops: shared.ops.load(Ordering::Relaxed),
            errors: shared.errors.load(Ordering::Relaxed),
            records_per_op: workload.records_per_op,
            latencies_ms,
        };
        window.finish("rust-crate", &workload.name, counts);
        let _ = shared.client.close().await;
    });
}

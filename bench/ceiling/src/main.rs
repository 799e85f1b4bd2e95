//! Runs one benchmark workload through the `aerospike` crate with no JavaScript in the way and
//! prints one JSON line in the same shape as `bench/worker.mjs`:
//!
//! `aerospike-bench-ceiling <workload> <host:port> <duration-ms>`
//!
//! Workload names and data layout match `bench/workloads.mjs` (set `bench`, keys `s<i>` for
//! single-record work, `b<i>` for the 1,000-key batch, bins a, b (doubles) and c, d (integers)).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aerospike::{
    operations, BatchOperation, BatchPolicy, BatchReadPolicy, Bin, Bins, Client, ClientPolicy, Key,
    ReadPolicy, Value, WritePolicy,
};

const NS: &str = "test";
const SET: &str = "bench";

fn key(prefix: &str, i: usize) -> Key {
    Key::new(NS, SET, Value::from(format!("{prefix}{i}"))).expect("string keys are valid")
}

fn bins_for(i: usize) -> Vec<Bin> {
    vec![
        Bin::new("a", Value::from(i as f64 + 0.5)),
        Bin::new("b", Value::from(i as f64 * 2.0 + 0.25)),
        Bin::new("c", Value::from(i as i64)),
        Bin::new("d", Value::from(i as i64 * 3)),
    ]
}

struct Shared {
    client: Client,
    keys: Vec<Key>,
    workload: String,
    ops: AtomicU64,
    errors: AtomicU64,
}

async fn one_op(s: &Shared, i: usize) -> bool {
    let rp = ReadPolicy::default();
    let wp = WritePolicy::default();
    let k = &s.keys[i % s.keys.len()];
    match s.workload.as_str() {
        "get-1" | "get-256" => s.client.get(&rp, k, Bins::All).await.is_ok(),
        "put-1" | "put-256" => s.client.put(&wp, k, &bins_for(i)).await.is_ok(),
        "operate-256" => {
            let inc = Bin::new("c", Value::from(1));
            let ops = [operations::add(&inc), operations::get_bin("a")];
            s.client.operate(&wp, k, &ops).await.is_ok()
        }
        "scan-10k" => {
            let stmt = aerospike::Statement::new("test", "benchscan", Bins::All);
            let qp = aerospike::QueryPolicy::default();
            match s
                .client
                .query(&qp, aerospike::PartitionFilter::all(), stmt)
                .await
            {
                Ok(rs) => {
                    let mut stream = rs.into_stream();
                    let mut n = 0usize;
                    while let Some(r) = futures::StreamExt::next(&mut stream).await {
                        if r.is_err() {
                            return false;
                        }
                        n += 1;
                    }
                    n == 10_000
                }
                Err(_) => false,
            }
        }
        _ => {
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

/// This process's user + system CPU time in microseconds (Linux `/proc`; `None` elsewhere).
fn cpu_us() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks * 10_000.0)
}

/// Peak resident set size in MiB (Linux `VmHWM`).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn json_num(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite())
        .map_or("null".into(), |x| format!("{x:.3}"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: aerospike-bench-ceiling <workload> <host:port> <duration-ms>");
        std::process::exit(2);
    }
    let workload = args[1].clone();
    let hosts = args[2].clone();
    let duration = Duration::from_millis(args[3].parse().unwrap_or(2000));
    let (inflight, records_per_op, keys) = match workload.as_str() {
        "get-1" | "put-1" => (1, 1, (0..10_000).map(|i| key("s", i)).collect::<Vec<_>>()),
        "get-256" | "put-256" | "operate-256" => {
            (256, 1, (0..10_000).map(|i| key("s", i)).collect())
        }
        "batch-objects" | "batch-columns" => (1, 1000, (0..1000).map(|i| key("b", i)).collect()),
        "scan-10k" => (1, 10_000, vec![key("s", 0)]),
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2);
        }
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let policy = ClientPolicy { max_conns_per_node: 512, ..Default::default() };
        let client = Client::new(&policy, &hosts).await.expect("connect");
        let shared = Arc::new(Shared {
            client,
            keys,
            workload,
            ops: AtomicU64::new(0),
            errors: AtomicU64::new(0),
        });
        for i in 0..(inflight * 4).min(2000) {
            one_op(&shared, i).await;
        }
        let counter = Arc::new(AtomicU64::new(0));
        let cpu0 = cpu_us();
        let start = Instant::now();
        let deadline = start + duration;
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
        let mut lat = Vec::new();
        for t in tasks {
            lat.extend(t.await.unwrap_or_default());
        }
        let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_us().zip(cpu0).map(|(b, a)| b - a);
        lat.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| -> f64 {
            if lat.is_empty() {
                return f64::NAN;
            }
            lat[((p / 100.0) * lat.len() as f64).floor().min(lat.len() as f64 - 1.0) as usize]
        };
        let ops = shared.ops.load(Ordering::Relaxed);
        let records = ops * records_per_op;
        let cpu_per_op = cpu.filter(|_| ops > 0).map(|c| c / ops as f64);
        println!(
            "{{\"client\":\"rust-ceiling\",\"workload\":\"{}\",\"ops\":{},\"errors\":{},\"records\":{},\"elapsedMs\":{:.3},\"opsPerSec\":{:.3},\"recordsPerSec\":{:.3},\"p50Ms\":{:.5},\"p99Ms\":{:.5},\"cpuUsPerOp\":{},\"peakRssMb\":{}}}",
            shared.workload,
            ops,
            shared.errors.load(Ordering::Relaxed),
            records,
            elapsed_ms,
            ops as f64 / elapsed_ms * 1000.0,
            records as f64 / elapsed_ms * 1000.0,
            pct(50.0),
            pct(99.0),
            json_num(cpu_per_op),
            json_num(peak_rss_mb()),
        );
        let _ = shared.client.close().await;
    });
}

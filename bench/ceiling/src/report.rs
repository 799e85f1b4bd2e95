//! The measurement report: one JSON line on stdout, in the shape `bench/worker.mjs` prints, with
//! this process's own CPU time and peak RSS so the runner can compare them with the Node clients'.

use std::time::Instant;

/// A timed window: wall clock and process CPU time at its start.
pub struct Window {
    start: Instant,
    cpu0: Option<f64>,
}

/// Counts gathered over a window.
#[derive(Debug, Default)]
pub struct Counts {
    pub ops: u64,
    pub errors: u64,
    pub records_per_op: u64,
    /// One latency per op, in milliseconds (any order).
    pub latencies_ms: Vec<f64>,
}

impl Counts {
    /// Adds another slot's or thread's counts to these.
    pub fn absorb(&mut self, other: Counts) {
        self.ops += other.ops;
        self.errors += other.errors;
        self.latencies_ms.extend(other.latencies_ms);
    }
}

impl Window {
    pub fn start() -> Window {
        Window {
            cpu0: cpu_us(),
            start: Instant::now(),
        }
    }

    /// Ends the window and prints the report line for `client` running `workload`.
    pub fn finish(self, client: &str, workload: &str, mut counts: Counts) {
        let elapsed_ms = self.start.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_us().zip(self.cpu0).map(|(b, a)| b - a);
        let lat = &mut counts.latencies_ms;
        lat.sort_by(|a, b| a.total_cmp(b));
        let pct = |p: f64| -> Option<f64> {
            let last = lat.len().checked_sub(1)?;
            Some(lat[(((p / 100.0) * lat.len() as f64) as usize).min(last)])
        };
        let ops = counts.ops;
        let records = ops * counts.records_per_op;
        let cpu_per_op = cpu.filter(|_| ops > 0).map(|c| c / ops as f64);
        println!(
            "{{\"client\":\"{client}\",\"workload\":\"{workload}\",\"ops\":{ops},\"errors\":{},\"records\":{records},\"elapsedMs\":{:.3},\"opsPerSec\":{:.3},\"recordsPerSec\":{:.3},\"p50Ms\":{},\"p99Ms\":{},\"cpuUsPerOp\":{},\"peakRssMb\":{}}}",
            counts.errors,
            elapsed_ms,
            ops as f64 / elapsed_ms * 1000.0,
            records as f64 / elapsed_ms * 1000.0,
            json_num(pct(50.0)),
            json_num(pct(99.0)),
            json_num(cpu_per_op),
            json_num(peak_rss_mb()),
        );
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
        .map_or("null".into(), |x| format!("{x:.5}"))
}

//! The benchmark's requests, encoded once before the timed window: one [`WireOp`] per key for the
//! single-record workloads (cycled through as the Node workers cycle through their keys), and
//! for a batch or a scan one request per node, sent together. A scan's task id is the one part
//! written at each send ([`WireOp::request`]): a real server refuses a task id it still
//! remembers (it keeps its last finished jobs, `query-show`), so no two scans may share one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::cluster::{Cluster, PARTITIONS};
use super::encode::*;
use crate::workload::{
    bin_values, key_name, Kind, Workload, BATCH_KEYS, NS, SET, SINGLE_KEYS, WRITE_ROWS,
};

/// Server-side timeouts, as `bench/worker.mjs` sets them for the Node clients.
const SINGLE_TIMEOUT_MS: u32 = 5000;
const BATCH_TIMEOUT_MS: u32 = 10_000;

/// One benchmark op on the wire: a request per node it involves.
#[derive(Debug)]
pub struct WireOp {
    /// `(node index, request bytes)`.
    pub parts: Vec<(usize, Vec<u8>)>,
    /// Where the 8-byte task id sits in every part (scans), to be made fresh at each send.
    pub task_id_at: Option<usize>,
}

impl WireOp {
    /// Part `i`'s bytes as they are sent now: as encoded, or for a scan copied into `scratch`
    /// with a task id no other scan of this process used.
    pub fn request<'a>(&'a self, i: usize, scratch: &'a mut Vec<u8>) -> &'a [u8] {
        let bytes = &self.parts[i].1;
        let Some(at) = self.task_id_at else {
            return bytes;
        };
        scratch.clear();
        scratch.extend_from_slice(bytes);
        scratch[at..at + 8].copy_from_slice(&fresh_task_id().to_be_bytes());
        scratch
    }
}

/// A task id unique to this process and unlikely to meet an earlier run's: the start time in
/// the high bits, a counter in the low ones.
fn fresh_task_id() -> u64 {
    static BASE: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        (now.as_secs() << 24) ^ u64::from(now.subsec_micros())
    });
    base.wrapping_add(NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Every op the workload replays, in order.
pub fn build(workload: &Workload, cluster: &Cluster) -> Vec<WireOp> {
    match workload.kind {
        Kind::Get | Kind::Put | Kind::Operate => (0..SINGLE_KEYS)
            .map(|i| {
                let digest = string_key_digest(SET, &key_name("s", i));
                let node = cluster.owner[partition_of(&digest)];
                WireOp {
                    parts: vec![(node, single(workload.kind, &digest, i))],
                    task_id_at: None,
                }
            })
            .collect(),
        Kind::Batch => vec![WireOp {
            parts: batch(cluster, workload.key_prefix),
            task_id_at: None,
        }],
        Kind::BatchWrite => vec![WireOp {
            parts: batch_write(cluster),
            task_id_at: None,
        }],
        Kind::Scan => vec![WireOp {
            parts: scan(cluster, workload),
            // The proto and message headers, the namespace and set fields, the task id field's
            // own header.
            task_id_at: Some(
                8 + MSG_HEADER_LEN + (5 + workload.namespace.len()) + (5 + workload.set.len()) + 5,
            ),
        }],
    }
}

/// A get (all bins), put (the four bins) or operate (`incr c 1`, `read a`) of one record.
fn single(kind: Kind, digest: &[u8; 20], i: usize) -> Vec<u8> {
    let fields: [(u8, &[u8]); 3] = [
        (FIELD_NAMESPACE, NS.as_bytes()),
        (FIELD_SET, SET.as_bytes()),
        (FIELD_DIGEST, digest),
    ];
    let (a, b, c, d) = bin_values(i);
    let (a, b, c, d) = (
        a.to_be_bytes(),
        b.to_be_bytes(),
        c.to_be_bytes(),
        d.to_be_bytes(),
    );
    let one = 1i64.to_be_bytes();
    let op = |code, particle, bin, value| Op {
        code,
        particle,
        bin,
        value,
    };
    let (head, ops) = match kind {
        Kind::Get => (
            Head {
                info1: INFO1_READ | INFO1_GET_ALL,
                ..Head::default()
            },
            vec![],
        ),
        Kind::Put => (
            Head {
                info2: INFO2_WRITE,
                ..Head::default()
            },
            vec![
                op(OP_WRITE, PARTICLE_FLOAT, "a", &a[..]),
                op(OP_WRITE, PARTICLE_FLOAT, "b", &b[..]),
                op(OP_WRITE, PARTICLE_INTEGER, "c", &c[..]),
                op(OP_WRITE, PARTICLE_INTEGER, "d", &d[..]),
            ],
        ),
        _ => (
            Head {
                info1: INFO1_READ,
                info2: INFO2_WRITE,
                ..Head::default()
            },
            vec![
                op(OP_INCR, PARTICLE_INTEGER, "c", &one[..]),
                op(OP_READ, PARTICLE_NULL, "a", &[]),
            ],
        ),
    };
    message(
        Head {
            txn_ttl: SINGLE_TIMEOUT_MS,
            ..head
        },
        &fields,
        &ops,
    )
}

/// A batch of `n` rows (row `i` keyed by `key_name(prefix, i)` in the benchmark set), split by
/// master node: `row` writes each row's attributes after its index and digest, told whether
/// the row is the first of its node's request (the others may repeat it).
fn batch_request(
    cluster: &Cluster,
    n: usize,
    prefix: &str,
    mut row: impl FnMut(&mut Vec<u8>, usize, bool),
) -> Vec<(usize, Vec<u8>)> {
    const PARENT_REPORT_ERROR_RECORD: u8 = 0x08;
    let mut rows: Vec<Vec<u8>> = vec![Vec::new(); cluster.nodes.len()];
    let mut counts = vec![0u32; cluster.nodes.len()];
    for i in 0..n {
        let digest = string_key_digest(SET, &key_name(prefix, i));
        let node = cluster.owner[partition_of(&digest)];
        let out = &mut rows[node];
        out.extend_from_slice(&(i as u32).to_be_bytes());
        out.extend_from_slice(&digest);
        row(out, i, counts[node] == 0);
        counts[node] += 1;
    }
    let head = Head {
        info1: INFO1_BATCH,
        txn_ttl: BATCH_TIMEOUT_MS,
        ..Head::default()
    };
    rows.into_iter()
        .zip(counts)
        .enumerate()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(node, (rows, n))| {
            let mut field = n.to_be_bytes().to_vec();
            field.push(PARENT_REPORT_ERROR_RECORD);
            field.extend_from_slice(&rows);
            (node, message(head, &[(FIELD_BATCH_INDEX, &field)], &[]))
        })
        .collect()
}

/// A full row's attributes: flags, info bytes, (generation,) ttl, the namespace and set
/// fields, and `n_ops`.
fn full_row(out: &mut Vec<u8>, flags: u8, info: [u8; 3], n_ops: u16) {
    const ROW_GEN: u8 = 0x04;
    out.push(flags);
    out.extend_from_slice(&info);
    if flags & ROW_GEN != 0 {
        out.extend_from_slice(&0u16.to_be_bytes());
    }
    out.extend_from_slice(&0u32.to_be_bytes()); // ttl
    out.extend_from_slice(&2u16.to_be_bytes()); // fields
    out.extend_from_slice(&n_ops.to_be_bytes());
    put_field(out, FIELD_NAMESPACE, NS.as_bytes());
    put_field(out, FIELD_SET, SET.as_bytes());
}

/// The batch read of the 1,000 batch keys (`<prefix><i>`): the first row of each request
/// carries namespace, set and "read all bins", the others repeat it.
fn batch(cluster: &Cluster, prefix: &str) -> Vec<(usize, Vec<u8>)> {
    const ROW_REPEAT: u8 = 0x01;
    const ROW_INFO_TTL: u8 = 0x0A;
    batch_request(cluster, BATCH_KEYS, prefix, |out, _, first| {
        if first {
            full_row(out, ROW_INFO_TTL, [INFO1_READ | INFO1_GET_ALL, 0, 0], 0);
        } else {
            out.push(ROW_REPEAT);
        }
    })
}

/// The columnar write's batch: row `i` (key `w<i>`) writes `a`, `b` (doubles), `c`, `d`
/// (integers) and `label` (`row <i>`), as `write-columns` does.
fn batch_write(cluster: &Cluster) -> Vec<(usize, Vec<u8>)> {
    const ROW_INFO_GEN_TTL: u8 = 0x0E;
    batch_request(cluster, WRITE_ROWS, "w", |out, i, _| {
        full_row(out, ROW_INFO_GEN_TTL, [0, INFO2_WRITE, 0], 5);
        let (a, b, c, d) = bin_values(i);
        let label = format!("row {i}");
        let bins: [(&str, u8, &[u8]); 5] = [
            ("a", PARTICLE_FLOAT, &a.to_be_bytes()),
            ("b", PARTICLE_FLOAT, &b.to_be_bytes()),
            ("c", PARTICLE_INTEGER, &c.to_be_bytes()),
            ("d", PARTICLE_INTEGER, &d.to_be_bytes()),
            ("label", PARTICLE_STRING, label.as_bytes()),
        ];
        for (bin, particle, value) in bins {
            let code = OP_WRITE;
            put_op(
                out,
                &Op {
                    code,
                    particle,
                    bin,
                    value,
                },
            );
        }
    })
}

/// A partition scan of `set` on every node, over the partitions that node masters (its task id
/// a placeholder, see [`WireOp::request`]).
/// A partition scan of the workload's set per node (an index query with its `index_range`).
fn scan(cluster: &Cluster, workload: &Workload) -> Vec<(usize, Vec<u8>)> {
    let (namespace, set) = (workload.namespace, workload.set);
    // INDEX_RANGE: one range, the bin name, the particle type, begin and end with their sizes.
    let range: Vec<u8> = match workload.index_range {
        None => Vec::new(),
        Some((bin, begin, end)) => [
            &[1, bin.len() as u8][..],
            bin.as_bytes(),
            &[PARTICLE_INTEGER],
            &8u32.to_be_bytes(),
            &begin.to_be_bytes(),
            &8u32.to_be_bytes(),
            &end.to_be_bytes(),
        ]
        .concat(),
    };
    let head = Head {
        info1: INFO1_READ,
        info3: INFO3_PARTITION_DONE,
        record_ttl: u32::MAX,
        ..Head::default()
    };
    (0..cluster.nodes.len())
        .map(|node| {
            let pids: Vec<u8> = (0..PARTITIONS)
                .filter(|&p| cluster.owner[p] == node)
                .flat_map(|p| (p as u16).to_le_bytes())
                .collect();
            let trid = [0u8; 8];
            let mut fields: Vec<(u8, &[u8])> = vec![
                (FIELD_NAMESPACE, namespace.as_bytes()),
                (FIELD_SET, set.as_bytes()),
                (FIELD_TRID, &trid),
            ];
            if !range.is_empty() {
                fields.push((FIELD_INDEX_RANGE, &range));
            }
            fields.push((FIELD_PID_ARRAY, &pids));
            (node, message(head, &fields, &[]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::Workload;

    #[test]
    fn every_scan_sent_has_a_task_id_of_its_own() {
        let cluster = Cluster {
            nodes: vec!["a".into(), "b".into()],
            owner: (0..PARTITIONS).map(|p| p % 2).collect(),
        };
        let ops = build(&Workload::parse("scan-columns-1m").unwrap(), &cluster);
        let op = &ops[0];
        let at = op.task_id_at.unwrap();
        // The placeholder sits right after the task id field's header (size 9, type TRID).
        let header = &op.parts[0].1[at - 5..at];
        assert_eq!(header, [0, 0, 0, 9, FIELD_TRID]);
        let (mut s1, mut s2) = (Vec::new(), Vec::new());
        let (a, b) = (op.request(0, &mut s1), op.request(1, &mut s2));
        assert_ne!(a[at..at + 8], b[at..at + 8]);
        assert_eq!(a[..at], op.parts[0].1[..at]);
        assert_eq!(a[at + 8..], op.parts[0].1[at + 8..]);
    }
}

//! The benchmark's requests, encoded once before the timed window: one [`WireOp`] per key for the
//! single-record workloads (cycled through as the Node workers cycle through their keys), and
//! for a batch or a scan one request per node, sent together.

use super::cluster::{Cluster, PARTITIONS};
use super::encode::*;
use crate::workload::{bin_values, key_name, Kind, Workload, BATCH_KEYS, NS, SET, SINGLE_KEYS};

/// Server-side timeouts, as `bench/worker.mjs` sets them for the Node clients.
const SINGLE_TIMEOUT_MS: u32 = 5000;
const BATCH_TIMEOUT_MS: u32 = 10_000;
/// Distinct scan task ids to cycle through, so no replayed scan reuses a running task's id.
const SCAN_VARIANTS: u64 = 16;

/// One benchmark op on the wire: a request per node it involves.
#[derive(Debug)]
pub struct WireOp {
    /// `(node index, request bytes)`.
    pub parts: Vec<(usize, Vec<u8>)>,
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
                }
            })
            .collect(),
        Kind::Batch => vec![WireOp {
            parts: batch(cluster, workload.key_prefix),
        }],
        Kind::Scan => (0..SCAN_VARIANTS)
            .map(|v| WireOp {
                parts: scan(cluster, v, workload.namespace, workload.set),
            })
            .collect(),
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

/// The batch read of the 1,000 batch keys (`<prefix><i>`), split by master node: the first row of each request
/// carries namespace, set and "read all bins", the others repeat it.
fn batch(cluster: &Cluster, prefix: &str) -> Vec<(usize, Vec<u8>)> {
    const PARENT_REPORT_ERROR_RECORD: u8 = 0x08;
    const ROW_REPEAT: u8 = 0x01;
    const ROW_INFO_TTL: u8 = 0x0A;
    let mut rows: Vec<Vec<u8>> = vec![Vec::new(); cluster.nodes.len()];
    let mut counts = vec![0u32; cluster.nodes.len()];
    for i in 0..BATCH_KEYS {
        let digest = string_key_digest(SET, &key_name(prefix, i));
        let node = cluster.owner[partition_of(&digest)];
        let out = &mut rows[node];
        out.extend_from_slice(&(i as u32).to_be_bytes());
        out.extend_from_slice(&digest);
        if counts[node] > 0 {
            out.push(ROW_REPEAT);
        } else {
            out.extend_from_slice(&[ROW_INFO_TTL, INFO1_READ | INFO1_GET_ALL, 0, 0]);
            out.extend_from_slice(&0u32.to_be_bytes()); // ttl
            out.extend_from_slice(&2u16.to_be_bytes()); // fields
            out.extend_from_slice(&0u16.to_be_bytes()); // ops
            for (kind, data) in [(FIELD_NAMESPACE, NS), (FIELD_SET, SET)] {
                out.extend_from_slice(&(data.len() as u32 + 1).to_be_bytes());
                out.push(kind);
                out.extend_from_slice(data.as_bytes());
            }
        }
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

/// A partition scan of `set` on every node, over the partitions that node masters.
fn scan(cluster: &Cluster, variant: u64, namespace: &str, set: &str) -> Vec<(usize, Vec<u8>)> {
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
            let trid = (0x5eed_0000 + variant * 64 + node as u64).to_be_bytes();
            let fields: [(u8, &[u8]); 4] = [
                (FIELD_NAMESPACE, namespace.as_bytes()),
                (FIELD_SET, set.as_bytes()),
                (FIELD_TRID, &trid),
                (FIELD_PID_ARRAY, &pids),
            ];
            (node, message(head, &fields, &[]))
        })
        .collect()
}

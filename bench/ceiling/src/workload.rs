//! The workload table of `bench/workloads.mjs`, as the Rust programs see it. Single-record
//! workloads are named `<command>-<in flight>` (`get-16`, `put-256`), so the concurrency sweep
//! needs no table of its own.

/// Namespace of every benchmark record.
pub const NS: &str = "test";
/// Set of the single-record keys (`s<i>`) and the batch keys (`b<i>`).
pub const SET: &str = "bench";
/// Set of the scan workload's records.
pub const SCAN_SET: &str = "benchscan";
/// Number of single-record keys the workloads cycle through.
pub const SINGLE_KEYS: usize = 10_000;
/// Keys in one batch read.
pub const BATCH_KEYS: usize = 1000;
/// Records the scan must stream.
pub const SCAN_RECORDS: u64 = 10_000;
/// Rows of the columnar write (`WRITE_ROWS` in bench/columnar.mjs).
pub const WRITE_ROWS: usize = 1000;
/// Set and size of the columnar scan (`scan-columns-100k`, bench/columnar.mjs).
pub const COLUMN_SCAN_SET: &str = "benchscan100k";
pub const COLUMN_SCAN_RECORDS: u64 = 100_000;
/// Namespace, set and size of the large columnar scan (`scan-columns-1m`). Its own namespace,
/// because a set scan walks every record of its namespace: a million more records in `test` would
/// slow every other scan row down.
pub const COLUMN_SCAN_1M_NS: &str = "bar";
pub const COLUMN_SCAN_1M_SET: &str = "benchscan1m";
pub const COLUMN_SCAN_1M_RECORDS: u64 = 1_000_000;

/// What one operation of a workload does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Read all bins of one record.
    Get,
    /// Write the four bins of one record.
    Put,
    /// Increment bin `c` and read bin `a` of one record.
    Operate,
    /// Read all bins of the 1,000 batch keys (`batch-objects` and `batch-columns` alike: on the
    /// wire both are the same batch).
    Batch,
    /// Stream every record of the scan set.
    Scan,
    /// Write the 1,000 rows of `write-columns` (keys `w<i>`, the scan set's five bins) in one
    /// batch: on the wire, `batchWriteColumns` and the official `batchWrite` are the same batch.
    BatchWrite,
}

/// A named workload: what one op does, how many ops are in flight, how many records one op touches.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub kind: Kind,
    pub inflight: usize,
    pub records_per_op: u64,
    /// Ops run before the timed window (one for a scan of a million records).
    pub warmup_ops: usize,
    /// The namespace and set a scan reads.
    pub namespace: &'static str,
    pub set: &'static str,
    /// The key prefix of a batch's keys (`b<i>`, or `t<i>` for the string records).
    pub key_prefix: &'static str,
    /// An index query's filter instead of a scan: integer bin, first and last value.
    pub index_range: Option<(&'static str, i64, i64)>,
}

impl Workload {
    /// Parses a workload name; `None` for a name the benchmark does not know.
    pub fn parse(name: &str) -> Option<Workload> {
        let (mut namespace, mut set, mut key_prefix) = (NS, SCAN_SET, "b");
        let mut index_range = None;
        let (kind, inflight, records_per_op) = match name {
            "batch-objects" | "batch-columns" => (Kind::Batch, 1, BATCH_KEYS as u64),
            // On the wire, string columns by key are the batch read of the string records.
            "strings-by-key" => {
                key_prefix = "t";
                (Kind::Batch, 1, BATCH_KEYS as u64)
            }
            "write-columns" => {
                key_prefix = "w";
                (Kind::BatchWrite, 1, WRITE_ROWS as u64)
            }
            "scan-10k" => (Kind::Scan, 1, SCAN_RECORDS),
            // The same records found through the index on bin c (0..9999), see bench/seed.mjs.
            "query-10k" => {
                index_range = Some(("c", 0, SCAN_RECORDS as i64 - 1));
                (Kind::Scan, 1, SCAN_RECORDS)
            }
            "scan-columns-100k" => {
                set = COLUMN_SCAN_SET;
                (Kind::Scan, 1, COLUMN_SCAN_RECORDS)
            }
            // The object scan of the same million records reads the same bytes on the wire.
            "scan-columns-1m" | "scan-1m" => {
                (namespace, set) = (COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET);
                (Kind::Scan, 1, COLUMN_SCAN_1M_RECORDS)
            }
            // The same records through the index on bin c (0..999,999).
            "query-1m" => {
                (namespace, set) = (COLUMN_SCAN_1M_NS, COLUMN_SCAN_1M_SET);
                index_range = Some(("c", 0, COLUMN_SCAN_1M_RECORDS as i64 - 1));
                (Kind::Scan, 1, COLUMN_SCAN_1M_RECORDS)
            }
            _ => {
                let (command, level) = name.rsplit_once('-')?;
                let kind = match command {
                    "get" => Kind::Get,
                    "put" => Kind::Put,
                    "operate" => Kind::Operate,
                    _ => return None,
                };
                let inflight: usize = level.parse().ok().filter(|&n| n > 0)?;
                (kind, inflight, 1)
            }
        };
        Some(Workload {
            name: name.to_string(),
            warmup_ops: if records_per_op >= COLUMN_SCAN_1M_RECORDS {
                1
            } else {
                (inflight * 4).min(2000)
            },
            kind,
            inflight,
            records_per_op,
            namespace,
            set,
            key_prefix,
            index_range,
        })
    }
}

/// The single-record key `s<i>` and batch key `b<i>`, as the seed script writes them.
pub fn key_name(prefix: &str, i: usize) -> String {
    format!("{prefix}{i}")
}

/// The four bins `bench/workloads.mjs` writes for op `i`: a and b doubles, c and d integers.
pub fn bin_values(i: usize) -> (f64, f64, i64, i64) {
    (
        i as f64 + 0.5,
        i as f64 * 2.0 + 0.25,
        i as i64,
        i as i64 * 3,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_their_concurrency() {
        let w = Workload::parse("operate-64").unwrap();
        assert_eq!(
            (w.kind, w.inflight, w.records_per_op),
            (Kind::Operate, 64, 1)
        );
        assert_eq!(
            Workload::parse("batch-columns").unwrap().records_per_op,
            1000
        );
        let scan = Workload::parse("scan-columns-100k").unwrap();
        assert_eq!((scan.set, scan.records_per_op), (COLUMN_SCAN_SET, 100_000));
        let big = Workload::parse("scan-columns-1m").unwrap();
        assert_eq!(
            (big.set, big.records_per_op, big.warmup_ops),
            (COLUMN_SCAN_1M_SET, 1_000_000, 1)
        );
        assert_eq!(Workload::parse("strings-by-key").unwrap().key_prefix, "t");
        assert!(Workload::parse("get-0").is_none());
        assert!(Workload::parse("delete-4").is_none());
    }
}

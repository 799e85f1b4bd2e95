//! Column batches of a fixed number of rows filled by a direct scan ([`crate::scan_wire`]):
//! each record's bins go straight into the batch's columns (the batch read's cell and column
//! decoding, [`crate::wire`], [`crate::cell`]).

use aerospike_cdt::bytes::Cursor;
use aerospike_cdt::wire::particle;

use crate::records::RecordColumns;
use crate::scan_wire::{ScanRecord, ScanSink};
use crate::wire::{next_op, BinIndex, ReplyError};
use crate::{ttl_from_void_time, Column, ColumnType, Columns, Scalar};

/// Rows a batch starts with; it doubles up to the rows asked for, so a batch of many rows
/// over a small set does not allocate them all.
const FIRST_ROWS: usize = 4096;

/// Column batches of `rows` rows filled as records arrive (from any node, in any order).
pub struct ScanBatches {
    spec: Vec<(String, ColumnType)>,
    rows: usize,
    cur: RecordColumns,
    filled: usize,
    ready: Vec<RecordColumns>,
    bins: BinIndex,
}

impl ScanBatches {
    /// Batches of `rows` rows (at least 1) of `spec`.
    pub fn new(spec: &[(String, ColumnType)], rows: usize) -> ScanBatches {
        let rows = rows.max(1);
        let names: Vec<&str> = spec.iter().map(|(b, _)| b.as_str()).collect();
        let mut b = ScanBatches {
            spec: spec.to_vec(),
            rows,
            cur: empty(spec, 0),
            filled: 0,
            ready: Vec::new(),
            bins: BinIndex::new(&names),
        };
        b.cur = b.fresh();
        b
    }

    fn fresh(&self) -> RecordColumns {
        empty(&self.spec, self.rows.min(FIRST_ROWS))
    }

    /// The row the next record goes to, growing the batch as needed.
    fn next_row(&mut self) -> usize {
        if self.filled == self.cur.columns.len() {
            let grown = (self.filled * 2).max(FIRST_ROWS).min(self.rows);
            resize(&mut self.cur, grown);
        }
        self.filled += 1;
        self.filled - 1
    }

    /// Hands the batch over once it has all its rows.
    fn close_row(&mut self) {
        if self.filled == self.rows {
            let fresh = self.fresh();
            let full = std::mem::replace(&mut self.cur, fresh);
            self.ready.push(full);
            self.filled = 0;
        }
    }
}

impl ScanSink for ScanBatches {
    type Batch = RecordColumns;

    fn record(&mut self, rec: &ScanRecord<'_>, now_unix_secs: u64) -> Result<(), ReplyError> {
        let row = self.next_row();
        let b = &mut self.cur;
        let ttl = ttl_from_void_time(rec.void_time, now_unix_secs);
        b.columns.set_row(row, 0, rec.generation, ttl);
        if let Some(d) = rec.digest {
            b.digests[row * 20..row * 20 + 20].copy_from_slice(d);
        }
        if let Some((kind, data)) = rec.key {
            put_key(b, row, kind, data);
        }
        let mut c = Cursor::new(rec.ops);
        for k in 0..rec.n_ops {
            let (kind, name, value) = next_op(&mut c)?;
            if let Some(col) = self.bins.find(name, k) {
                if let Some(v) = Scalar::of_particle(kind, value) {
                    self.cur.columns.set_value(row, col, v);
                }
            }
        }
        self.close_row();
        Ok(())
    }

    fn take_ready(&mut self) -> Vec<RecordColumns> {
        std::mem::take(&mut self.ready)
    }

    fn finish(&mut self) -> Option<RecordColumns> {
        let n = self.filled;
        let mut last = std::mem::replace(&mut self.cur, empty(&self.spec, 0));
        self.filled = 0;
        (n > 0).then(|| {
            resize(&mut last, n);
            last
        })
    }
}

fn empty(spec: &[(String, ColumnType)], n: usize) -> RecordColumns {
    RecordColumns {
        columns: Columns::empty(spec, n),
        digests: vec![0; n * 20],
        user_key: None,
    }
}

fn resize(b: &mut RecordColumns, n: usize) {
    let c = &mut b.columns;
    c.status.resize(n, -1);
    c.generation.resize(n, 0);
    c.ttl.resize(n, 0);
    c.columns.iter_mut().for_each(|col| col.resize(n));
    b.digests.resize(n * 20, 0);
    if let Some(k) = &mut b.user_key {
        k.resize(n);
    }
}

/// The user key of row `row`: the column takes the type of the first key seen (integer, blob,
/// else string), as [`crate::records::from_records`] does.
fn put_key(b: &mut RecordColumns, row: usize, kind: u8, data: &[u8]) {
    let n = b.columns.len();
    let col = b.user_key.get_or_insert_with(|| {
        let ty = match kind {
            particle::INTEGER => ColumnType::I64,
            particle::BLOB => ColumnType::Bytes,
            _ => ColumnType::Str,
        };
        Column::new("userKey".into(), ty, n)
    });
    col.put(row, Scalar::of_particle(kind, data));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partitions::Partitions;
    use crate::scan_wire::tests::{marker, record};
    use crate::scan_wire::{read_scan_proto, ScanFill};
    use crate::wire::Progress;
    use crate::ColumnData;
    use aerospike_cdt::result as rc;
    use aerospike_cdt::wire::msg::{INFO3_LAST, INFO3_PARTITION_DONE};

    #[test]
    fn records_fill_batches_of_the_asked_rows() {
        let spec = vec![("a".to_string(), ColumnType::I64)];
        let mut out = ScanFill::new(ScanBatches::new(&spec, 2), 0);
        let mut parts = Partitions::default();
        let mut body = Vec::new();
        for i in 0..3u8 {
            body.extend(record(
                i as u32 + 1,
                i,
                (i != 1).then_some(i as i64 * 10),
                &[("a", particle::INTEGER, &(i as i64).to_be_bytes())],
            ));
        }
        body.extend(marker(INFO3_PARTITION_DONE, 0));
        body.extend(marker(0, rc::KEY_NOT_FOUND));
        assert_eq!(
            read_scan_proto(&body, 0, &mut out, &mut parts),
            Ok(Progress::More)
        );
        let ready = out.sink.take_ready();
        assert_eq!(ready.len(), 1);
        assert_eq!(
            ready[0].columns.columns[0].data,
            ColumnData::I64(vec![0, 1])
        );
        assert_eq!(ready[0].columns.generation, vec![1, 2]);
        assert_eq!(&ready[0].digests[20..], &[1; 20]);
        assert_eq!(ready[0].user_key.as_ref().unwrap().valid, vec![1, 0]);
        // Digest [1; 20] is in partition 0x101; the marker (generation 0) finished partition 0.
        assert!(parts
            .pending()
            .any(|(p, d)| p == 0x101 && d == Some(&([1; 20], 0))));
        assert!(!parts.pending().any(|(p, _)| p == 0));
        assert_eq!(
            read_scan_proto(&marker(INFO3_LAST, 0), 0, &mut out, &mut parts),
            Ok(Progress::Done)
        );
        let last = out.sink.finish().unwrap();
        assert_eq!(last.columns.len(), 1);
        assert_eq!(last.digests, vec![2; 20]);
        assert!(out.sink.finish().is_none());
    }

    #[test]
    fn a_limited_scan_ends_with_what_it_took() {
        let spec = vec![("a".to_string(), ColumnType::F64)];
        let mut out = ScanFill::new(ScanBatches::new(&spec, 10), 1);
        let mut parts = Partitions::default();
        let mut body = record(1, 1, None, &[]);
        body.extend(record(1, 2, None, &[("a", particle::FLOAT, &[0; 8])]));
        read_scan_proto(&body, 0, &mut out, &mut parts).unwrap();
        assert!(out.full());
        assert_eq!(out.sink.finish().unwrap().columns.len(), 1);
        // Every prefix and a byte flip at each position: never a panic.
        for cut in 0..body.len() {
            let _ = read_scan_proto(&body[..cut], 0, &mut out, &mut parts);
            let mut bad = body.clone();
            bad[cut] ^= 0xff;
            let _ = read_scan_proto(&bad, 0, &mut out, &mut parts);
        }
    }
}

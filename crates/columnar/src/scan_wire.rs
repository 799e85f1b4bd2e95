//! The partition scan request of a columnar scan, and the reader that turns its reply stream
//! straight into column batches of a fixed number of rows (the batch read's cell and column
//! decoding, [`crate::wire`], [`crate::cell`]; no record, bin map or value object in between).
//!
//! Layouts follow the protocol reference (docs/aerospike-wire-protocol.md): one AS_MSG with
//! READ and PARTITION_DONE flags, the namespace and set, the socket timeout and task id, the
//! node's whole partitions as a PID_ARRAY (little-endian u16s) and those resumed after a record
//! as a DIGEST_ARRAY (the last digest read from each), max records where given, and one READ op
//! per wanted bin. The reply is a stream of protos, each a run of record messages (digest and
//! user key as fields, bins as ops), partition-done markers (the partition id in the generation
//! field, a non-zero result when the node could not serve it), and a LAST message.

use crate::partitions::Partitions;
use crate::records::RecordColumns;
use crate::wire::{next_header, next_op, whole, BinIndex, Progress, ReplyError};
use crate::{ttl_from_void_time, Column, ColumnType, Columns, Scalar};

use aerospike_cdt::bytes::Cursor;
use aerospike_cdt::result as rc;
use aerospike_cdt::wire::msg::{
    op_head, put_field, Header, FIELD_DIGEST, FIELD_DIGEST_ARRAY, FIELD_KEY, FIELD_MAX_RECORDS,
    FIELD_NAMESPACE, FIELD_PID_ARRAY, FIELD_SET, FIELD_SOCKET_TIMEOUT, FIELD_TRID,
    INFO1_GET_NO_BINS, INFO1_READ, INFO3_LAST, INFO3_PARTITION_DONE,
};
use aerospike_cdt::wire::{op, particle, proto};

/// Rows a batch starts with; it doubles up to the rows asked for, so a batch of many rows
/// over a small set does not allocate them all.
const FIRST_ROWS: usize = 4096;

/// What one node's scan request asks.
pub struct ScanRequest<'a> {
    pub namespace: &'a str,
    pub set: &'a str,
    /// The bins to read; empty reads none (only metadata, digests and keys).
    pub bins: &'a [&'a str],
    pub socket_timeout_ms: u32,
    /// At most this many records from the node (0 = all).
    pub max_records: u64,
    pub task_id: u64,
}

/// Appends the complete request (proto header included) scanning partitions `pids` whole and
/// the partitions of `resume` after each of those digests.
pub fn encode_scan(buf: &mut Vec<u8>, req: &ScanRequest<'_>, pids: &[u16], resume: &[[u8; 20]]) {
    let start = buf.len();
    buf.extend_from_slice(&[0; 8]);
    let n_fields = 3
        + !req.set.is_empty() as u16
        + !pids.is_empty() as u16
        + !resume.is_empty() as u16
        + (req.max_records > 0) as u16;
    let header = Header {
        info1: INFO1_READ
            | if req.bins.is_empty() {
                INFO1_GET_NO_BINS
            } else {
                0
            },
        info3: INFO3_PARTITION_DONE,
        n_fields,
        n_ops: req.bins.len() as u16,
        ..Default::default()
    };
    buf.extend_from_slice(&header.encode());
    put_field(buf, FIELD_NAMESPACE, &[req.namespace.as_bytes()]);
    if !req.set.is_empty() {
        put_field(buf, FIELD_SET, &[req.set.as_bytes()]);
    }
    put_field(
        buf,
        FIELD_SOCKET_TIMEOUT,
        &[&req.socket_timeout_ms.to_be_bytes()],
    );
    put_field(buf, FIELD_TRID, &[&req.task_id.to_be_bytes()]);
    if !pids.is_empty() {
        let pid_bytes: Vec<u8> = pids.iter().flat_map(|p| p.to_le_bytes()).collect();
        put_field(buf, FIELD_PID_ARRAY, &[&pid_bytes]);
    }
    if !resume.is_empty() {
        put_field(buf, FIELD_DIGEST_ARRAY, &[resume.as_flattened()]);
    }
    if req.max_records > 0 {
        put_field(buf, FIELD_MAX_RECORDS, &[&req.max_records.to_be_bytes()]);
    }
    for bin in req.bins {
        buf.extend_from_slice(&op_head(op::READ, 0, bin.len(), 0));
        buf.extend_from_slice(bin.as_bytes());
    }
    let body_len = buf.len() - start - proto::HEADER_LEN;
    buf[start..start + proto::HEADER_LEN]
        .copy_from_slice(&proto::header(proto::TYPE_MSG, body_len));
}

/// Column batches of `rows` rows filled as records arrive (from any node, in any order).
pub struct ScanBatches {
    spec: Vec<(String, ColumnType)>,
    rows: usize,
    cur: RecordColumns,
    filled: usize,
    /// Records still taken (u64::MAX when unlimited).
    left: u64,
    ready: Vec<RecordColumns>,
}

impl ScanBatches {
    /// Batches of `rows` rows (at least 1) of `spec`, at most `max_records` rows in all (0 = no
    /// limit).
    pub fn new(spec: &[(String, ColumnType)], rows: usize, max_records: u64) -> ScanBatches {
        let rows = rows.max(1);
        let mut b = ScanBatches {
            spec: spec.to_vec(),
            rows,
            cur: empty(spec, 0),
            filled: 0,
            left: if max_records == 0 {
                u64::MAX
            } else {
                max_records
            },
            ready: Vec::new(),
        };
        b.cur = b.fresh();
        b
    }

    fn fresh(&self) -> RecordColumns {
        empty(&self.spec, self.rows.min(FIRST_ROWS))
    }

    /// Whether the record limit is reached (further records are dropped).
    pub fn full(&self) -> bool {
        self.left == 0
    }

    /// Records still to take (0: no limit), for the next round's request.
    pub fn left(&self) -> u64 {
        match self.left {
            u64::MAX => 0,
            n => n,
        }
    }

    /// The batches filled so far.
    pub fn take_ready(&mut self) -> Vec<RecordColumns> {
        std::mem::take(&mut self.ready)
    }

    /// The last, partly filled batch (None when it has no rows).
    pub fn finish(&mut self) -> Option<RecordColumns> {
        let n = self.filled;
        let mut last = std::mem::replace(&mut self.cur, empty(&self.spec, 0));
        self.filled = 0;
        (n > 0).then(|| {
            resize(&mut last, n);
            last
        })
    }

    /// The row the next record goes to, growing the batch as needed.
    fn next_row(&mut self) -> usize {
        if self.filled == self.cur.columns.len() {
            let grown = (self.filled * 2).max(FIRST_ROWS).min(self.rows);
            resize(&mut self.cur, grown);
        }
        self.left -= 1;
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

/// Reads one proto body of a scan reply into `out`, noting each record's digest and each
/// partition-done marker in `parts`. A partition-done marker with a non-zero code marks its
/// partition unavailable (the next round asks for it again). A record message whose code is not
/// OK (not found, filtered out) is skipped as the client crate skips it; any other code, on a
/// record or the LAST message, fails the node's reply with it.
pub fn read_scan_proto(
    body: &[u8],
    bins: &BinIndex<'_>,
    now_unix_secs: u64,
    out: &mut ScanBatches,
    parts: &mut Partitions,
) -> Result<Progress, ReplyError> {
    let mut c = Cursor::new(body);
    while !c.at_end() {
        let m = next_header(&mut c)?;
        let marker = m.info3 & INFO3_PARTITION_DONE != 0;
        if marker {
            parts.done(m.generation, m.result == rc::OK);
        }
        match m.result {
            _ if marker => {}
            rc::OK | rc::KEY_NOT_FOUND | rc::FILTERED_OUT => {}
            code => return Err(ReplyError::Server(code)),
        }
        if m.info3 & INFO3_LAST != 0 {
            return Ok(Progress::Done);
        }
        let (mut digest, mut key) = (None, None);
        for _ in 0..m.n_fields {
            let size = whole(c.u32())? as usize;
            let field = whole(c.take(size))?;
            match field.split_first() {
                Some((&FIELD_DIGEST, d)) => digest = d.try_into().ok(),
                Some((&FIELD_KEY, k)) if !k.is_empty() => key = Some((k[0], &k[1..])),
                _ => {}
            }
        }
        if let (Some(d), false) = (digest, marker) {
            parts.delivered(d);
        }
        let take = m.result == rc::OK && !marker && !out.full();
        let row = if take { Some(out.next_row()) } else { None };
        if let Some(row) = row {
            let b = &mut out.cur;
            b.columns.set_row(
                row,
                0,
                m.generation,
                ttl_from_void_time(m.ttl, now_unix_secs),
            );
            if let Some(d) = digest {
                b.digests[row * 20..row * 20 + 20].copy_from_slice(d);
            }
            if let Some((kind, data)) = key {
                put_key(b, row, kind, data);
            }
        }
        for k in 0..m.n_ops as usize {
            let (kind, name, value) = next_op(&mut c)?;
            let Some(row) = row else { continue };
            if let Some(col) = bins.find(name, k) {
                if let Some(v) = Scalar::of_particle(kind, value) {
                    out.cur.columns.set_value(row, col, v);
                }
            }
        }
        if row.is_some() {
            out.close_row();
        }
    }
    Ok(Progress::More)
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
    use crate::ColumnData;

    fn record(gen: u32, digest: u8, key: Option<i64>, ops: &[(&str, u8, &[u8])]) -> Vec<u8> {
        let mut fields = Vec::new();
        put_field(&mut fields, FIELD_DIGEST, &[&[digest; 20]]);
        if let Some(k) = key {
            put_field(
                &mut fields,
                FIELD_KEY,
                &[&[particle::INTEGER], &k.to_be_bytes()],
            );
        }
        let header = Header {
            generation: gen,
            n_fields: 1 + key.is_some() as u16,
            n_ops: ops.len() as u16,
            ..Default::default()
        };
        let mut m = header.encode().to_vec();
        m.extend(fields);
        for (name, kind, data) in ops {
            m.extend_from_slice(&op_head(op::READ, *kind, name.len(), data.len()));
            m.extend_from_slice(name.as_bytes());
            m.extend_from_slice(data);
        }
        m
    }

    fn marker(info3: u8, result: u8) -> Vec<u8> {
        let h = Header {
            info3,
            result,
            ..Default::default()
        };
        h.encode().to_vec()
    }

    #[test]
    fn records_fill_batches_of_the_asked_rows() {
        let spec = vec![("a".to_string(), ColumnType::I64)];
        let names = ["a"];
        let idx = BinIndex::new(&names);
        let mut out = ScanBatches::new(&spec, 2, 0);
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
            read_scan_proto(&body, &idx, 0, &mut out, &mut parts),
            Ok(Progress::More)
        );
        let ready = out.take_ready();
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
            .any(|(p, d)| p == 0x101 && d == Some(&[1; 20])));
        assert!(!parts.pending().any(|(p, _)| p == 0));
        assert_eq!(
            read_scan_proto(&marker(INFO3_LAST, 0), &idx, 0, &mut out, &mut parts),
            Ok(Progress::Done)
        );
        let last = out.finish().unwrap();
        assert_eq!(last.columns.len(), 1);
        assert_eq!(last.digests, vec![2; 20]);
        assert!(out.finish().is_none());
    }

    #[test]
    fn max_records_drops_the_rest_and_errors_carry_the_code() {
        let spec = vec![("a".to_string(), ColumnType::F64)];
        let names = ["a"];
        let idx = BinIndex::new(&names);
        let mut out = ScanBatches::new(&spec, 10, 1);
        let mut parts = Partitions::default();
        let mut body = record(1, 1, None, &[]);
        body.extend(record(1, 2, None, &[("a", particle::FLOAT, &[0; 8])]));
        read_scan_proto(&body, &idx, 0, &mut out, &mut parts).unwrap();
        assert!(out.full());
        assert_eq!(out.finish().unwrap().columns.len(), 1);
        let mut fail = |info3| {
            let m = marker(info3, rc::NAMESPACE);
            read_scan_proto(&m, &idx, 0, &mut out, &mut parts)
        };
        assert_eq!(fail(INFO3_LAST), Err(ReplyError::Server(rc::NAMESPACE)));
        // An unavailable partition does not fail the reply: the next round asks for it again.
        assert_eq!(fail(INFO3_PARTITION_DONE), Ok(Progress::More));
        assert_eq!(parts.take_unavailable(), vec![0]);
        // Every prefix and a byte flip at each position: never a panic.
        for cut in 0..body.len() {
            let _ = read_scan_proto(&body[..cut], &idx, 0, &mut out, &mut parts);
            let mut bad = body.clone();
            bad[cut] ^= 0xff;
            let _ = read_scan_proto(&bad, &idx, 0, &mut out, &mut parts);
        }
    }

    #[test]
    fn request_names_the_partitions_and_bins() {
        let req = ScanRequest {
            namespace: "test",
            set: "s",
            bins: &["a"],
            socket_timeout_ms: 5,
            max_records: 7,
            task_id: 9,
        };
        let mut buf = Vec::new();
        encode_scan(&mut buf, &req, &[1, 258], &[]);
        let h = Header::decode(buf[8..30].try_into().unwrap());
        assert_eq!(
            (h.info1, h.info3, h.n_fields, h.n_ops),
            (INFO1_READ, INFO3_PARTITION_DONE, 6, 1)
        );
        // ns 9, set 6, timeout 9, trid 13, pids 9, max 13, op 9.
        assert_eq!(buf.len(), 30 + 9 + 6 + 9 + 13 + 9 + 13 + 9);
        let pids = 30 + 9 + 6 + 9 + 13;
        assert_eq!(&buf[pids + 4..pids + 9], &[FIELD_PID_ARRAY, 1, 0, 2, 1]);
        // Only resumed partitions: a DIGEST_ARRAY and no PID_ARRAY.
        buf.clear();
        encode_scan(&mut buf, &req, &[], &[[3; 20], [4; 20]]);
        let h = Header::decode(buf[8..30].try_into().unwrap());
        assert_eq!(h.n_fields, 6);
        assert_eq!(buf.len(), 30 + 9 + 6 + 9 + 13 + 45 + 13 + 9);
        assert_eq!(buf[pids + 4], FIELD_DIGEST_ARRAY);
        assert_eq!(&buf[pids + 5..pids + 45], [[3; 20], [4; 20]].as_flattened());
    }
}

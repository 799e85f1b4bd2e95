//! The partition scan request of a direct scan, and the reader of its reply stream: each record
//! message is handed, as wire bytes, to the scan's [`ScanSink`] (column batches,
//! [`crate::scan_columns`], or the addon's object records); no record, bin map or value object
//! is built in between.
//!
//! Layouts follow the protocol reference (docs/aerospike-wire-protocol.md): one AS_MSG with
//! READ and PARTITION_DONE flags, the namespace and set, the socket timeout and task id, the
//! node's whole partitions as a PID_ARRAY (little-endian u16s) and those resumed after a record
//! as a DIGEST_ARRAY (the last digest read from each), max records where given, and one READ op
//! per wanted bin. The reply is a stream of protos, each a run of record messages (digest and
//! user key as fields, bins as ops), partition-done markers (the partition id in the generation
//! field, a non-zero result when the node could not serve it), and a LAST message.

use crate::partitions::Partitions;
use crate::wire::{next_header, whole, Progress, ReplyError};

use aerospike_cdt::bytes::Cursor;
use aerospike_cdt::result as rc;
use aerospike_cdt::wire::msg::{
    op_head, put_field, Header, FIELD_BVAL_ARRAY, FIELD_DIGEST, FIELD_DIGEST_ARRAY,
    FIELD_FILTER_EXP, FIELD_INDEX_NAME, FIELD_INDEX_RANGE, FIELD_INDEX_TYPE, FIELD_KEY,
    FIELD_MAX_RECORDS, FIELD_NAMESPACE, FIELD_PID_ARRAY, FIELD_SET, FIELD_SOCKET_TIMEOUT,
    FIELD_TRID, INFO1_GET_NO_BINS, INFO1_READ, INFO3_LAST, INFO3_PARTITION_DONE,
};
use aerospike_cdt::wire::{op, proto};

/// The secondary-index filter of an index query: its request fields, written once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFilter {
    fields: Vec<u8>,
    n_fields: u16,
}

impl IndexFilter {
    /// The values `begin..=end` (both of particle type `particle`, as the wire writes values)
    /// of the index on bin `bin`, or of the index named `index` (then `bin` is not sent), of
    /// collection type `collection` (0 scalar, 1 list elements, 2 map keys, 3 map values).
    pub fn new(
        bin: &str,
        index: &str,
        collection: u8,
        particle: u8,
        begin: &[u8],
        end: &[u8],
    ) -> IndexFilter {
        let mut fields = Vec::with_capacity(32 + bin.len() + index.len() + begin.len() + end.len());
        let mut n_fields = 1;
        if collection != 0 {
            put_field(&mut fields, FIELD_INDEX_TYPE, &[&[collection]]);
            n_fields += 1;
        }
        let bin = if index.is_empty() { bin } else { "" };
        let (begin_len, end_len) = ((begin.len() as u32), (end.len() as u32));
        put_field(
            &mut fields,
            FIELD_INDEX_RANGE,
            &[
                &[1, bin.len() as u8],
                bin.as_bytes(),
                &[particle],
                &begin_len.to_be_bytes(),
                begin,
                &end_len.to_be_bytes(),
                end,
            ],
        );
        if !index.is_empty() {
            put_field(&mut fields, FIELD_INDEX_NAME, &[index.as_bytes()]);
            n_fields += 1;
        }
        IndexFilter { fields, n_fields }
    }
}

/// What one node's scan request asks.
pub struct ScanRequest<'a> {
    pub namespace: &'a str,
    pub set: &'a str,
    /// The bins to read; empty reads none (only metadata, digests and keys) unless `all`.
    pub bins: &'a [&'a str],
    /// Read every bin (`bins` is then empty).
    pub all: bool,
    pub socket_timeout_ms: u32,
    /// At most this many records from the node (0 = all).
    pub max_records: u64,
    pub task_id: u64,
    /// An index query's filter (None: a scan).
    pub index: Option<&'a IndexFilter>,
    /// A filter expression, packed: the server sends only the records it selects.
    pub filter_exp: Option<&'a [u8]>,
}

/// Appends the complete request (proto header included) scanning partitions `pids` whole and
/// the partitions of `resume` after each of those digests (an index query: and bvals).
pub fn encode_scan(
    buf: &mut Vec<u8>,
    req: &ScanRequest<'_>,
    pids: &[u16],
    resume: &[([u8; 20], u64)],
) {
    let start = buf.len();
    buf.extend_from_slice(&[0; 8]);
    let bvals = req.index.is_some() && !resume.is_empty();
    let n_fields = 3
        + !req.set.is_empty() as u16
        + req.index.map_or(0, |f| f.n_fields)
        + req.filter_exp.is_some() as u16
        + !pids.is_empty() as u16
        + !resume.is_empty() as u16
        + bvals as u16
        + (req.max_records > 0) as u16;
    let header = Header {
        info1: INFO1_READ
            | if req.bins.is_empty() && !req.all {
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
    if let Some(f) = req.index {
        buf.extend_from_slice(&f.fields);
    }
    if let Some(exp) = req.filter_exp {
        put_field(buf, FIELD_FILTER_EXP, &[exp]);
    }
    if !pids.is_empty() {
        let pid_bytes: Vec<u8> = pids.iter().flat_map(|p| p.to_le_bytes()).collect();
        put_field(buf, FIELD_PID_ARRAY, &[&pid_bytes]);
    }
    if !resume.is_empty() {
        let digests: Vec<u8> = resume.iter().flat_map(|(d, _)| *d).collect();
        put_field(buf, FIELD_DIGEST_ARRAY, &[&digests]);
    }
    if bvals {
        let bvals: Vec<u8> = resume.iter().flat_map(|(_, b)| b.to_le_bytes()).collect();
        put_field(buf, FIELD_BVAL_ARRAY, &[&bvals]);
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

/// One record message of a scan reply, as the reader hands it to the sink.
pub struct ScanRecord<'a> {
    pub generation: u32,
    pub void_time: u32,
    pub digest: Option<&'a [u8; 20]>,
    /// The namespace and set fields (empty when the reply has none).
    pub namespace: &'a [u8],
    pub set: &'a [u8],
    /// The user key: its particle type and bytes.
    pub key: Option<(u8, &'a [u8])>,
    /// The index value an index query found the record under.
    pub bval: Option<u64>,
    /// Exactly the record's `n_ops` ops (each: size, op, particle type, version, name length,
    /// name, value).
    pub ops: &'a [u8],
    pub n_ops: usize,
}

/// What a direct scan fills with the records it reads, in batches of its own making.
pub trait ScanSink: Send + 'static {
    type Batch: Send + 'static;
    /// Whether the sink makes object records (counted apart from column scans).
    const OBJECTS: bool = false;
    /// Takes one record (arrival order, any node).
    fn record(&mut self, rec: &ScanRecord<'_>, now_unix_secs: u64) -> Result<(), ReplyError>;
    /// The batches completed so far.
    fn take_ready(&mut self) -> Vec<Self::Batch>;
    /// The consumer waits with nothing buffered: a sink that hands partial batches over makes
    /// the one it fills ready now. The default keeps filling.
    fn flush(&mut self) {}
    /// The last, partly filled batch (None when it has no records).
    fn finish(&mut self) -> Option<Self::Batch>;
}

/// A scan's sink and how many more records it takes.
pub struct ScanFill<S> {
    pub sink: S,
    /// Records still taken (u64::MAX when unlimited).
    left: u64,
}

impl<S: ScanSink> ScanFill<S> {
    /// `sink`, taking at most `max_records` records in all (0 = no limit).
    pub fn new(sink: S, max_records: u64) -> Self {
        let left = if max_records == 0 {
            u64::MAX
        } else {
            max_records
        };
        ScanFill { sink, left }
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
}

/// How many bytes the first `n` ops of `ops` take.
fn ops_len(ops: &[u8], n: usize) -> Result<usize, ReplyError> {
    let mut at = 0usize;
    for _ in 0..n {
        let size = ops
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or(ReplyError::Protocol("truncated reply message"))?;
        if size < 4 {
            return Err(ReplyError::Protocol("bad op size"));
        }
        at += 4 + size;
    }
    if at > ops.len() {
        return Err(ReplyError::Protocol("truncated reply message"));
    }
    Ok(at)
}

/// Reads one proto body of a scan reply into `out`, noting each record's digest and each
/// partition-done marker in `parts`. A partition-done marker with a non-zero code marks its
/// partition unavailable (the next round asks for it again). A record message whose code is not
/// OK (not found, filtered out) is skipped as the client crate skips it; any other code, on a
/// record or the LAST message, fails the node's reply with it.
pub fn read_scan_proto<S: ScanSink>(
    body: &[u8],
    now_unix_secs: u64,
    out: &mut ScanFill<S>,
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
        let mut rec = ScanRecord {
            generation: m.generation,
            void_time: m.ttl,
            digest: None,
            namespace: &[],
            set: &[],
            key: None,
            bval: None,
            ops: &[],
            n_ops: m.n_ops as usize,
        };
        for _ in 0..m.n_fields {
            let size = whole(c.u32())? as usize;
            let field = whole(c.take(size))?;
            match field.split_first() {
                Some((&FIELD_DIGEST, d)) => rec.digest = d.try_into().ok(),
                Some((&FIELD_NAMESPACE, ns)) => rec.namespace = ns,
                Some((&FIELD_SET, set)) => rec.set = set,
                Some((&FIELD_KEY, k)) if !k.is_empty() => rec.key = Some((k[0], &k[1..])),
                Some((&FIELD_BVAL_ARRAY, b)) => {
                    rec.bval = b.try_into().ok().map(u64::from_le_bytes);
                }
                _ => {}
            }
        }
        let rest = &body[c.position()..];
        let used = ops_len(rest, rec.n_ops)?;
        rec.ops = &rest[..used];
        whole(c.take(used))?;
        if marker {
            continue;
        }
        if let Some(d) = rec.digest {
            parts.delivered(d, rec.bval);
        }
        if m.result == rc::OK && !out.full() {
            out.left -= 1;
            out.sink.record(&rec, now_unix_secs)?;
        }
    }
    Ok(Progress::More)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use aerospike_cdt::wire::particle;

    /// A record message: generation, digest `[digest; 20]`, an integer user key, and ops
    /// `(bin, particle type, value)`.
    pub(crate) fn record(
        gen: u32,
        digest: u8,
        key: Option<i64>,
        ops: &[(&str, u8, &[u8])],
    ) -> Vec<u8> {
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

    pub(crate) fn marker(info3: u8, result: u8) -> Vec<u8> {
        let h = Header {
            info3,
            result,
            ..Default::default()
        };
        h.encode().to_vec()
    }

    /// What the reader handed over of one record: generation, digest byte, key, ops bytes, n_ops.
    type Seen = (u32, u8, Option<(u8, Vec<u8>)>, Vec<u8>, usize);

    #[derive(Default)]
    struct Noted(Vec<Seen>);

    impl ScanSink for Noted {
        type Batch = ();
        fn record(&mut self, r: &ScanRecord<'_>, _now: u64) -> Result<(), ReplyError> {
            let key = r.key.map(|(t, k)| (t, k.to_vec()));
            let d = r.digest.map_or(0, |d| d[0]);
            self.0.push((r.generation, d, key, r.ops.to_vec(), r.n_ops));
            Ok(())
        }
        fn take_ready(&mut self) -> Vec<()> {
            Vec::new()
        }
        fn finish(&mut self) -> Option<()> {
            None
        }
    }

    #[test]
    fn the_sink_gets_each_record_with_exactly_its_ops() {
        let seven = 7i64.to_be_bytes();
        let first = record(3, 1, Some(9), &[("a", particle::INTEGER, &seven)]);
        let ops_at = first.len() - (8 + 1 + 8);
        let mut body = first.clone();
        body.extend(marker(INFO3_PARTITION_DONE, 0));
        body.extend(marker(0, rc::FILTERED_OUT));
        body.extend(record(4, 2, None, &[]));
        let mut out = ScanFill::new(Noted::default(), 0);
        let mut parts = Partitions::default();
        assert_eq!(
            read_scan_proto(&body, 0, &mut out, &mut parts),
            Ok(Progress::More)
        );
        let noted = &out.sink.0;
        assert_eq!(noted.len(), 2);
        let key = Some((particle::INTEGER, 9i64.to_be_bytes().to_vec()));
        assert_eq!(noted[0], (3, 1, key, first[ops_at..].to_vec(), 1));
        assert_eq!(noted[1], (4, 2, None, Vec::new(), 0));
        assert_eq!(
            read_scan_proto(&marker(INFO3_LAST, 0), 0, &mut out, &mut parts),
            Ok(Progress::Done)
        );
    }

    #[test]
    fn max_records_drops_the_rest_and_errors_carry_the_code() {
        let mut out = ScanFill::new(Noted::default(), 1);
        let mut parts = Partitions::default();
        let mut body = record(1, 1, None, &[]);
        body.extend(record(1, 2, None, &[("a", particle::FLOAT, &[0; 8])]));
        read_scan_proto(&body, 0, &mut out, &mut parts).unwrap();
        assert!(out.full());
        assert_eq!(out.sink.0.len(), 1);
        // The dropped record still counts as read for its partition's resume point.
        assert!(parts.pending().any(|(_, d)| d == Some(&([2; 20], 0))));
        let mut fail = |info3| {
            let m = marker(info3, rc::NAMESPACE);
            read_scan_proto(&m, 0, &mut out, &mut parts)
        };
        assert_eq!(fail(INFO3_LAST), Err(ReplyError::Server(rc::NAMESPACE)));
        // An unavailable partition does not fail the reply: the next round asks for it again.
        assert_eq!(fail(INFO3_PARTITION_DONE), Ok(Progress::More));
        assert_eq!(parts.take_unavailable(), vec![0]);
        // Every prefix and a byte flip at each position: never a panic.
        for cut in 0..body.len() {
            let _ = read_scan_proto(&body[..cut], 0, &mut out, &mut parts);
            let mut bad = body.clone();
            bad[cut] ^= 0xff;
            let _ = read_scan_proto(&bad, 0, &mut out, &mut parts);
        }
    }

    #[test]
    fn index_filters_carry_the_range_and_the_index() {
        // A range on bin "n": n_ranges, name, particle, begin and end with their lengths.
        let (range, int, string) = (FIELD_INDEX_RANGE, particle::INTEGER, particle::STRING);
        let by_bin = IndexFilter::new("n", "", 0, int, &[0, 1], &[0, 2]);
        let mut want = vec![0, 0, 0, 17, range, 1, 1, b'n', int];
        want.extend([0, 0, 0, 2, 0, 1, 0, 0, 0, 2, 0, 2]);
        let fields = |fields, n_fields| IndexFilter { fields, n_fields };
        assert_eq!(by_bin, fields(want, 1));
        // By index name on a list index: the type first, no bin name in the range, the name.
        let named = IndexFilter::new("n", "ix", 1, string, b"a", b"a");
        let mut want = vec![0, 0, 0, 2, FIELD_INDEX_TYPE, 1];
        want.extend([
            0, 0, 0, 14, range, 1, 0, string, 0, 0, 0, 1, b'a', 0, 0, 0, 1, b'a',
        ]);
        want.extend([0, 0, 0, 3, FIELD_INDEX_NAME, b'i', b'x']);
        assert_eq!(named, fields(want, 3));
        // A resumed index query sends the bval of each resumed partition after the digests.
        let req = ScanRequest {
            namespace: "t",
            set: "",
            bins: &[],
            all: true,
            socket_timeout_ms: 0,
            max_records: 0,
            task_id: 1,
            index: Some(&by_bin),
            filter_exp: Some(&[0x93, 3, 1, 2]),
        };
        let mut buf = Vec::new();
        encode_scan(&mut buf, &req, &[], &[([3; 20], 7)]);
        let h = Header::decode(buf[8..30].try_into().unwrap());
        assert_eq!(h.n_fields, 7);
        let exp = [0, 0, 0, 5, FIELD_FILTER_EXP, 0x93, 3, 1, 2];
        assert!(buf.windows(exp.len()).any(|w| w == exp));
        let tail = [&[0, 0, 0, 9, FIELD_BVAL_ARRAY][..], &7u64.to_le_bytes()].concat();
        assert!(buf.ends_with(&tail));
    }

    #[test]
    fn request_names_the_partitions_and_bins() {
        let req = ScanRequest {
            namespace: "test",
            set: "s",
            bins: &["a"],
            all: false,
            socket_timeout_ms: 5,
            max_records: 7,
            task_id: 9,
            index: None,
            filter_exp: None,
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
        encode_scan(&mut buf, &req, &[], &[([3; 20], 1), ([4; 20], 2)]);
        let h = Header::decode(buf[8..30].try_into().unwrap());
        assert_eq!(h.n_fields, 6);
        assert_eq!(buf.len(), 30 + 9 + 6 + 9 + 13 + 45 + 13 + 9);
        assert_eq!(buf[pids + 4], FIELD_DIGEST_ARRAY);
        assert_eq!(&buf[pids + 5..pids + 45], [[3; 20], [4; 20]].as_flattened());
        // Every bin: no op and no NO_BINS flag; none: the flag.
        for (all, flag) in [(true, 0), (false, INFO1_GET_NO_BINS)] {
            buf.clear();
            let every = ScanRequest {
                bins: &[],
                all,
                ..req
            };
            encode_scan(&mut buf, &every, &[1], &[]);
            let h = Header::decode(buf[8..30].try_into().unwrap());
            assert_eq!((h.info1, h.n_ops), (INFO1_READ | flag, 0));
        }
    }
}

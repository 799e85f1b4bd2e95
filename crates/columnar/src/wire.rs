//! The batch-index request for a columnar read, and the reader that turns the server's reply
//! stream straight into columns (no record, bin map or value object in between).
//!
//! Layouts follow the protocol reference (docs/aerospike-wire-protocol.md §3 and §5): one
//! AS_MSG whose BATCH_INDEX field lists rows of (index, digest, row header); consecutive rows
//! with the same namespace and set are sent as REPEAT rows. The reply is a stream of protos,
//! each a run of AS_MSGs, one per row (`transaction_ttl` carries the row's index), ended by a
//! message flagged LAST.

use crate::{ttl_from_void_time, Columns, Scalar};

use aerospike_cdt::bytes::Cursor;
use aerospike_cdt::result as rc;
use aerospike_cdt::wire::batch::*;
use aerospike_cdt::wire::msg::{
    op_head, put_field, Header, FIELD_BATCH_INDEX, FIELD_FILTER_EXP, FIELD_NAMESPACE, FIELD_SET,
    HEADER_LEN, INFO1_BATCH, INFO1_GET_ALL, INFO1_GET_NO_BINS, INFO1_READ, INFO3_LAST,
};
use aerospike_cdt::wire::{op, proto};

/// Proto type of an AS_MSG.
pub const TYPE_MSG: u8 = proto::TYPE_MSG;
/// The largest proto this reader accepts (the server packs about 128 KiB per proto).
pub const MAX_PROTO: usize = 64 << 20;

/// The batch policy settings that travel in the request.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestPolicy {
    /// Server-side deadline in milliseconds (0 = server default).
    pub total_timeout_ms: u32,
    pub respond_all_keys: bool,
    pub allow_inline: bool,
    pub allow_inline_ssd: bool,
    /// The rows' read-touch percent, as the crate sends a read row's `read_touch_ttl`
    /// (0 = the server's default).
    pub read_touch: u32,
}

/// Which bins every row of a batch read asks for, with the read flags the crate sends for it.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every bin (`GET_ALL`, no ops).
    All,
    /// These bins, one READ op each.
    Named(&'a [&'a str]),
    /// No bin: the record's header only (`GET_NO_BINS`).
    Header,
}

impl Selection<'_> {
    fn info1(&self) -> u8 {
        match self {
            Selection::All => INFO1_READ | INFO1_GET_ALL,
            Selection::Named(_) => INFO1_READ,
            Selection::Header => INFO1_READ | INFO1_GET_NO_BINS,
        }
    }

    fn names(&self) -> &[&str] {
        match self {
            Selection::Named(n) => n,
            _ => &[],
        }
    }
}

/// One row of the request: its position in the caller's key list, namespace, set and digest.
pub struct Row<'a> {
    pub index: u32,
    pub namespace: &'a str,
    pub set: &'a str,
    pub digest: &'a [u8; 20],
}

/// Appends the complete request (proto header included) reading `bins` of every row.
/// Bin names must be 1..=15 bytes; namespaces and sets as the key checks allow.
pub fn encode_request(buf: &mut Vec<u8>, policy: &RequestPolicy, bins: &[&str], rows: &[Row<'_>]) {
    encode_read(buf, policy, None, Selection::Named(bins), rows.iter());
}

/// Appends the complete request (proto header included) reading `sel` of every row, laid out
/// as the crate lays out its batch read rows, with the batch policy's filter expression
/// (packed) when there is one.
pub fn encode_read<'r, 'a: 'r>(
    buf: &mut Vec<u8>,
    policy: &RequestPolicy,
    filter_exp: Option<&[u8]>,
    sel: Selection<'_>,
    rows: impl ExactSizeIterator<Item = &'r Row<'a>>,
) {
    let bins = sel.names();
    let open = open_batch(buf, policy, filter_exp, rows.len());
    let mut prev: Option<(&str, &str)> = None;
    for row in rows {
        buf.extend_from_slice(&row.index.to_be_bytes());
        buf.extend_from_slice(row.digest);
        if prev == Some((row.namespace, row.set)) {
            buf.push(ROW_REPEAT);
            continue;
        }
        prev = Some((row.namespace, row.set));
        buf.extend_from_slice(&[ROW_INFO | ROW_TTL, sel.info1(), 0, 0]);
        buf.extend_from_slice(&policy.read_touch.to_be_bytes());
        buf.extend_from_slice(&(2 + filter_exp.is_some() as u16).to_be_bytes());
        buf.extend_from_slice(&(bins.len() as u16).to_be_bytes());
        put_field(buf, FIELD_NAMESPACE, &[row.namespace.as_bytes()]);
        put_field(buf, FIELD_SET, &[row.set.as_bytes()]);
        // The crate repeats the batch policy's filter in every row it writes out in full.
        if let Some(exp) = filter_exp {
            put_field(buf, FIELD_FILTER_EXP, &[exp]);
        }
        for bin in bins {
            buf.extend_from_slice(&op_head(op::READ, 0, bin.len(), 0));
            buf.extend_from_slice(bin.as_bytes());
        }
    }
    close_batch(buf, open);
}

/// Where an open batch request starts and where its BATCH_INDEX field does.
pub(crate) struct OpenBatch {
    start: usize,
    field_at: usize,
}

/// Appends the proto header, the parent message (only the BATCH flag; the rows say what they
/// do; a filter expression for every row, as the crate puts the batch policy's) and the head
/// of the BATCH_INDEX field of a request of `n_rows` rows, lengths to come.
pub(crate) fn open_batch(
    buf: &mut Vec<u8>,
    policy: &RequestPolicy,
    filter_exp: Option<&[u8]>,
    n_rows: usize,
) -> OpenBatch {
    let start = buf.len();
    buf.extend_from_slice(&[0; 8]);
    let header = Header {
        info1: INFO1_BATCH,
        txn_ttl: policy.total_timeout_ms,
        n_fields: 1 + filter_exp.is_some() as u16,
        ..Default::default()
    };
    buf.extend_from_slice(&header.encode());
    if let Some(exp) = filter_exp {
        put_field(buf, FIELD_FILTER_EXP, &[exp]);
    }
    let field_at = buf.len();
    buf.extend_from_slice(&[0; 4]);
    buf.push(FIELD_BATCH_INDEX);
    buf.extend_from_slice(&(n_rows as u32).to_be_bytes());
    let mut flags = PARENT_REPORT_ERROR_ROW;
    if policy.allow_inline {
        flags |= PARENT_ALLOW_INLINE;
    }
    if policy.allow_inline_ssd {
        flags |= PARENT_ALLOW_INLINE_SSD;
    }
    if policy.respond_all_keys {
        flags |= PARENT_RESPOND_ALL_KEYS;
    }
    buf.push(flags);
    OpenBatch { start, field_at }
}

/// Fills in the lengths of the request `open` began, once its rows are written.
pub(crate) fn close_batch(buf: &mut [u8], open: OpenBatch) {
    let OpenBatch { start, field_at } = open;
    let field_len = (buf.len() - field_at - 4) as u32;
    buf[field_at..field_at + 4].copy_from_slice(&field_len.to_be_bytes());
    let body_len = buf.len() - start - proto::HEADER_LEN;
    buf[start..start + proto::HEADER_LEN].copy_from_slice(&proto::header(TYPE_MSG, body_len));
}

/// Splits an 8-byte proto header into (type, body length).
pub fn proto_header(h: &[u8; 8]) -> Result<(u8, usize), ReplyError> {
    let (version, kind, len) = proto::split(h);
    if version != proto::VERSION {
        return Err(ReplyError::Protocol("unexpected proto version"));
    }
    let len = len as usize;
    if len > MAX_PROTO {
        return Err(ReplyError::Protocol("reply proto too large"));
    }
    Ok((kind, len))
}

/// What went wrong reading a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyError {
    /// The bytes do not follow the protocol.
    Protocol(&'static str),
    /// The batch as a whole failed with this server result code.
    Server(u8),
}

/// Where a reply stream stands after one proto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// More protos follow.
    More,
    /// The LAST message arrived.
    Done,
}

/// Resolves reply bin names to column positions; built once per call.
pub struct BinIndex {
    names: Vec<Box<[u8]>>,
}

impl BinIndex {
    pub fn new(names: &[&str]) -> Self {
        BinIndex {
            names: names.iter().map(|n| n.as_bytes().into()).collect(),
        }
    }

    /// The column of bin `name`, tried first at `hint` (the server sends a record's bins in the
    /// order they were asked for, so the op's position usually names its column). Names are at
    /// most 15 bytes: a byte loop beats a `memcmp` call per candidate, which showed in profiles
    /// of million-record scans.
    pub(crate) fn find(&self, name: &[u8], hint: usize) -> Option<usize> {
        let same = |n: &[u8]| n.len() == name.len() && n.iter().zip(name).all(|(a, b)| a == b);
        if self.names.get(hint).is_some_and(|n| same(n)) {
            return Some(hint);
        }
        self.names.iter().position(|n| same(n))
    }
}

/// A reply that ends in the middle of a message.
pub(crate) fn whole<T>(read: Option<T>) -> Result<T, ReplyError> {
    read.ok_or(ReplyError::Protocol("truncated reply message"))
}

/// The next message header of a reply (its extra header bytes skipped).
pub(crate) fn next_header(c: &mut Cursor<'_>) -> Result<Header, ReplyError> {
    let h: &[u8; HEADER_LEN] = whole(c.take(HEADER_LEN).and_then(|h| h.try_into().ok()))?;
    let header_sz = h[0] as usize;
    if header_sz < HEADER_LEN {
        return Err(ReplyError::Protocol("bad message header size"));
    }
    whole(c.take(header_sz - HEADER_LEN))?;
    Ok(Header::decode(h))
}

/// The next op of a message: (particle type, bin name, value bytes).
pub(crate) fn next_op<'a>(c: &mut Cursor<'a>) -> Result<(u8, &'a [u8], &'a [u8]), ReplyError> {
    let size = whole(c.u32())? as usize;
    if size < 4 {
        return Err(ReplyError::Protocol("bad op size"));
    }
    let op = whole(c.take(size))?;
    let (particle, name_len) = (op[1], op[3] as usize);
    if 4 + name_len > op.len() {
        return Err(ReplyError::Protocol("bad bin name length"));
    }
    Ok((particle, &op[4..4 + name_len], &op[4 + name_len..]))
}

/// Reads one proto body of a batch reply into `out`. Rows are placed by the index the server
/// echoes; an index outside the request is a protocol error (nothing is written out of bounds).
pub fn read_proto(
    body: &[u8],
    bins: &BinIndex,
    now_unix_secs: u64,
    out: &mut Columns,
) -> Result<Progress, ReplyError> {
    let mut c = Cursor::new(body);
    while !c.at_end() {
        let Header {
            info3,
            result,
            generation,
            ttl: void_time,
            txn_ttl: index,
            n_fields,
            n_ops,
            ..
        } = next_header(&mut c)?;
        let index = index as usize;
        if info3 & INFO3_LAST != 0 {
            return match result {
                rc::OK | rc::KEY_NOT_FOUND => Ok(Progress::Done),
                code => Err(ReplyError::Server(code)),
            };
        }
        for _ in 0..n_fields {
            let size = whole(c.u32())? as usize;
            whole(c.take(size))?;
        }
        if index >= out.len() {
            return Err(ReplyError::Protocol("reply row index outside the batch"));
        }
        out.set_row(
            index,
            result as i32,
            generation,
            ttl_from_void_time(void_time, now_unix_secs),
        );
        for k in 0..n_ops as usize {
            let (particle, name, value) = next_op(&mut c)?;
            if result != 0 {
                continue;
            }
            if let Some(col) = bins.find(name, k) {
                if let Some(v) = Scalar::of_particle(particle, value) {
                    out.set_value(index, col, v);
                }
            }
        }
    }
    Ok(Progress::More)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ColumnData, ColumnType};
    use aerospike_cdt::wire::particle;

    #[test]
    fn bin_names_resolve_with_or_without_the_hint() {
        let names = ["a", "bb", "b"];
        let idx = BinIndex::new(&names);
        assert_eq!(idx.find(b"bb", 1), Some(1));
        assert_eq!(idx.find(b"bb", 0), Some(1));
        assert_eq!(idx.find(b"b", 9), Some(2));
        assert_eq!(idx.find(b"a", 2), Some(0));
        assert_eq!(idx.find(b"bbb", 1), None);
        assert_eq!(idx.find(b"", 0), None);
    }

    fn msg(
        result: u8,
        gen: u32,
        void: u32,
        index: u32,
        info3: u8,
        ops: &[(&str, u8, &[u8])],
    ) -> Vec<u8> {
        let header = Header {
            info3,
            result,
            generation: gen,
            ttl: void,
            txn_ttl: index,
            n_ops: ops.len() as u16,
            ..Default::default()
        };
        let mut m = header.encode().to_vec();
        for (name, particle, data) in ops {
            m.extend_from_slice(&op_head(op::READ, *particle, name.len(), data.len()));
            m.extend_from_slice(name.as_bytes());
            m.extend_from_slice(data);
        }
        m
    }

    fn spec() -> Vec<(String, ColumnType)> {
        vec![("a".into(), ColumnType::F64), ("c".into(), ColumnType::I64)]
    }

    #[test]
    fn rows_land_by_index_with_metadata_and_conversions() {
        let now = aerospike::CITRUSLEAF_EPOCH_UNIX_SECS;
        let mut body = msg(
            0,
            3,
            50,
            1,
            0,
            &[
                ("a", particle::FLOAT, &2.5f64.to_be_bytes()),
                ("c", particle::INTEGER, &(-7i64).to_be_bytes()),
            ],
        );
        body.extend(msg(2, 0, 0, 0, 0, &[]));
        body.extend(msg(
            0,
            1,
            0,
            2,
            0,
            &[
                ("a", particle::INTEGER, &[5]),
                ("c", 3, b"str"),
                ("zz", particle::INTEGER, &[1]),
            ],
        ));
        body.extend(msg(0, 0, 0, 0, INFO3_LAST, &[]));
        let names = ["a", "c"];
        let mut out = Columns::empty(&spec(), 3);
        assert_eq!(
            read_proto(&body, &BinIndex::new(&names), now, &mut out),
            Ok(Progress::Done)
        );
        assert_eq!(out.status, vec![2, 0, 0]);
        assert_eq!(out.generation, vec![0, 3, 1]);
        assert_eq!(out.ttl, vec![0, 50, -1]);
        let ColumnData::F64(a) = &out.columns[0].data else {
            panic!()
        };
        assert!(a[0].is_nan());
        assert_eq!(&a[1..], &[2.5, 5.0]);
        assert_eq!(out.columns[1].data, ColumnData::I64(vec![0, -7, 0]));
        assert_eq!(out.columns[1].valid, vec![0, 1, 0]);
        assert_eq!(out.columns[1].mismatched, 1);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let names = ["a", "c"];
        let idx = BinIndex::new(&names);
        let mut out = Columns::empty(&spec(), 2);
        // Row index beyond the batch.
        assert!(read_proto(&msg(0, 1, 0, 9, 0, &[]), &idx, 0, &mut out).is_err());
        // Truncated header and op.
        assert!(read_proto(&[22, 0, 0], &idx, 0, &mut out).is_err());
        let mut m = msg(0, 1, 0, 0, 0, &[("a", particle::FLOAT, &[0; 8])]);
        m.truncate(m.len() - 3);
        assert!(read_proto(&m, &idx, 0, &mut out).is_err());
        // Every prefix and a byte flip at each position: never a panic.
        let good = msg(
            0,
            1,
            0,
            1,
            0,
            &[
                ("a", particle::FLOAT, &[1; 8]),
                ("c", particle::INTEGER, &[2; 8]),
            ],
        );
        for cut in 0..good.len() {
            let _ = read_proto(&good[..cut], &idx, 0, &mut out);
            let mut bad = good.clone();
            bad[cut] ^= 0xff;
            let _ = read_proto(&bad, &idx, 0, &mut out);
        }
        // A failed batch reports the server's code.
        assert_eq!(
            read_proto(&msg(9, 0, 0, 0, INFO3_LAST, &[]), &idx, 0, &mut out),
            Err(ReplyError::Server(9))
        );
    }

    #[test]
    fn request_repeats_rows_of_the_same_namespace_and_set() {
        let d = [7u8; 20];
        let rows = [
            Row {
                index: 0,
                namespace: "test",
                set: "s",
                digest: &d,
            },
            Row {
                index: 1,
                namespace: "test",
                set: "s",
                digest: &d,
            },
            Row {
                index: 2,
                namespace: "test",
                set: "t",
                digest: &d,
            },
        ];
        let mut buf = Vec::new();
        let policy = RequestPolicy {
            total_timeout_ms: 1000,
            respond_all_keys: true,
            ..Default::default()
        };
        encode_request(&mut buf, &policy, &["a", "bb"], &rows);
        let (kind, len) = proto_header(buf[..8].try_into().unwrap()).unwrap();
        assert_eq!((kind, len), (TYPE_MSG, buf.len() - 8));
        assert_eq!(buf[9], INFO1_BATCH);
        // full row: 4 + 20 + 1 + 3 + 4 + 2 + 2 + (5+4) + (5+1) + (8+1) + (8+2) = 70
        // repeat row: 25; the third row is full again (set "t").
        let field_data = 4 + 1 + 70 + 25 + 70;
        assert_eq!(buf.len(), 8 + 22 + 5 + field_data);
        assert_eq!(buf[8 + 22 + 5 + 4 + 1 + 70 + 24], ROW_REPEAT);
        // A filter expression goes in the parent message, before the rows.
        let mut filtered = Vec::new();
        let exp = [0x93, 3, 1, 2];
        encode_read(
            &mut filtered,
            &policy,
            Some(&exp),
            Selection::All,
            rows.iter(),
        );
        assert_eq!(filtered[8 + 19], 2);
        assert_eq!(
            &filtered[30..39],
            &[0, 0, 0, 5, FIELD_FILTER_EXP, 0x93, 3, 1, 2]
        );
        assert_eq!(filtered[39 + 4], FIELD_BATCH_INDEX);
        // …and in each row written in full: 3 fields, the filter after namespace and set.
        let row = 39 + 5 + 4 + 1;
        assert_eq!(&filtered[row + 24 + 8..row + 24 + 10], &[0, 3]);
        let exp_at = row + 24 + 12 + 9 + 6;
        assert_eq!(
            &filtered[exp_at..exp_at + 9],
            &[0, 0, 0, 5, FIELD_FILTER_EXP, 0x93, 3, 1, 2]
        );
    }
}

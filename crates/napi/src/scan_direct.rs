//! Record scans and index queries on the direct path: a scan or query runs one partition scan
//! per node over the columnar path's own connections
//! ([`aerospike_columnar::direct`]), and each record is written from the wire straight into the
//! chunk bytes `next()` answers with ([`crate::transcode`]), the very bytes the crate's path
//! writes from its `Record`s. The crate's stream parses every record into a key, a bin map and
//! a `Value` per bin first, which costs more than the rest of the scan put together.
//!
//! The path takes the scans it can run exactly as the crate would (see [`scan_call`]); any
//! other query, and any scan the direct reader declines (no partition map yet, say), runs on
//! the crate's stream. Once started, timeouts, retries by partition and errors are the direct
//! scan's, which follows the crate's and the official client's rules.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use aerospike::{Bins, PartitionFilter, QueryPolicy, Statement};
use aerospike_columnar::direct::{packed_expression, DirectReader, ScanCall};
use aerospike_columnar::scan_wire::{IndexFilter, ScanRecord, ScanSink};
use aerospike_columnar::wire::ReplyError;
use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use tokio::sync::Mutex;

use crate::codec::{Writer, NIL};
use crate::error::{js_error, promise, Result};
use crate::particle::particle_value;
use crate::policy::Decode;
use crate::query::{encode_chunk, take, NativeQuery, State};
use crate::transcode::{self, RecordOps};

/// Bin names the wire allows (the crate's path reports longer ones its own way).
const MAX_BIN_NAME: usize = 15;

/// The direct scan a query's request asks for, with `read` and `all` left to the caller, or
/// None when it needs the crate's query: an index filter this path does not send (`index`
/// is its wire form), compression, a partition range or digest, a records-per-second limit,
/// operations, or a cursor (`crate_only`: one resumes it, or one will be taken from it). A
/// filter expression goes as the crate sends it: its packed bytes.
pub(crate) fn scan_call(
    (policy, partitions, stmt): &(QueryPolicy, PartitionFilter, Statement),
    index: Option<&IndexFilter>,
    crate_only: bool,
) -> Option<ScanCall> {
    let base = &policy.base_policy;
    let filter_exp = match &base.filter_expression {
        None => None,
        Some(e) => Some(packed_expression(e)?),
    };
    let whole = partitions.begin == 0 && partitions.count == 4096 && partitions.digest.is_none();
    if crate_only
        || !whole
        || stmt.filter.is_some() != index.is_some()
        || stmt.operations.is_some()
        || base.use_compression
        || policy.records_per_second > 0
    {
        return None;
    }
    Some(ScanCall {
        namespace: stmt.namespace.clone(),
        set: stmt.set_name.clone(),
        read: Vec::new(),
        all: false,
        index: index.cloned(),
        filter_exp,
        max_records: policy.max_records,
        socket_timeout_ms: base.socket_timeout,
        total_timeout_ms: base.total_timeout,
        max_retries: base.max_retries,
        sleep_between_retries_ms: base.sleep_between_retries,
    })
}

/// The direct object scan of `q`'s statement: every bin, none, or the named ones (distinct,
/// and names the wire allows).
fn object_call(
    q: &(QueryPolicy, PartitionFilter, Statement),
    index: Option<&IndexFilter>,
    crate_only: bool,
) -> Option<ScanCall> {
    let mut call = scan_call(q, index, crate_only)?;
    match &q.2.bins {
        Bins::All => call.all = true,
        Bins::None => {}
        Bins::Some(names) => {
            let fine = |(i, n): (usize, &String)| {
                !n.is_empty() && n.len() <= MAX_BIN_NAME && !names[..i].contains(n)
            };
            if names.is_empty() || !names.iter().enumerate().all(fine) {
                return None;
            }
            call.read = names.clone();
        }
    }
    Some(call)
}

/// Chunks of at most `rows` records in `next()`'s format (`u8 done, u32 n`, then per record
/// `str ns, str set, value userKey, record`, then the records' digests), `done` always 0: the
/// end is a chunk of its own.
pub struct ObjectChunks {
    rows: u32,
    decode: Decode,
    cur: Writer,
    /// The digests of the chunk's records, 20 bytes each, appended when it is sealed.
    digests: Vec<u8>,
    n: u32,
    ready: Vec<Vec<u8>>,
}

/// Where a chunk's record count sits (after its `done` byte).
const COUNT_AT: usize = 1;

fn bad(what: &'static str) -> ReplyError {
    ReplyError::Protocol(what)
}

impl ObjectChunks {
    pub fn new(rows: u32, decode: Decode) -> Self {
        ObjectChunks {
            rows: rows.max(1),
            decode,
            cur: fresh(),
            digests: Vec::with_capacity(rows.max(1) as usize * 20),
            n: 0,
            ready: Vec::new(),
        }
    }

    /// The chunk filled so far, its count written in.
    fn seal(&mut self) -> Vec<u8> {
        let mut chunk = std::mem::replace(&mut self.cur, fresh()).buf;
        chunk[COUNT_AT..COUNT_AT + 4].copy_from_slice(&self.n.to_le_bytes());
        chunk.extend_from_slice(&self.digests);
        self.digests.clear();
        self.n = 0;
        chunk
    }

    fn write(&mut self, rec: &ScanRecord<'_>) -> std::result::Result<(), ReplyError> {
        let w = &mut self.cur;
        let text = |b| std::str::from_utf8(b).map_err(|_| bad("namespace or set not UTF-8"));
        w.str(text(rec.namespace)?);
        w.str(text(rec.set)?);
        match rec.key {
            None => w.u8(NIL),
            Some((pt, v)) if transcode::scalar(pt, v) => transcode::write_scalar(w, pt, v),
            Some((pt, v)) => w.value(&particle_value(pt, v).map_err(|_| bad("unreadable key"))?),
        }
        let ops = RecordOps {
            generation: rec.generation,
            void_time: rec.void_time,
            ops: rec.ops,
            n_ops: rec.n_ops,
        };
        transcode::record(w, &ops, false, self.decode).map_err(|_| bad("unreadable record"))?;
        Ok(())
    }
}

fn fresh() -> Writer {
    let mut w = Writer::with_capacity(16 * 1024);
    w.u8(0);
    w.u32(0);
    w
}

impl ScanSink for ObjectChunks {
    type Batch = Vec<u8>;
    const OBJECTS: bool = true;

    fn record(&mut self, rec: &ScanRecord<'_>, _now: u64) -> std::result::Result<(), ReplyError> {
        let start = self.cur.buf.len();
        if let Err(e) = self.write(rec) {
            self.cur.buf.truncate(start);
            return Err(e);
        }
        self.digests
            .extend_from_slice(rec.digest.unwrap_or(&[0; 20]));
        self.n += 1;
        if self.n == self.rows {
            let chunk = self.seal();
            self.ready.push(chunk);
        }
        Ok(())
    }

    fn take_ready(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.ready)
    }

    fn flush(&mut self) {
        if self.n > 0 {
            let chunk = self.seal();
            self.ready.push(chunk);
        }
    }

    fn finish(&mut self) -> Option<Vec<u8>> {
        (self.n > 0).then(|| self.seal())
    }
}

/// The last chunk of a direct scan: done, no record.
fn end_chunk() -> Buffer {
    let mut w = Writer::with_capacity(5);
    w.u8(1);
    w.u32(0);
    w.buf.into()
}

/// What a pull of a query's records needs of it, owned by the future.
pub(crate) struct Pull {
    pub client: Arc<aerospike::Client>,
    pub direct: Arc<DirectReader>,
    pub state: Arc<Mutex<State>>,
    pub crate_only: bool,
    pub decode: Decode,
    pub index: Option<IndexFilter>,
}

impl Pull {
    pub fn of(q: &NativeQuery) -> Pull {
        Pull {
            client: q.client.clone(),
            direct: q.direct.clone(),
            state: q.state.clone(),
            crate_only: q.crate_only.load(Ordering::Relaxed),
            decode: q.decode,
            index: q.index.clone(),
        }
    }
}

/// The next chunk: from the direct scan (started on the first call when it applies), else from
/// the crate's record stream (see [`take`]).
async fn next_chunk(q: Pull, max: u32) -> Result<Buffer> {
    {
        let mut st = q.state.lock().await;
        if let State::Ready(b) = &*st {
            let call = object_call(b, q.index.as_ref(), q.crate_only);
            let call = call.filter(|_| q.direct.objects_on());
            if let Some(call) = call {
                let sink = ObjectChunks::new(max, q.decode);
                let started = q.direct.scan(&q.client, call, sink).await;
                if let Some(s) = started.map_err(|e| js_error(e.code, false, e.message))? {
                    *st = State::Objects(Box::new(s));
                }
            }
        }
        if let State::Objects(s) = &mut *st {
            let next = s.next().await;
            if !matches!(next, Some(Ok(_))) {
                *st = State::Finished;
            }
            return match next {
                Some(Ok(chunk)) => Ok(chunk.into()),
                Some(Err(e)) => Err(js_error(e.code, false, e.message)),
                None => Ok(end_chunk()),
            };
        }
    }
    let (records, done) = take(q.client, q.state, max, false).await?;
    Ok(encode_chunk(&records, done, q.decode).into())
}

#[napi]
impl NativeQuery {
    /// Waits for the next records (at least one, or the end) and takes up to `max` of those
    /// already received. Result: `u8 done, u32 n`, then per record `str ns, str set, value
    /// userKey, record`, then the `n` records' digests (20 bytes each, in one piece, so
    /// JavaScript copies them once per chunk).
    #[napi]
    pub fn next<'env>(&self, env: &'env Env, max: u32) -> napi::Result<PromiseRaw<'env, Buffer>> {
        let q = Pull::of(self);
        promise(env, next_chunk(q, max))
    }
}

#[cfg(test)]
mod tests {
    use aerospike::{Key, Record};
    use aerospike_cdt::wire::msg::{
        put_field, Header, FIELD_DIGEST, FIELD_KEY, FIELD_NAMESPACE, FIELD_SET, INFO3_LAST,
    };
    use aerospike_cdt::wire::particle;
    use aerospike_columnar::partitions::Partitions;
    use aerospike_columnar::scan_wire::{read_scan_proto, ScanFill, ScanSink};

    use super::ObjectChunks;
    use crate::particle::bins;
    use crate::policy::Decode;
    use crate::query::encode_chunk;
    use crate::transcode::{every_scalar, wire_ops};

    /// A scan reply's record message for `key` (its user key sent when `send_key`).
    fn record(key: &Key, send_key: bool, ops: &[u8], n_ops: u16) -> Vec<u8> {
        let mut fields = Vec::new();
        put_field(&mut fields, FIELD_NAMESPACE, &[key.namespace().as_bytes()]);
        put_field(&mut fields, FIELD_SET, &[key.set_name().as_bytes()]);
        put_field(&mut fields, FIELD_DIGEST, &[&key.digest()]);
        if send_key {
            put_field(&mut fields, FIELD_KEY, &[&[particle::STRING], b"k1"]);
        }
        let h = Header {
            generation: 3,
            n_fields: 3 + send_key as u16,
            n_ops,
            ..Header::default()
        };
        [&h.encode()[..], &fields, ops].concat()
    }

    #[test]
    fn chunks_are_the_bytes_the_crate_path_writes_and_bad_replies_are_errors() {
        let scalars = every_scalar();
        let list: Vec<(u8, &str, &[u8])> = scalars
            .iter()
            .map(|(pt, n, v)| (*pt, *n, v.as_slice()))
            .collect();
        let ops = wire_ops(&list);
        let with_key = Key::new("test", "s", "k1".into()).unwrap();
        let without = Key::new("test", "s", 7.into()).unwrap();
        let mut body = record(&with_key, true, &ops, list.len() as u16);
        body.extend(record(&without, false, &[], 0));

        let mut out = ScanFill::new(ObjectChunks::new(1, Decode::Values), 0);
        let mut parts = Partitions::default();
        read_scan_proto(&body, 0, &mut out, &mut parts).unwrap();
        let chunks = out.sink.take_ready();
        assert_eq!(chunks.len(), 2);
        // The crate's records of the same replies, as the crate's path writes them.
        let (crate_bins, _) =
            bins(&ops, list.len(), false, false).unwrap_or_else(|_| panic!("ops"));
        let server_key = |k: &Key, user: bool| {
            Key::with_digest("test", "s", user.then(|| "k1".into()), k.digest())
        };
        let first = Record::new(Some(server_key(&with_key, true)), crate_bins, None, 3, 0);
        let second = Record::new(
            Some(server_key(&without, false)),
            Default::default(),
            None,
            3,
            0,
        );
        for (chunk, rec) in chunks.iter().zip([first, second]) {
            let want = encode_chunk(&[rec], false, Decode::Values);
            assert_eq!(chunk.as_slice(), &want[..]);
        }

        // Every prefix and a byte flip at each position: an error or records, never a panic.
        let mut sink = ScanFill::new(ObjectChunks::new(4, Decode::Values), 0);
        for cut in 0..body.len() {
            let _ = read_scan_proto(&body[..cut], 0, &mut sink, &mut parts);
            let mut bad = body.clone();
            bad[cut] ^= 0xff;
            let _ = read_scan_proto(&bad, 0, &mut sink, &mut parts);
        }
        let end = Header {
            info3: INFO3_LAST,
            ..Header::default()
        };
        assert!(read_scan_proto(&end.encode(), 0, &mut sink, &mut parts).is_ok());
    }
}

//! Queries and scans as pull streams: JavaScript asks for the next chunk of records and Rust
//! awaits them from the crate's bounded record stream. While JavaScript does not ask, the stream's
//! buffer fills and the crate stops reading from the server: a slow consumer pauses the flow.
//!
//! Request layout (written by `src/query.ts`):
//! `str ns, str set, u8 bins (0 all, 1 none, 2 names: u32 n, str…),
//!  u8 filter (0 none, else kind): str bin, u8 collection type, kind-specific values,
//!  u8 extras (1 context, 2 expression) followed by their packed bytes,
//!  base policy, f64 maxRecords, u32 recordQueueSize (0 = default),
//!  u8 partitions (0 all, 1 range: u32 begin, u32 count, 2 digest: 20 bytes)`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aerospike::query::RecordStream;
use aerospike::{Bins, CollectionIndexType, PartitionFilter, QueryPolicy, Statement, Value};
use aerospike_cdt::wire::particle;
use aerospike_columnar::direct::{DirectReader, ScanStream};
use aerospike_columnar::records::RecordColumns;
use aerospike_columnar::scan_wire::IndexFilter;
use futures::{FutureExt, StreamExt};
use napi::bindgen_prelude::BufferSlice;
use napi::Env;
use napi_derive::napi;
use tokio::sync::Mutex;

use crate::client::{write_record, NativeClient};
use crate::codec::{CodecError, Reader, Writer};
use crate::error::{code, from_aerospike, invalid, js_error, Result};
use crate::policy::{self, Decode};

type Filter = aerospike::query::Filter;

/// The resume point of a query or scan: which partitions (and where in them) are left.
#[napi]
pub struct NativeCursor {
    filter: std::sync::Mutex<Option<PartitionFilter>>,
    done: bool,
}

#[napi]
impl NativeCursor {
    /// Whether every partition has been read (no further page).
    #[napi(getter)]
    pub fn done(&self) -> bool {
        self.done
    }
}

pub(crate) enum State {
    /// Built, not started yet (it starts on the first `next()`).
    Ready(Box<(QueryPolicy, PartitionFilter, Statement)>),
    Running(RecordStream),
    /// A columnar scan on the direct path (see `columns.rs`).
    Direct(Box<ScanStream<RecordColumns>>),
    /// A record scan on the direct path: its chunks (see `scan_direct.rs`).
    Objects(Box<ScanStream<Vec<u8>>>),
    Finished,
}

/// A running query or scan.
#[napi]
pub struct NativeQuery {
    pub(crate) client: Arc<aerospike::Client>,
    /// The columnar path's own connections, for columnar scans.
    pub(crate) direct: Arc<DirectReader>,
    /// Whether the query must run on the crate's path: a cursor gave its partitions, or a
    /// cursor will be taken from it (pagination), which only the crate's stream tracks.
    pub(crate) crate_only: AtomicBool,
    pub(crate) decode: Decode,
    /// The index filter as the direct path sends it (None: a scan, or a filter it leaves to
    /// the crate).
    pub(crate) index: Option<IndexFilter>,
    pub(crate) state: Arc<Mutex<State>>,
}

fn collection_type(t: u8) -> Result<CollectionIndexType, CodecError> {
    Ok(match t {
        0 => CollectionIndexType::Default,
        1 => CollectionIndexType::List,
        2 => CollectionIndexType::MapKeys,
        3 => CollectionIndexType::MapValues,
        _ => return Err(CodecError("collection type")),
    })
}

/// A filter value as the wire writes it: its particle type and bytes.
fn wire_value(v: &Value) -> Option<(u8, Vec<u8>)> {
    match v {
        Value::Int(i) => Some((particle::INTEGER, i.to_be_bytes().to_vec())),
        Value::String(s) => Some((particle::STRING, s.as_bytes().to_vec())),
        Value::Blob(b) => Some((particle::BLOB, b.clone())),
        _ => None,
    }
}

/// The index filter of a request, and the same filter as the direct path sends it when that
/// path can (integer, string or blob equality, integer ranges; no context or expression).
fn read_filter(r: &mut Reader<'_>) -> Result<Option<(Filter, Option<IndexFilter>)>, CodecError> {
    let kind = r.u8()?;
    if kind == 0 {
        return Ok(None);
    }
    let bin = r.str()?.to_owned();
    // The index to use by name (`query.whereWithIndexName`), or empty: the index of the bin.
    let index = r.str()?.to_owned();
    let by_index = !index.is_empty();
    let cit_code = r.u8()?;
    let cit = collection_type(cit_code)?;
    let mut wire = None;
    let f = match kind {
        // equal (integer, string or blob)
        1 => {
            let v = r.value()?;
            if let Some((pt, b)) = wire_value(&v) {
                wire = Some(IndexFilter::new(&bin, &index, cit_code, pt, &b, &b));
            }
            match v {
                v @ (Value::Int(_) | Value::String(_) | Value::Blob(_)) if by_index => {
                    Filter::equal_by_index(index, v)
                }
                v @ (Value::Int(_) | Value::String(_) | Value::Blob(_)) => Filter::equal(bin, v),
                _ => return Err(CodecError("equal filter value")),
            }
        }
        // range of integers
        2 => {
            let (begin, end) = (r.i64()?, r.i64()?);
            let (b, e) = (begin.to_be_bytes(), end.to_be_bytes());
            wire = Some(IndexFilter::new(
                &bin,
                &index,
                cit_code,
                particle::INTEGER,
                &b,
                &e,
            ));
            match by_index {
                true => Filter::range_by_index(index, begin, end),
                false => Filter::range(bin, begin, end),
            }
        }
        // geo: points within a GeoJSON region / within a circle / regions containing a point
        3 if by_index => Filter::geo_within_region_by_index(index, r.str()?),
        3 => Filter::geo_within_region(bin, r.str()?),
        4 => {
            let (lng, lat, radius) = (r.f64()?, r.f64()?, r.f64()?);
            if by_index {
                Filter::geo_within_radius_by_index(index, lng, lat, radius)
            } else {
                Filter::geo_within_radius(bin, lng, lat, radius)
            }
        }
        5 if by_index => Filter::geo_contains_by_index(index, r.str()?),
        5 => Filter::geo_contains(bin, r.str()?),
        _ => return Err(CodecError("filter kind")),
    };
    let mut f = f.collection_type(cit);
    let extras = r.u8()?;
    if extras != 0 {
        wire = None;
    }
    if extras & 1 != 0 {
        let ctx = aerospike::operations::cdt_context::ctx_from_bytes(r.bytes()?)
            .map_err(|_| CodecError("filter context"))?;
        f = f.context(ctx);
    }
    if extras & 2 != 0 {
        f = f.expression(aerospike::expressions::from_packed_bytes(
            r.bytes()?.to_vec(),
        ));
    }
    Ok(Some((f, wire)))
}

/// A query or scan request: its policy, partitions and statement, how its records' bins are
/// decoded (`deserialize`), and its index filter as the direct path sends it (when it can).
pub(crate) type Request = (
    QueryPolicy,
    PartitionFilter,
    Statement,
    Decode,
    Option<IndexFilter>,
);

/// Reads a query or scan request (see [`Request`]).
pub(crate) fn read_request(r: &mut Reader<'_>) -> Result<Request, CodecError> {
    let ns = r.str()?.to_owned();
    let set = r.str()?.to_owned();
    let bins = match r.u8()? {
        0 => Bins::All,
        1 => Bins::None,
        2 => Bins::Some(r.strings()?),
        _ => return Err(CodecError("bins")),
    };
    let mut stmt = Statement::new(ns, set, bins);
    let mut index = None;
    if let Some((f, wire)) = read_filter(r)? {
        stmt.set_filter(f);
        index = wire;
    }
    let mut p = QueryPolicy::default();
    let decode = policy::base(r, &mut p.base_policy)?;
    let max_records = r.f64()?;
    if max_records > 0.0 {
        p.max_records = max_records as u64;
    }
    let queue = r.u32()?;
    if queue > 0 {
        p.record_queue_size = queue as usize;
    }
    let partitions = match r.u8()? {
        0 => PartitionFilter::all(),
        1 => {
            let begin = r.u32()? as usize;
            let count = r.u32()? as usize;
            if begin >= 4096 || count == 0 || begin + count > 4096 {
                return Err(CodecError("partition range"));
            }
            PartitionFilter::by_range(begin, count)
        }
        _ => return Err(CodecError("partitions")),
    };
    Ok((p, partitions, stmt, decode, index))
}

/// The query or scan `req` asks for on `client` (see [`NativeQuery::create`]).
fn open(
    client: &NativeClient,
    req: BufferSlice,
    cursor: Option<&NativeCursor>,
) -> Result<NativeQuery> {
    let direct = client.direct.clone();
    let client = client.client_now()?;
    // The circuit breaker: a node past its error rate takes no query either (at once, as
    // the official client's query fails as it starts).
    for node in client.nodes() {
        node.validate_error_count()
            .map_err(|e| from_aerospike(&e))?;
    }
    let (policy, mut partitions, stmt, decode, index) =
        read_request(&mut Reader::new(&req)).map_err(invalid("query"))?;
    if let Some(c) = cursor {
        let taken = c.filter.lock().unwrap_or_else(|e| e.into_inner()).take();
        match taken {
            Some(f) => partitions = f,
            None => {
                return Err(js_error(
                    code::ERR_PARAM,
                    false,
                    "this cursor was already used",
                ))
            }
        }
    }
    Ok(NativeQuery {
        client,
        direct,
        crate_only: AtomicBool::new(cursor.is_some()),
        decode,
        index,
        state: Arc::new(Mutex::new(State::Ready(Box::new((
            policy, partitions, stmt,
        ))))),
    })
}

/// Starts the query on first use, then takes up to `max` records (at least one unless the
/// stream ended): with `fill`, waits until `max` arrived or the stream ended; otherwise takes
/// only those already received after the first. Returns them and whether the stream ended.
pub(crate) async fn take(
    client: Arc<aerospike::Client>,
    state: Arc<Mutex<State>>,
    max: u32,
    fill: bool,
) -> Result<(Vec<aerospike::Record>, bool)> {
    let max = max.max(1) as usize;
    let mut st = state.lock().await;
    if let State::Ready(_) = &*st {
        let State::Ready(b) = std::mem::replace(&mut *st, State::Finished) else {
            unreachable!()
        };
        let (policy, partitions, stmt) = *b;
        let rs = client
            .query(&policy, partitions, stmt)
            .await
            .map_err(|e| from_aerospike(&e))?;
        *st = State::Running(rs.into_stream());
    }
    let State::Running(stream) = &mut *st else {
        return Ok((Vec::new(), true));
    };
    let mut records = Vec::new();
    let mut done = false;
    // Wait for one, then take what is already there (or, with `fill`, wait for more).
    match stream.next().await {
        None => done = true,
        Some(r) => records.push(r.map_err(|e| from_aerospike(&e))?),
    }
    while !done && records.len() < max {
        let next = if fill {
            Some(stream.next().await)
        } else {
            stream.next().now_or_never()
        };
        match next {
            None => break,
            Some(None) => done = true,
            Some(Some(r)) => records.push(r.map_err(|e| from_aerospike(&e))?),
        }
    }
    Ok((records, done))
}

/// One chunk of a record stream as `next()` hands it over (see there).
pub(crate) fn encode_chunk(records: &[aerospike::Record], done: bool, decode: Decode) -> Vec<u8> {
    let mut w = Writer::with_capacity(4096);
    let mut digests = Vec::with_capacity(records.len() * 20);
    w.u8(done as u8);
    w.u32(records.len() as u32);
    for rec in records {
        match &rec.key {
            Some(k) => {
                w.str(k.namespace());
                w.str(k.set_name());
                w.value(k.user_key().unwrap_or(&Value::Nil));
                digests.extend_from_slice(&k.digest());
            }
            None => {
                w.str("");
                w.str("");
                w.value(&Value::Nil);
                digests.extend_from_slice(&[0; 20]);
            }
        }
        write_record(&mut w, rec, decode);
    }
    w.buf.extend_from_slice(&digests);
    w.buf
}

#[napi]
impl NativeQuery {
    /// Builds a query or scan from its request; with `cursor`, it resumes where that cursor's
    /// query stopped (its partitions and positions replace the request's). A panic while
    /// decoding is an error, never an unwind into Node.
    #[napi(factory, catch_unwind)]
    pub fn create(
        env: &Env,
        client: &NativeClient,
        req: BufferSlice,
        cursor: Option<&NativeCursor>,
    ) -> napi::Result<NativeQuery> {
        open(client, req, cursor).map_err(|f| f.into_napi(env))
    }

    /// Keeps the query on the crate's path, whose stream tracks the partitions for a cursor
    /// (`paginate`); call before the first batch.
    #[napi]
    pub fn keep_cursor(&self) {
        self.crate_only.store(true, Ordering::Relaxed);
    }

    /// Stops the query (records not yet taken are dropped; a cursor taken afterwards resumes
    /// from the first record not delivered).
    #[napi]
    pub async fn close(&self) {
        let state = self.state.clone();
        let mut st = state.lock().await;
        if let State::Running(stream) = &*st {
            let rs: &aerospike::Recordset = stream.as_ref();
            if rs.is_active() {
                // Abandoning a stream mid-way drops its connections: it counts as an error of
                // each node for the circuit breaker, as in the official client.
                for node in self.client.nodes() {
                    node.incr_error_rate();
                }
            }
            rs.close();
        }
        if let State::Ready(_) = &*st {
            for node in self.client.nodes() {
                node.incr_error_rate();
            }
            *st = State::Finished;
        }
        // Dropping a direct scan aborts its task and closes its connections; a record scan
        // abandoned mid-way counts for the circuit breaker as the crate's stream does.
        if let State::Objects(_) = &*st {
            for node in self.client.nodes() {
                node.incr_error_rate();
            }
        }
        if let State::Direct(_) | State::Objects(_) = &*st {
            *st = State::Finished;
        }
    }

    /// The resume point after the query ended or was closed (`None` while it runs).
    #[napi]
    pub async fn cursor(&self) -> Option<NativeCursor> {
        let st = self.state.lock().await;
        match &*st {
            State::Running(stream) => stream.partition_filter().map(|f| NativeCursor {
                done: f.done(),
                filter: std::sync::Mutex::new(Some(f)),
            }),
            _ => None,
        }
    }
}

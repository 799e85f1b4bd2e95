//! Columns handed to JavaScript: the finished vectors of `aerospike-columnar` become typed
//! arrays over the same memory, one set per column, plus the column spec read from a request.
//! Shared by the columnar batch read and the columnar scans and queries (whose batches are
//! taken here from a running [`NativeQuery`]).

use aerospike::{Bins, PartitionFilter, QueryPolicy, Statement};
use aerospike_columnar::direct::ScanCall;
use aerospike_columnar::records::{from_records, RecordColumns};
use aerospike_columnar::scan_columns::ScanBatches;
use aerospike_columnar::scan_wire::IndexFilter;
use aerospike_columnar::{ColumnData, ColumnType, Columns};
use napi::bindgen_prelude::{
    BigInt64Array, Buffer, Float64Array, Int32Array, PromiseRaw, Uint32Array, Uint8Array,
};
use napi::Env;
use napi_derive::napi;

use crate::codec::Reader;
use crate::error::{code, js_error, promise, Result};
use crate::query::{take, NativeQuery, State};
use crate::scan_direct::{scan_call, Pull};

/// Columnar result: one typed array per requested bin plus per-row metadata. Variable-length
/// columns (`str`, `bytes`, `geojson`, lists) also have `offsets` (rows + 1 of them): strings,
/// blobs and GeoJSON keep their bytes in `bytes`, lists their items in `f64` / `i64`.
#[napi(object)]
pub struct NativeColumns {
    pub status: Int32Array,
    pub generation: Uint32Array,
    pub ttl: Int32Array,
    pub bins: Vec<String>,
    pub kinds: Vec<String>,
    pub f64: Vec<Option<Float64Array>>,
    pub i64: Vec<Option<BigInt64Array>>,
    pub i32: Vec<Option<Int32Array>>,
    pub bool: Vec<Option<Uint8Array>>,
    pub offsets: Vec<Option<Int32Array>>,
    pub bytes: Vec<Option<Uint8Array>>,
    pub valid: Vec<Uint8Array>,
    pub mismatched: Vec<u32>,
}

/// Reads a column spec: `u32 n`, then (`str bin`, `str type`) pairs.
pub(crate) fn read_spec(r: &mut Reader<'_>) -> Result<Vec<(String, ColumnType)>> {
    let ncols = r.count()?;
    let mut spec = Vec::with_capacity(ncols);
    for _ in 0..ncols {
        let bin = r.str()?.to_owned();
        let ty = ColumnType::parse(r.str()?).ok_or_else(|| {
            js_error(
                code::ERR_PARAM,
                false,
                "column type must be f64, i64, i32, bool, str, bytes, geojson, list<f64> or list<i64>",
            )
        })?;
        spec.push((bin, ty));
    }
    Ok(spec)
}

/// Moves finished columns into typed arrays (no copy of the data).
pub(crate) fn to_js(cols: Columns) -> NativeColumns {
    let n = cols.columns.len();
    let mut out = NativeColumns {
        status: cols.status.into(),
        generation: cols.generation.into(),
        ttl: cols.ttl.into(),
        bins: Vec::with_capacity(n),
        kinds: Vec::with_capacity(n),
        f64: Vec::with_capacity(n),
        i64: Vec::with_capacity(n),
        i32: Vec::with_capacity(n),
        bool: Vec::with_capacity(n),
        offsets: Vec::with_capacity(n),
        bytes: Vec::with_capacity(n),
        valid: Vec::with_capacity(n),
        mismatched: Vec::with_capacity(n),
    };
    for col in cols.columns {
        out.bins.push(col.bin);
        out.kinds.push(col.ty.name().into());
        let (mut f, mut i, mut i3, mut b, mut o, mut d) = (None, None, None, None, None, None);
        match col.data {
            ColumnData::F64(v) => f = Some(v.into()),
            ColumnData::I64(v) => i = Some(v.into()),
            ColumnData::I32(v) => i3 = Some(v.into()),
            ColumnData::Bool(v) => b = Some(v.into()),
            ColumnData::Bytes(s) => {
                let (offsets, data) = s.finish();
                (o, d) = (Some(offsets.into()), Some(data.into()));
            }
            ColumnData::ListF64(s) => {
                let (offsets, data) = s.finish();
                (o, f) = (Some(offsets.into()), Some(data.into()));
            }
            ColumnData::ListI64(s) => {
                let (offsets, data) = s.finish();
                (o, i) = (Some(offsets.into()), Some(data.into()));
            }
        }
        out.f64.push(f);
        out.i64.push(i);
        out.i32.push(i3);
        out.bool.push(b);
        out.offsets.push(o);
        out.bytes.push(d);
        out.valid.push(col.valid.into());
        out.mismatched.push(col.mismatched);
    }
    out
}

/// One batch of a columnar scan or query.
#[napi(object)]
pub struct NativeScanColumns {
    /// Whether the scan or query ended with this batch.
    pub done: bool,
    pub columns: NativeColumns,
    /// 20 bytes per row.
    pub digest: Uint8Array,
    /// The user keys, when any record carries one (its `kinds`, `valid`, `mismatched` entries
    /// describe it, as for a bin).
    pub user_key: Option<NativeColumns>,
}

/// The direct columnar scan `q` asks for (see [`scan_call`]), or None when it needs the crate's
/// query (also when it reads no bins).
fn direct_call(
    q: &(QueryPolicy, PartitionFilter, Statement),
    index: Option<&IndexFilter>,
    spec: &[(String, ColumnType)],
    crate_only: bool,
) -> Option<ScanCall> {
    let mut call = scan_call(q, index, crate_only)?;
    let read = spec.iter().map(|(b, _)| b.clone());
    call.read = match &q.2.bins {
        Bins::All => read.collect(),
        Bins::Some(names) => read.filter(|b| names.contains(b)).collect(),
        Bins::None => return None,
    };
    Some(call)
}

/// The next batch: from the direct scan (started on the first call when it applies), else
/// from the crate's record stream. Returns the batch (None when the scan had no more) and
/// whether the scan ended.
async fn next_batch(
    q: Pull,
    spec: Vec<(String, ColumnType)>,
    max: u32,
) -> Result<(Option<RecordColumns>, bool)> {
    {
        let mut st = q.state.lock().await;
        if let State::Ready(b) = &*st {
            if let Some(call) = direct_call(b, q.index.as_ref(), &spec, q.crate_only) {
                let sink = ScanBatches::new(&spec, max as usize);
                let started = q.direct.scan(&q.client, call, sink).await;
                if let Some(s) = started.map_err(|e| js_error(e.code, false, e.message))? {
                    *st = State::Direct(Box::new(s));
                }
            }
        }
        if let State::Direct(s) = &mut *st {
            let next = s.next().await;
            if !matches!(next, Some(Ok(_))) {
                *st = State::Finished;
            }
            return match next {
                Some(Ok(b)) => Ok((Some(b), false)),
                Some(Err(e)) => Err(js_error(e.code, false, e.message)),
                None => Ok((None, true)),
            };
        }
    }
    let (records, done) = take(q.client, q.state, max, true).await?;
    let out = from_records(&spec, &records);
    Ok((Some(out), done))
}

#[napi]
impl NativeQuery {
    /// Takes the next batch of at most `max` records (waiting until that many arrived or the
    /// stream ended) as columns of `spec` (a column spec as `read_spec` reads it). Only the
    /// records of one batch are held at a time (plus a bounded read-ahead): a direct scan
    /// buffers at most a few batches, the crate's stream its bounded record queue.
    #[napi]
    pub fn next_columns<'env>(
        &self,
        env: &'env Env,
        max: u32,
        spec: Buffer,
    ) -> napi::Result<PromiseRaw<'env, NativeScanColumns>> {
        let spec = read_spec(&mut Reader::new(&spec)).map_err(|f| f.into_napi(env))?;
        let q = Pull::of(self);
        promise(env, async move {
            let (batch, done) = next_batch(q, spec.clone(), max).await?;
            let out = batch.unwrap_or_else(|| from_records(&spec, &[]));
            let user_key = out.user_key.map(|col| {
                to_js(Columns {
                    status: Vec::new(),
                    generation: Vec::new(),
                    ttl: Vec::new(),
                    columns: vec![col],
                })
            });
            Ok(NativeScanColumns {
                done,
                columns: to_js(out.columns),
                digest: out.digests.into(),
                user_key,
            })
        })
    }
}

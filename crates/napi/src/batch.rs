//! Batch commands: the official client's `batchRead` / `batchWrite` family as one request
//! buffer of rows, and the columnar read that fills typed arrays.

use aerospike::operations;
use aerospike::{
    BatchDeletePolicy, BatchOperation, BatchPolicy, BatchReadPolicy, BatchWritePolicy, WritePolicy,
};
use aerospike_columnar::{fill, ColumnType};
use napi::bindgen_prelude::{BufferSlice, PromiseRaw};
use napi::Env;
use napi_derive::napi;

use crate::client::{
    read_bin_selection, read_bins, read_key, read_ops, write_record, NativeClient,
};
use crate::codec::{CodecError, Reader, Writer};
use crate::columns::{read_spec, to_js, NativeColumns};
use crate::error::{code, from_aerospike, js_error, promise, promise_with, Result};
use crate::policy;

pub(crate) fn write_policy(p: &WritePolicy) -> BatchWritePolicy {
    BatchWritePolicy {
        record_exists_action: p.record_exists_action,
        generation_policy: p.generation_policy,
        generation: p.generation,
        expiration: p.expiration,
        send_key: p.send_key,
        durable_delete: p.durable_delete,
        filter_expression: p.base_policy.filter_expression.clone(),
        ..Default::default()
    }
}

fn delete_policy(p: &WritePolicy) -> BatchDeletePolicy {
    BatchDeletePolicy {
        generation_policy: p.generation_policy,
        generation: p.generation,
        send_key: p.send_key,
        durable_delete: p.durable_delete,
        filter_expression: p.base_policy.filter_expression.clone(),
        ..Default::default()
    }
}

/// Reads the rows of a batch request. Read rows take the batch policy's `readTouchTtlPercent`.
fn read_rows(r: &mut Reader<'_>, parent: &BatchPolicy) -> Result<Vec<BatchOperation>> {
    let n = r.count()?;
    let mut rows = Vec::with_capacity(n);
    let read_policy = BatchReadPolicy {
        read_touch_ttl: parent.base_policy.read_touch_ttl,
        ..Default::default()
    };
    for _ in 0..n {
        let kind = r.u8()?;
        let key = read_key(r)?;
        let row = match kind {
            // 0: read (bin selection follows).
            0 => BatchOperation::read(&read_policy, key, read_bin_selection(r)?),
            // 1: read with operations.
            1 => BatchOperation::read_ops(&read_policy, key, read_ops(r)?.ops),
            // 5, 6: rows 0 and 1 with their own policy: a filter expression, then
            // `readTouchTtlPercent` (see `policy::read_touch`).
            5 | 6 => {
                let mut own = BatchReadPolicy {
                    filter_expression: crate::exp::read_filter(r)?,
                    ..read_policy.clone()
                };
                if let Some(touch) = policy::read_touch(r)? {
                    own.read_touch_ttl = touch;
                }
                if kind == 5 {
                    BatchOperation::read(&own, key, read_bin_selection(r)?)
                } else {
                    BatchOperation::read_ops(&own, key, read_ops(r)?.ops)
                }
            }
            // 2: put (write policy, bins).
            2 => {
                let p = policy::write(r)?;
                let ops: Vec<_> = read_bins(r)?.iter().map(operations::put).collect();
                BatchOperation::write(&write_policy(&p), key, ops)
            }
            // 3: operate (write policy, operations).
            3 => {
                let p = policy::write(r)?;
                BatchOperation::write(&write_policy(&p), key, read_ops(r)?.ops)
            }
            // 4: remove (write policy).
            4 => {
                let p = policy::write(r)?;
                BatchOperation::delete(&delete_policy(&p), key)
            }
            // 7: UDF call (write policy, module, function, arguments).
            7 => {
                let p = policy::write(r)?;
                let (module, function, args) = crate::udf::read_udf(r)?;
                let up = aerospike::BatchUdfPolicy {
                    expiration: p.expiration,
                    send_key: p.send_key,
                    durable_delete: p.durable_delete,
                    filter_expression: p.base_policy.filter_expression.clone(),
                    ..Default::default()
                };
                BatchOperation::udf(&up, key, module, function, args)
            }
            _ => return Err(CodecError("unknown batch row").into()),
        };
        rows.push(row);
    }
    Ok(rows)
}

/// The columnar read through the client crate's batch, for what the direct path declines.
async fn crate_columns(
    client: &aerospike::Client,
    policy: &aerospike::BatchPolicy,
    spec: &[(String, ColumnType)],
    keys: Vec<aerospike::Key>,
) -> Result<aerospike_columnar::Columns> {
    let bins = aerospike::Bins::Some(spec.iter().map(|(b, _)| b.clone()).collect());
    let read_policy = BatchReadPolicy::default();
    let mut rows: Vec<BatchOperation> = keys
        .into_iter()
        .map(|k| BatchOperation::read(&read_policy, k, bins.clone()))
        .collect();
    if !rows.is_empty() {
        if let Err(e) = client.batch(policy, &mut rows).await {
            if rows.iter().all(|row| row.result_code().is_none()) {
                return Err(from_aerospike(&e));
            }
        }
    }
    Ok(fill(spec, &rows))
}

#[napi]
impl NativeClient {
    /// A batch of reads, writes, operates and removes. Resolves with, per row: status (i32),
    /// in-doubt flag (u8), has-record flag (u8) and the record.
    #[napi(ts_return_type = "Promise<Buffer>")]
    pub fn batch<'env>(
        &self,
        env: &'env Env,
        req: BufferSlice,
    ) -> napi::Result<PromiseRaw<'env, BufferSlice<'env>>> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        let direct = self.direct.clone();
        let req = req.to_vec();
        let fut = async move {
            let mut r = Reader::new(&req);
            let (policy, decode) = policy::batch(&mut r)?;
            if let Some(answer) =
                crate::batch_direct::read(&direct, &client, &policy, decode, r.clone()).await?
            {
                return Ok(answer);
            }
            let mut rows = read_rows(&mut r, &policy)?;
            if rows.is_empty() {
                return Ok(Writer::default().buf);
            }
            if let Err(e) = client.batch(&policy, &mut rows).await {
                // Rows that got an answer keep it; a batch where none did is a failed call.
                if rows.iter().all(|row| row.result_code().is_none()) {
                    return Err(from_aerospike(&e));
                }
            }
            // The crate ends the rows of a node whose circuit breaker tripped as timed out; the
            // official client fails such a batch with MAX_ERROR_RATE.
            let timed_out = |row: &aerospike::BatchOperation| {
                matches!(
                    row.result_code(),
                    None | Some(aerospike::ResultCode::Timeout)
                )
            };
            if rows.iter().any(timed_out) {
                for node in client.nodes() {
                    node.validate_error_count()
                        .map_err(|e| from_aerospike(&e))?;
                }
            }
            let mut w = Writer::with_capacity(rows.len() * 48);
            w.u32(rows.len() as u32);
            for row in &rows {
                let status = row
                    .result_code()
                    .map_or(code::ERR_TIMEOUT, |rc| u8::from(rc) as i32);
                w.i32(status);
                w.u8(row.in_doubt() as u8);
                match row.record() {
                    Some(rec) => {
                        w.u8(1);
                        write_record(&mut w, rec, decode);
                    }
                    None => w.u8(0),
                }
            }
            Ok(w.buf)
        };
        promise_with(env, fut, BufferSlice::copy_from)
    }

    /// How many object batch reads the direct path answered; `on` turns that path (for object
    /// batch reads and record scans) on or off for this client (tests compare it with the
    /// crate's). A diagnostic for tests.
    #[napi]
    pub fn object_direct_batches(&self, on: Option<bool>) -> f64 {
        if let Some(on) = on {
            self.direct.set_objects(on);
        }
        self.direct.object_batches() as f64
    }

    /// Columnar batch read: keys and a column spec (`bin`, `type` pairs) in; typed arrays out.
    /// No JavaScript object is created per record.
    #[napi(ts_return_type = "Promise<NativeColumns>")]
    pub fn batch_columns<'env>(
        &self,
        env: &'env Env,
        req: BufferSlice,
    ) -> napi::Result<PromiseRaw<'env, NativeColumns>> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        let direct = self.direct.clone();
        let req = req.to_vec();
        promise(env, async move {
            let mut r = Reader::new(&req);
            let (policy, _) = policy::batch(&mut r)?;
            let spec = read_spec(&mut r)?;
            let n = r.count()?;
            let mut keys = Vec::with_capacity(n);
            for _ in 0..n {
                keys.push(read_key(&mut r)?);
            }
            let cols = match direct
                .read(&client, &policy, &spec, &keys)
                .await
                .map_err(|e| js_error(e.code, false, e.message))?
            {
                Some(cols) => cols,
                None => crate_columns(&client, &policy, &spec, keys).await?,
            };
            Ok(to_js(cols))
        })
    }
}

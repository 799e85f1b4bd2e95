//! UDF calls (`apply`) and background jobs (a query or scan applying a UDF or operations to
//! every matching record).
//!
//! `apply` request: key, write policy, `str module, str function, u32 n, values…`; result: the
//! UDF's return value. Background request: a query request (see `query.rs`), a write policy,
//! then `u8 kind` (1 UDF call as above, 2 operations).

use std::sync::Arc;

use aerospike::task::Task;
use aerospike::Value;
use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;

use crate::client::{read_key, read_ops, NativeClient};
use crate::codec::{CodecError, Reader, Writer};
use crate::error::{from_aerospike, invalid, promise, Result};
use crate::policy;

/// Module, function and arguments of a UDF call.
pub fn read_udf(r: &mut Reader<'_>) -> Result<(String, String, Vec<Value>), CodecError> {
    let module = r.str()?.to_owned();
    let function = r.str()?.to_owned();
    let n = r.count()?;
    let mut args = Vec::with_capacity(n);
    for _ in 0..n {
        args.push(r.value()?);
    }
    Ok((module, function, args))
}

/// A background job.
#[napi]
pub struct NativeJob {
    task: Arc<aerospike::ExecuteTask>,
    id: u64,
}

#[napi]
impl NativeJob {
    /// The job id (as a decimal string: it is a 64-bit number).
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.to_string()
    }

    /// Whether the job has finished on every node.
    #[napi]
    pub fn done<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, bool>> {
        let task = self.task.clone();
        promise(env, async move {
            let status = task.query_status().await?;
            Ok(!matches!(status, aerospike::task::Status::InProgress))
        })
    }
}

#[napi]
impl NativeClient {
    /// Runs a UDF on one record; resolves with its return value.
    #[napi]
    pub fn apply<'env>(
        &self,
        env: &'env Env,
        req: Buffer,
    ) -> napi::Result<PromiseRaw<'env, Buffer>> {
        self.call(env, move |client| async move {
            let mut r = Reader::new(&req);
            let key = read_key(&mut r)?;
            let p = policy::write(&mut r)?;
            let (module, function, args) = read_udf(&mut r)?;
            let v = client
                .execute_udf(&p, &key, &module, &function, &args)
                .await
                .map_err(|e| from_aerospike(&e))?;
            let mut w = Writer::with_capacity(64);
            w.value(v.as_ref().unwrap_or(&Value::Nil));
            Ok(w.buf.into())
        })
    }

    /// Starts a background job over the records a query or scan selects.
    #[napi]
    pub fn background<'env>(
        &self,
        env: &'env Env,
        req: Buffer,
    ) -> napi::Result<PromiseRaw<'env, NativeJob>> {
        self.call(env, move |client| async move {
            let mut r = Reader::new(&req);
            let bad = invalid("job");
            let (_, _, mut stmt, _, _) = crate::query::read_request(&mut r).map_err(bad)?;
            let wp = policy::write(&mut r).map_err(bad)?;
            let task = match r.u8().map_err(bad)? {
                1 => {
                    let (module, function, args) = read_udf(&mut r).map_err(bad)?;
                    client
                        .query_execute_udf(&wp, stmt, &module, &function, &args)
                        .await
                }
                2 => {
                    stmt.set_operations(read_ops(&mut r).map_err(bad)?.ops);
                    client.query_operate(&wp, stmt).await
                }
                _ => return Err(bad(CodecError("job kind"))),
            }
            .map_err(|e| from_aerospike(&e))?;
            let id = task.task_id();
            Ok(NativeJob {
                task: Arc::new(task),
                id,
            })
        })
    }
}

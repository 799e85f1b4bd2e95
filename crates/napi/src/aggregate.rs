//! Aggregation queries (`query.apply()`, and `foreach()` / `results()` of a query with a stream
//! UDF): the server runs the stream UDF's pipeline up to its first `reduce` on every node and
//! answers each partial result in a bin `SUCCESS`; the client then runs the rest of the pipeline
//! (the final `reduce` and what follows) over all the partial results, with the embedded
//! server's Lua stream implementation, as the official client does with its own Lua.
//!
//! Request: a query request (see `query.rs`) followed by the UDF call (`str module, str
//! function, u32 n, values…`). The client-side copy of the module: the source registered with
//! [`lua_register_package`] (`udfRegister` does it), else `<lua path>/<module>.lua`
//! (`config.modlua.userPath`). Result: `u32 n, value…`.

use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use aerospike::PartitionFilter;
use aerospike_cdt::value::Value as Mp;
use futures::StreamExt;
use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;

use crate::client::NativeClient;
use crate::codec::{Reader, Writer};
use crate::error::{code, from_aerospike, invalid, js_error, Result};
use crate::mp::{from_mp, to_mp};

static LUA_PATH: LazyLock<RwLock<Option<String>>> = LazyLock::new(|| RwLock::new(None));
static PACKAGES: LazyLock<RwLock<HashMap<String, Vec<u8>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

/// Sets the directory holding the client-side copies of the Lua modules (`modlua.userPath`).
// Reached only through the generated JavaScript binding, which the test build does not see.
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn lua_set_path(dir: Option<String>) {
    *LUA_PATH.write().unwrap_or_else(|e| e.into_inner()) = dir;
}

/// Registers (or with `source` null, forgets) the client-side copy of a Lua module.
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn lua_register_package(name: String, source: Option<Buffer>) {
    let name = name.strip_suffix(".lua").unwrap_or(&name).to_owned();
    let mut p = PACKAGES.write().unwrap_or_else(|e| e.into_inner());
    match source {
        Some(s) => p.insert(name, s.to_vec()),
        None => p.remove(&name),
    };
}

fn module_source(module: &str) -> Result<Vec<u8>> {
    if let Some(s) = PACKAGES
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(module)
    {
        return Ok(s.clone());
    }
    let dir = LUA_PATH
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_else(|| ".".into());
    let path = std::path::Path::new(&dir).join(format!("{module}.lua"));
    std::fs::read(&path).map_err(|e| {
        js_error(
            code::ERR_CLIENT,
            false,
            format!(
                "aggregation: no client-side copy of UDF module '{module}' ({}: {e})",
                path.display()
            ),
        )
    })
}

#[napi]
impl NativeClient {
    /// Runs an aggregation query; resolves with the values of its final phase.
    #[napi]
    pub fn aggregate<'env>(
        &self,
        env: &'env Env,
        req: Buffer,
    ) -> napi::Result<PromiseRaw<'env, Buffer>> {
        self.call(env, move |client| async move {
            let mut r = Reader::new(&req);
            let bad = invalid("aggregation");
            let (mut policy, _partitions, mut stmt, _, _) =
                crate::query::read_request(&mut r).map_err(bad)?;
            let (module, function, args) = crate::udf::read_udf(&mut r).map_err(bad)?;
            let module = module.strip_suffix(".lua").unwrap_or(&module).to_owned();
            let source = module_source(&module)?;
            stmt.set_aggregate_function(module.clone(), function.clone(), &args);
            // A retried partition would send partial results twice.
            policy.base_policy.max_retries = 0;
            let rs = client
                .query(&policy, PartitionFilter::all(), stmt)
                .await
                .map_err(|e| from_aerospike(&e))?;
            let mut stream = rs.into_stream();
            let mut partials = Vec::new();
            while let Some(rec) = stream.next().await {
                let mut rec = rec.map_err(|e| from_aerospike(&e))?;
                if let Some(v) = rec.bins.swap_remove("SUCCESS") {
                    partials.push(to_mp(&v));
                } else if let Some(v) = rec.bins.swap_remove("FAILURE") {
                    return Err(js_error(
                        code::ERR_UDF,
                        false,
                        format!("aggregation UDF failed on the server: {v}"),
                    ));
                }
            }
            let args: Vec<Mp> = args.iter().map(to_mp).collect();
            let out = tokio::task::spawn_blocking(move || {
                aerospike_embedded_server::udf::stream::client_phase(
                    &format!("client:{module}"),
                    &source,
                    &function,
                    &args,
                    partials,
                )
            })
            .await
            .map_err(|e| js_error(code::ERR_CLIENT, false, format!("aggregation: {e}")))?
            .map_err(|f| js_error(code::ERR_UDF, false, format!("aggregation: {}", f.0)))?;
            let mut w = Writer::with_capacity(256);
            w.u32(out.len() as u32);
            for v in out {
                w.value(&from_mp(v));
            }
            Ok(w.buf.into())
        })
    }
}

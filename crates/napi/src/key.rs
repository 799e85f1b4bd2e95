//! Key digests, computed exactly as every Aerospike client does (RIPEMD-160 of set name, key
//! type and key bytes), by the `aerospike` crate itself.

use napi::bindgen_prelude::Buffer;
use napi::Env;
use napi_derive::napi;

use crate::codec::Reader;
use crate::error::{code, from_panic, js_error};

/// The 20-byte digest of a user key in a set. `key` is one encoded value (string, integer or
/// bytes).
// Reached only through the generated JavaScript binding, which the test build does not see.
#[allow(dead_code)]
#[napi]
pub fn compute_digest(env: &Env, set: String, key: Buffer) -> napi::Result<Buffer> {
    std::panic::catch_unwind(|| {
        let value = Reader::new(&key).value()?;
        let k = aerospike::Key::new("", set, value)
            .map_err(|e| js_error(code::ERR_PARAM, false, e.to_string()))?;
        Ok(k.digest().to_vec().into())
    })
    .unwrap_or_else(|p| Err(from_panic(p)))
    .map_err(|f| f.into_napi(env))
}

//! Turning Rust failures (errors and panics) into JavaScript errors the facade rebuilds as
//! `AerospikeError`.
//!
//! A failure is a [`Failure`]: the official status code, whether a write may have happened, and
//! the message, as fields. It reaches JavaScript as an `Error` whose `code` and `inDoubt` are
//! properties of its own, made on the JavaScript thread: a napi-rs rejection made off that thread
//! could carry a message only, so promises settle through [`promise`], whose callback runs there;
//! a synchronous call throws [`Failure::into_napi`]'s error; and the dispatcher's completion queue
//! carries the fields in binary (`dispatch.rs`). The facade (`src/errors.ts`, `fromNative`) reads
//! those properties: nothing is parsed out of a message.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use aerospike::ErrorKind;
use futures::FutureExt;
use napi::bindgen_prelude::{JsObjectValue, PromiseRaw, ToNapiValue};
use napi::{Env, JsValue};

use crate::codec::CodecError;

/// Official status codes used for client-side failures: the protocol crate's table (the same
/// numbers as `src/status.ts`).
pub use aerospike_cdt::result::client as code;

/// A failure headed for JavaScript (see the module comment).
#[derive(Debug)]
pub struct Failure {
    /// The official status code (`src/status.ts`).
    pub code: i32,
    /// Whether a write may have been applied although the command failed.
    pub in_doubt: bool,
    pub message: String,
}

/// The result of everything in this crate that can fail with a status code.
pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// A failure with status `code`.
pub fn js_error(code: i32, in_doubt: bool, message: impl Into<String>) -> Failure {
    Failure {
        code,
        in_doubt,
        message: message.into(),
    }
}

impl Failure {
    /// The JavaScript `Error` for this failure (own properties `code` and `inDoubt`), as a napi
    /// error holding that very object: thrown or rejected with, it reaches JavaScript as is. Must
    /// run on the JavaScript thread of `env`.
    pub fn into_napi(self, env: &Env) -> napi::Error {
        let made = env
            .create_error(napi::Error::from_reason(self.message))
            .and_then(|mut e| {
                e.set_named_property("code", self.code)?;
                e.set_named_property("inDoubt", self.in_doubt)?;
                Ok(e)
            });
        match made {
            Ok(e) => napi::Error::from(e.to_unknown()),
            Err(e) => e,
        }
    }
}

impl From<aerospike::Error> for Failure {
    fn from(e: aerospike::Error) -> Self {
        from_aerospike(&e)
    }
}

/// A promise for `fut`, which runs on the addon's runtime inside the panic guard ([`guarded`]).
/// It settles on the JavaScript thread, where a failure becomes its `Error` object.
pub fn promise<'env, T, F>(env: &'env Env, fut: F) -> napi::Result<PromiseRaw<'env, T>>
where
    T: ToNapiValue + Send + 'static,
    F: Future<Output = Result<T>> + Send + 'static,
{
    promise_with(env, fut, |_, v| Ok(v))
}

/// [`promise`] for a future whose value `convert` turns into JavaScript's (on its thread).
pub fn promise_with<'env, T, V, F, C>(
    env: &'env Env,
    fut: F,
    convert: C,
) -> napi::Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue,
    F: Future<Output = Result<T>> + Send + 'static,
    C: FnOnce(&'env Env, T) -> napi::Result<V> + 'static,
{
    env.spawn_future_with_callback(async move { Ok(guarded(fut).await) }, |env, outcome| {
        match outcome {
            Ok(v) => convert(env, v),
            Err(f) => Err(f.into_napi(env)),
        }
    })
}

/// Runs a future, turning a panic inside it into a rejected promise: no panic unwinds into
/// Node. Every async command runs inside this guard.
pub(crate) async fn guarded<T, F>(f: F) -> Result<T>
where
    F: Future<Output = Result<T>>,
{
    match AssertUnwindSafe(f).catch_unwind().await {
        Ok(r) => r,
        Err(p) => Err(from_panic(p)),
    }
}

/// Maps an `aerospike` crate error to the official status code.
pub fn from_aerospike(e: &aerospike::Error) -> Failure {
    // A command the circuit breaker refused on every attempt ends as a timeout wrapping the
    // breaker's error: report the breaker, as the official client does.
    if matches!(e.kind(), ErrorKind::Timeout) && tripped_breaker(e) {
        return js_error(code::MAX_ERROR_RATE, false, e.to_string());
    }
    let code = match e.kind() {
        ErrorKind::Server { rc, .. } => u8::from(*rc) as i32,
        ErrorKind::Timeout => code::ERR_TIMEOUT,
        ErrorKind::Connection | ErrorKind::Io(_) | ErrorKind::StreamTerminated => {
            code::ERR_CONNECTION
        }
        ErrorKind::ConnectionPoolEmpty | ErrorKind::NoMoreConnections => {
            code::ERR_NO_MORE_CONNECTIONS
        }
        ErrorKind::InvalidNode => code::ERR_INVALID_NODE,
        ErrorKind::InvalidNamespace => code::ERR_NAMESPACE_NOT_FOUND,
        ErrorKind::InvalidArgument | ErrorKind::ParseAddr(_) | ErrorKind::ParseInt(_) => {
            code::ERR_PARAM
        }
        ErrorKind::MaxErrorRate => code::MAX_ERROR_RATE,
        ErrorKind::UdfBadResponse => code::ERR_UDF,
        _ => match e.result_code() {
            0 => code::ERR_CLIENT,
            c => c,
        },
    };
    js_error(code, e.in_doubt(), message(e))
}

/// The message of an error. A server result code without a message of the server's own reads as
/// the official client's does, `"<node address> <status message>"`: the facade puts the status
/// message in place of the `AEROSPIKE_STATUS` placeholder (`AerospikeError.formatMessage`).
fn message(e: &aerospike::Error) -> String {
    match (e.kind(), e.server_message()) {
        (ErrorKind::Server { .. }, None) => match e.node() {
            Some(node) => format!("{node} AEROSPIKE_STATUS"),
            None => "AEROSPIKE_STATUS".to_owned(),
        },
        _ => e.to_string(),
    }
}

/// Whether the last attempt of `e` was refused by the circuit breaker.
fn tripped_breaker(e: &aerospike::Error) -> bool {
    let mut cause = e.cause();
    while let Some(c) = cause {
        if matches!(c.kind(), ErrorKind::MaxErrorRate) {
            return true;
        }
        cause = c.cause();
    }
    false
}

impl From<CodecError> for Failure {
    fn from(e: CodecError) -> Self {
        js_error(
            code::ERR_PARAM,
            false,
            format!("malformed request: {}", e.0),
        )
    }
}

/// The error for a request about `what` ("query", …) that does not decode: `ERR_PARAM`.
pub fn invalid(what: &'static str) -> impl Fn(CodecError) -> Failure + Copy {
    move |e| js_error(code::ERR_PARAM, false, format!("invalid {what}: {}", e.0))
}

/// Converts a caught panic into an error instead of unwinding into Node.
pub fn from_panic(p: Box<dyn std::any::Any + Send>) -> Failure {
    let msg = p
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    js_error(
        code::ERR_CLIENT,
        false,
        format!("internal error (Rust panic): {msg}"),
    )
}

/// Test hook: panics inside the same guards every command uses, so the test suite can prove a
/// Rust panic reaches JavaScript as an error instead of aborting the process.
#[allow(dead_code)]
#[napi_derive::napi]
pub fn debug_panic<'env>(env: &'env Env, message: String) -> napi::Result<PromiseRaw<'env, ()>> {
    promise(env, async move {
        if !message.is_empty() {
            panic!("{message}");
        }
        Ok(())
    })
}

/// Synchronous counterpart of [`debug_panic`].
#[allow(dead_code)]
#[napi_derive::napi]
pub fn debug_panic_sync(env: &Env, message: String) -> napi::Result<()> {
    std::panic::catch_unwind(|| {
        if !message.is_empty() {
            panic!("{message}");
        }
    })
    .map_err(|p| from_panic(p).into_napi(env))
}

/// Test hook: a promise rejected with exactly these fields, so the test suite can prove any
/// message text crosses unchanged and cannot alter the code.
#[allow(dead_code)]
#[napi_derive::napi]
pub fn debug_fail<'env>(
    env: &'env Env,
    code: i32,
    in_doubt: bool,
    message: String,
) -> napi::Result<PromiseRaw<'env, ()>> {
    promise(env, async move { Err(js_error(code, in_doubt, message)) })
}

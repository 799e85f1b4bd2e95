//! Turning Rust failures (errors and panics) into JavaScript errors the facade rebuilds as
//! `AerospikeError`.
//!
//! A rejection made by napi-rs off the JavaScript thread carries only a message, so the error's
//! fields travel as one JSON object in it, `{"code":<status>,"inDoubt":<bool>,"message":<text>}`
//! (the dispatcher's completion queue carries the same object). The facade (`src/errors.ts`,
//! `fromNative`) reads the fields back and throws an `AerospikeError` with the official status
//! code.

use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;

use aerospike::ErrorKind;
use futures::FutureExt;

use crate::codec::CodecError;

/// Official status codes used for client-side failures: the protocol crate's table (the same
/// numbers as `src/status.ts`).
pub use aerospike_cdt::result::client as code;

/// An error headed for JavaScript: its fields as a JSON object (see the module comment).
pub fn js_error(code: i32, in_doubt: bool, message: impl AsRef<str>) -> napi::Error {
    let message = message.as_ref();
    let mut json = String::with_capacity(message.len() + 48);
    let _ = write!(json, r#"{{"code":{code},"inDoubt":{in_doubt},"message":"#);
    json_string(&mut json, message);
    json.push('}');
    napi::Error::from_reason(json)
}

/// Appends `s` as a JSON string literal.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Runs a future, turning a panic inside it into a rejected promise: no panic unwinds into
/// Node. Every async command runs inside this guard.
pub(crate) async fn guarded<T, F>(f: F) -> napi::Result<T>
where
    F: std::future::Future<Output = napi::Result<T>>,
{
    match AssertUnwindSafe(f).catch_unwind().await {
        Ok(r) => r,
        Err(p) => Err(from_panic(p)),
    }
}

/// Maps an `aerospike` crate error to the official status code.
pub fn from_aerospike(e: &aerospike::Error) -> napi::Error {
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

impl From<CodecError> for napi::Error {
    fn from(e: CodecError) -> Self {
        js_error(
            code::ERR_PARAM,
            false,
            format!("malformed request: {}", e.0),
        )
    }
}

/// Converts a caught panic into an error instead of unwinding into Node.
pub fn from_panic(p: Box<dyn std::any::Any + Send>) -> napi::Error {
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
pub async fn debug_panic(message: String) -> napi::Result<()> {
    guarded(async move {
        if !message.is_empty() {
            panic!("{message}");
        }
        Ok(())
    })
    .await
}

/// Synchronous counterpart of [`debug_panic`].
#[allow(dead_code)]
#[napi_derive::napi]
pub fn debug_panic_sync(message: String) -> napi::Result<()> {
    std::panic::catch_unwind(|| {
        if !message.is_empty() {
            panic!("{message}");
        }
    })
    .map_err(from_panic)
}

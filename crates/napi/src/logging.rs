//! Log records of the `aerospike` crate (and of this addon), routed to a JavaScript function.
//!
//! One global logger (the `log` crate allows one per process) forwards each record at or above
//! the chosen level to the handler through a weak threadsafe function, so logging never keeps
//! the process alive and never blocks a Tokio thread.

// Only reachable through the Node-API exports, which a test build does not register.
#![cfg_attr(test, allow(dead_code))]

use std::sync::RwLock;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;

/// `(level, target, message)`; level: 0 error, 1 warn, 2 info, 3 debug, 4 trace.
type Handler =
    ThreadsafeFunction<(u32, String, String), (), (u32, String, String), Status, false, true, 0>;

static HANDLER: RwLock<Option<Handler>> = RwLock::new(None);

struct Forward;

impl log::Log for Forward {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let level = match record.level() {
            log::Level::Error => 0,
            log::Level::Warn => 1,
            log::Level::Info => 2,
            log::Level::Debug => 3,
            log::Level::Trace => 4,
        };
        if let Ok(guard) = HANDLER.read() {
            if let Some(h) = guard.as_ref() {
                h.call(
                    (level, record.target().to_owned(), record.args().to_string()),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }
        }
    }

    fn flush(&self) {}
}

static FORWARD: Forward = Forward;

/// Routes log records at or above `level` (-1 off, 0 error … 4 trace) to `handler`
/// (`(level, target, message) => void`); no handler turns logging off.
#[napi]
pub fn set_log_handler(
    handler: Option<Function<(u32, String, String), ()>>,
    level: i32,
) -> napi::Result<()> {
    // Installing twice fails harmlessly: the logger is already ours.
    let _ = log::set_logger(&FORWARD);
    let new = match handler {
        Some(f) => Some(
            f.build_threadsafe_function()
                .callee_handled::<false>()
                .weak::<true>()
                .build()?,
        ),
        None => None,
    };
    let filter = match (new.is_some(), level) {
        (false, _) | (_, i32::MIN..=-1) => log::LevelFilter::Off,
        (_, 0) => log::LevelFilter::Error,
        (_, 1) => log::LevelFilter::Warn,
        (_, 2) => log::LevelFilter::Info,
        (_, 3) => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    *HANDLER.write().unwrap_or_else(|e| e.into_inner()) = new;
    log::set_max_level(filter);
    Ok(())
}

/// Emits a log record from JavaScript's side of the addon (used by tests and the facade).
#[napi]
pub fn emit_log(level: u32, message: String) {
    let l = match level {
        0 => log::Level::Error,
        1 => log::Level::Warn,
        2 => log::Level::Info,
        3 => log::Level::Debug,
        _ => log::Level::Trace,
    };
    log::log!(target: "aerospike_napi", l, "{message}");
}

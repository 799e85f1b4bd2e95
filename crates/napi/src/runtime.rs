//! The addon's Tokio runtime: multi-threaded, owned by the addon, created when the module loads.
//!
//! Worker count: `AEROSPIKE_NAPI_WORKER_THREADS` if set (1..=64), otherwise the number of
//! available cores capped at 4 — client work is I/O bound, and a few workers keep up with
//! hundreds of in-flight commands without taking every core from the Node process.

use std::sync::OnceLock;

use napi::bindgen_prelude::create_custom_tokio_runtime;

static HANDLE: OnceLock<tokio::runtime::Handle> = OnceLock::new();

/// The addon's runtime, when `install` built it.
pub fn handle() -> Option<&'static tokio::runtime::Handle> {
    HANDLE.get()
}

/// Reads the configured worker count.
pub fn worker_threads() -> usize {
    std::env::var("AEROSPIKE_NAPI_WORKER_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 4)
        })
}

/// Installs the runtime napi-rs uses for every async function of this addon.
pub fn install() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("aerospike-napi")
        .enable_all()
        .build();
    if let Ok(rt) = rt {
        let _ = HANDLE.set(rt.handle().clone());
        create_custom_tokio_runtime(rt);
    }
}

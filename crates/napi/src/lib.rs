//! Node-API glue for aerospike-napi. Kept thin: argument decoding (`codec`, `policy`), error
//! mapping (`error`), and calls into the `aerospike` crate (`client`, `batch`), the columnar
//! reader (`aerospike-columnar`) and the embedded server (`server`). The TypeScript facade in
//! `src/` is the public API; this binding is private.

mod admin;
mod aggregate;
mod auth;
mod batch;
mod batch_direct;
mod cdt_ops;
mod client;
mod codec;
mod columns;
mod columns_write;
mod dispatch;
mod error;
mod exp;
mod fast;
mod inline;
mod key;
mod logging;
mod metrics;
mod mp;
mod particle;
mod path;
mod policy;
mod query;
mod runtime;
mod scan_direct;
mod server;
mod submit;
mod tls;
mod transcode;
mod udf;
#[cfg(unix)]
mod uvloop;
#[cfg(not(unix))]
#[path = "uvloop_off.rs"]
mod uvloop;

/// mimalloc rather than the system allocator for the addon's own allocations (Node's, such as
/// JavaScript buffers, are not affected): the crate's batch and scan parsing allocates per
/// record and per bin, and glibc's malloc and free were a fifth of that work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[napi_derive::module_init]
fn init() {
    runtime::install();
}

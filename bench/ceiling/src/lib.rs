//! What the benchmark's two Rust reference programs share: the workload names and data layout of
//! `bench/workloads.mjs`, and the one-JSON-line report that `bench/run.mjs` reads from every
//! measurement process.

pub mod report;
pub mod wire;
pub mod workload;

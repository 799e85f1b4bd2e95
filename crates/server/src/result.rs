//! Result codes the server sends (one byte in every reply header): the protocol crate's table.

pub use aerospike_cdt::result::*;

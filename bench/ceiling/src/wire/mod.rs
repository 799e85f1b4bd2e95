//! The wire ceiling: the benchmark's workloads as pre-encoded AS_MSG requests replayed over raw
//! TCP sockets, one request in flight per connection as every Aerospike client does, counting
//! reply frames and result codes and nothing more. No client can be faster against the same
//! server over the same loopback, so it is the limit every other row is a share of.

pub mod cluster;
pub mod drive;
pub mod encode;
pub mod requests;

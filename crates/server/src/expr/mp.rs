//! The msgpack cursor expressions are parsed with: the protocol crate's reader, which reads
//! headers and scalars one at a time and can step over a whole element, returning its raw
//! bytes. Expressions are arrays whose first element is an op code, so the builder needs the
//! exact element boundaries that a decoded value tree would lose.

pub use aerospike_cdt::msgpack::write::{array_header, typed_bytes};
pub use aerospike_cdt::msgpack::{Kind, Reader as Mp};

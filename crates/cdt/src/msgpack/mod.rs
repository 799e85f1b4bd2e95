//! Msgpack as Aerospike writes it, read and written in one place: [`Reader`] reads headers and
//! scalars one at a time and can step over a whole element (returning its raw bytes, which
//! expressions and HLL hashing need), and [`write`] appends elements in the smallest forms the
//! server emits. The value tree of [`crate::value`] is decoded and encoded through both.

mod read;
pub mod write;

pub use read::Reader;

/// What the next element is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nil,
    Bool,
    Int,
    Float,
    /// str or bin family.
    Bytes,
    Array,
    Map,
    /// ext family (wildcard, infinity, ordering markers).
    Ext,
    Invalid,
}

/// The kind of element a marker byte starts.
pub fn kind_of(b: u8) -> Kind {
    match b {
        0xc0 => Kind::Nil,
        0xc2 | 0xc3 => Kind::Bool,
        0x00..=0x7f | 0xe0..=0xff | 0xcc..=0xcf | 0xd0..=0xd3 => Kind::Int,
        0xca | 0xcb => Kind::Float,
        0xa0..=0xbf | 0xc4..=0xc6 | 0xd9..=0xdb => Kind::Bytes,
        0x90..=0x9f | 0xdc | 0xdd => Kind::Array,
        0x80..=0x8f | 0xde | 0xdf => Kind::Map,
        0xc7..=0xc9 | 0xd4..=0xd8 => Kind::Ext,
        _ => Kind::Invalid,
    }
}

#[cfg(test)]
mod tests;

//! The `getBy*` / `removeBy*` operations of lists and maps: each wire code names a shape of
//! arguments and whether the selection is read or removed. The arguments are read here once for
//! every such operation; `list.rs` and `map.rs` only pick the crate's builder.

use aerospike::Value;

use super::args::{int, list, opt_int};
use crate::codec::{CodecError, Reader};

/// What a selection's arguments are (the return type follows them).
#[derive(Clone, Copy)]
pub enum Shape {
    Key,
    Keys,
    KeyRange,
    KeyRel,
    Value,
    Values,
    ValueRange,
    ValueRel,
    Index,
    IndexRange,
    Rank,
    RankRange,
}

/// A selection's arguments, by [`Shape`]. Ranges carry an optional count (`None`: to the end).
pub enum Selection {
    Key(Value),
    Keys(Vec<Value>),
    KeyRange(Value, Value),
    KeyRel(Value, i64, Option<i64>),
    Value(Value),
    Values(Vec<Value>),
    ValueRange(Value, Value),
    ValueRel(Value, i64, Option<i64>),
    Index(i64),
    IndexRange(i64, Option<i64>),
    Rank(i64),
    RankRange(i64, Option<i64>),
}

/// A selection operation's wire code, the shape of its arguments, and whether it removes.
pub type Entry = (i64, Shape, bool);

/// The selection `code` names in `table`, its arguments read, and whether it removes; `None`
/// (nothing read) for other operations.
pub fn read(
    table: &[Entry],
    code: i64,
    r: &mut Reader<'_>,
) -> Result<Option<(Selection, bool)>, CodecError> {
    match table.iter().find(|e| e.0 == code) {
        Some(&(_, shape, remove)) => Ok(Some((Selection::read(shape, r)?, remove))),
        None => Ok(None),
    }
}

impl Selection {
    /// Reads the arguments of a selection of shape `shape`.
    pub fn read(shape: Shape, r: &mut Reader<'_>) -> Result<Self, CodecError> {
        Ok(match shape {
            Shape::Key => Selection::Key(r.value()?),
            Shape::Keys => Selection::Keys(list(r)?),
            Shape::KeyRange => Selection::KeyRange(r.value()?, r.value()?),
            Shape::KeyRel => Selection::KeyRel(r.value()?, int(r)?, opt_int(r)?),
            Shape::Value => Selection::Value(r.value()?),
            Shape::Values => Selection::Values(list(r)?),
            Shape::ValueRange => Selection::ValueRange(r.value()?, r.value()?),
            Shape::ValueRel => Selection::ValueRel(r.value()?, int(r)?, opt_int(r)?),
            Shape::Index => Selection::Index(int(r)?),
            Shape::IndexRange => Selection::IndexRange(int(r)?, opt_int(r)?),
            Shape::Rank => Selection::Rank(int(r)?),
            Shape::RankRange => Selection::RankRange(int(r)?, opt_int(r)?),
        })
    }
}

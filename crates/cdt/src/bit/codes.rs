//! The bit ops' codes and flags, and the size bound on their offsets and blobs.

pub(super) use crate::params::write_flags::{
    CREATE_ONLY, DO_PARTIAL as PARTIAL, NO_FAIL, UPDATE_ONLY,
};
// The largest message the server accepts bounds blobs, offsets and sizes.
pub(super) use crate::wire::proto::MAX_BODY as PROTO_SIZE_MAX;

// Op codes.
pub(super) const RESIZE: i64 = 0;
pub(super) const INSERT: i64 = 1;
pub(super) const REMOVE: i64 = 2;
pub(super) const SET: i64 = 3;
pub(super) const OR: i64 = 4;
pub(super) const XOR: i64 = 5;
pub(super) const AND: i64 = 6;
pub(super) const NOT: i64 = 7;
pub(super) const LSHIFT: i64 = 8;
pub(super) const RSHIFT: i64 = 9;
pub(super) const ADD: i64 = 10;
pub(super) const SUBTRACT: i64 = 11;
pub(super) const SET_INT: i64 = 12;
pub(super) const GET: i64 = 50;
pub(super) const COUNT: i64 = 51;
pub(super) const LSCAN: i64 = 52;
pub(super) const RSCAN: i64 = 53;
pub(super) const GET_INT: i64 = 54;

// Resize flags.
pub(super) const FROM_FRONT: u64 = 1;
pub(super) const GROW_ONLY: u64 = 2;
pub(super) const SHRINK_ONLY: u64 = 4;

// Integer flags.
pub(super) const SIGNED: u64 = 1;
pub(super) const SATURATE: u64 = 2;
pub(super) const WRAP: u64 = 4;

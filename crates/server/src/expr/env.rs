//! What an expression sees when it is evaluated.

use crate::record::{Digest, Record};

/// What an expression can see: the record (as the command has changed it so far), its digest
/// and the current time.
pub struct Env<'a> {
    pub rec: &'a Record,
    pub digest: &'a Digest,
    /// Nanoseconds since the Unix epoch.
    pub now_ns: u64,
}

//! HyperLogLog operations.

use crate::{rc, Kind, Outcome};

pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let _ = (kind, current, op);
    Err(rc::PARAMETER)
}

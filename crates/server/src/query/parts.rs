//! The partitions a scan or query asks for: PID_ARRAY (whole partitions), DIGEST_ARRAY (resume
//! after the last digest the client received) and, for index queries, BVAL_ARRAY (the index
//! value that digest was found under, one per digest). Partitions are walked in ascending id
//! order, as the real server does.

use crate::msg::*;
use crate::record::{partition_of, Digest, PARTITIONS};
use crate::result as rc;

/// Where to start in one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    pub digest: Digest,
    /// The bval sent with the digest (index queries).
    pub bval: i64,
}

/// One requested partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub pid: usize,
    pub resume: Option<Resume>,
}

/// Reads the requested partitions. Without PID_ARRAY and DIGEST_ARRAY every partition is
/// walked; duplicates, a missing or mismatched BVAL_ARRAY (when `bvals` are expected) and
/// empty arrays are PARAMETER errors.
pub fn requested(m: &Message<'_>, bvals: bool) -> Result<Vec<Part>, u8> {
    let pids = m.field(FIELD_PID_ARRAY);
    let digests = m.field(FIELD_DIGEST_ARRAY);
    if pids.is_none() && digests.is_none() {
        return Ok((0..PARTITIONS)
            .map(|pid| Part { pid, resume: None })
            .collect());
    }
    let mut slots: Vec<Option<Part>> = vec![None; PARTITIONS];
    if let Some(p) = pids {
        if p.is_empty() || p.len() % 2 != 0 {
            return Err(rc::PARAMETER);
        }
        for c in p.chunks_exact(2) {
            let pid = u16::from_le_bytes([c[0], c[1]]) as usize;
            if pid >= PARTITIONS || slots[pid].is_some() {
                return Err(rc::PARAMETER);
            }
            slots[pid] = Some(Part { pid, resume: None });
        }
    }
    let bval_field = m.field(FIELD_BVAL_ARRAY);
    if let Some(d) = digests {
        if d.is_empty() || d.len() % 20 != 0 {
            return Err(rc::PARAMETER);
        }
        let n = d.len() / 20;
        let bv = match (bvals, bval_field) {
            (true, Some(b)) if b.len() == n * 8 => Some(b),
            (true, _) => return Err(rc::PARAMETER),
            (false, _) => None,
        };
        for (i, c) in d.chunks_exact(20).enumerate() {
            let mut digest = [0u8; 20];
            digest.copy_from_slice(c);
            let pid = partition_of(&digest);
            if slots[pid].is_some() {
                return Err(rc::PARAMETER);
            }
            let bval = bv.map_or(0, |b| {
                let mut x = [0u8; 8];
                x.copy_from_slice(&b[i * 8..i * 8 + 8]);
                i64::from_le_bytes(x)
            });
            slots[pid] = Some(Part {
                pid,
                resume: Some(Resume { digest, bval }),
            });
        }
    } else if bvals && bval_field.is_some() {
        return Err(rc::PARAMETER);
    }
    Ok(slots.into_iter().flatten().collect())
}

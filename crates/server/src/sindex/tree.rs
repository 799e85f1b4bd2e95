//! One secondary index's data: per partition, an ordered set of (sort key, digest) entries —
//! the real server's per-partition trees, so a partition query walks its entries in key order
//! and resumes after a (bval, digest) pair.
//!
//! Every change to a partition's entries happens while the caller holds that partition's
//! write lock, and queries read them under its read lock, so entries always agree with the
//! records (lock order: partition, then the index's partition set).

use std::collections::BTreeSet;
use std::ops::Bound;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use super::def::Def;
use super::extract;
use crate::record::Record;
use crate::record::{partition_of, Digest, PARTITIONS};

/// An index entry: sort key, then digest.
pub type Entry = (u64, Digest);

/// A secondary index with its entries.
pub struct SIndex {
    pub def: Def,
    parts: Vec<Mutex<BTreeSet<Entry>>>,
    entries: AtomicU64,
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

impl SIndex {
    /// An empty index.
    pub fn new(def: Def) -> SIndex {
        SIndex {
            def,
            parts: (0..PARTITIONS).map(|_| Mutex::default()).collect(),
            entries: AtomicU64::new(0),
        }
    }

    fn part(&self, pid: usize) -> MutexGuard<'_, BTreeSet<Entry>> {
        self.parts[pid & (PARTITIONS - 1)]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Number of entries.
    pub fn entries(&self) -> u64 {
        self.entries.load(Ordering::Relaxed)
    }

    /// Brings a record's entries from what `old` had to what `new` has (either may be absent).
    pub fn update(&self, digest: &Digest, old: Option<&Record>, new: Option<&Record>) {
        let applies = |r: &&Record| self.def.covers_set(&r.set);
        let (old, new) = (old.filter(applies), new.filter(applies));
        if old.is_none() && new.is_none() {
            return;
        }
        let now = now_ns();
        let before = old.map_or_else(Vec::new, |r| extract::keys(&self.def, r, digest, now));
        let after = new.map_or_else(Vec::new, |r| extract::keys(&self.def, r, digest, now));
        if before == after {
            return;
        }
        let mut part = self.part(partition_of(digest));
        for k in before.iter().filter(|k| after.binary_search(k).is_err()) {
            if part.remove(&(*k, *digest)) {
                self.entries.fetch_sub(1, Ordering::Relaxed);
            }
        }
        for k in after.iter().filter(|k| before.binary_search(k).is_err()) {
            if part.insert((*k, *digest)) {
                self.entries.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Calls `f` on the entries of partition `pid` with keys from `start` up to `end`
    /// (inclusive), in order, while `f` returns true.
    pub fn visit(
        &self,
        pid: usize,
        start: Bound<Entry>,
        end: u64,
        mut f: impl FnMut(&Entry) -> bool,
    ) {
        if let Bound::Included((k, _)) | Bound::Excluded((k, _)) = start {
            if k > end {
                return;
            }
        }
        let part = self.part(pid);
        let range = part.range((start, Bound::Included((end, [0xff; 20]))));
        for e in range {
            if !f(e) {
                break;
            }
        }
    }
}

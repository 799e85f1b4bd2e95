//! The in-memory store: per namespace, 4096 partitions, each behind its own lock.
//!
//! Every change of a record goes through the namespace ([`Namespace::put`], [`Namespace::remove`],
//! the sweep of expired records, truncate), which keeps its secondary indexes right under the
//! same partition lock.
//!
//! A partition is a `BTreeMap` keyed by digest so scans can walk it in the real server's order
//! (descending digest) and resume after a digest. Locks are held only for the synchronous
//! work of one command on one record (a batch holds the read locks of a few rows at once, all
//! but the first taken only if free); nothing awaits while holding one.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

use crate::clock::Clock;
use crate::record::{partition_of, prefetch, Digest, Record, PARTITIONS};
use crate::sindex::{Registry, SIndex};

/// [`Namespace::soonest`] of a partition none of whose records expires.
const NEVER: u32 = u32::MAX;

pub use crate::partition::Partition;

/// One namespace.
pub struct Namespace {
    /// The namespace name.
    pub name: String,
    /// Default TTL in seconds for writes that ask for it (0 = never expire).
    pub default_ttl: u32,
    partitions: Vec<RwLock<Partition>>,
    /// Per partition, no later than the earliest void time of its records ([`NEVER`]: none
    /// expires): lowered by every put, recomputed by the sweep.
    soonest: Vec<AtomicU32>,
    /// The set names of the namespace's records, one copy each ([`Namespace::put`]).
    sets: RwLock<HashSet<Arc<str>>>,
    /// Secondary indexes, kept right by every change of a record ([`Namespace::put`],
    /// [`Namespace::remove`], sweep and truncate), under the partition's write lock.
    pub sindex: Registry,
}

impl Namespace {
    /// An empty namespace.
    pub fn new(name: &str, default_ttl: u32) -> Self {
        Namespace {
            name: name.to_string(),
            default_ttl,
            partitions: (0..PARTITIONS)
                .map(|_| RwLock::new(Partition::default()))
                .collect(),
            soonest: (0..PARTITIONS).map(|_| AtomicU32::new(NEVER)).collect(),
            sets: Default::default(),
            sindex: Default::default(),
        }
    }

    /// Read access to the partition holding `digest`.
    pub fn read(&self, pid: usize) -> RwLockReadGuard<'_, Partition> {
        // A poisoned lock only means another command panicked mid-update; the map itself is
        // still a valid map, so keep serving it.
        self.partitions[pid & (PARTITIONS - 1)]
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Read access to a partition if it can be had without waiting (no writer holds or awaits
    /// it). Lets a thread that already holds one partition lock take more without deadlock.
    pub fn try_read(&self, pid: usize) -> Option<RwLockReadGuard<'_, Partition>> {
        match self.partitions[pid & (PARTITIONS - 1)].try_read() {
            Ok(g) => Some(g),
            Err(TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Hints the CPU to start loading a partition's lock, which a batch is about to take.
    pub fn prefetch(&self, pid: usize) {
        let lock: *const RwLock<Partition> = &self.partitions[pid & (PARTITIONS - 1)];
        prefetch(lock.cast());
    }

    /// Write access to a partition.
    pub fn write(&self, pid: usize) -> RwLockWriteGuard<'_, Partition> {
        self.partitions[pid & (PARTITIONS - 1)]
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The partition of `digest` locked for a change to that record, with the time read just
    /// before (nanoseconds since the epoch, citrusleaf seconds): a single-record write, delete
    /// or UDF call judges expiry and stamps the record with these.
    pub fn write_record(
        &self,
        clock: &Clock,
        digest: &Digest,
    ) -> (u64, u32, RwLockWriteGuard<'_, Partition>) {
        let now_ns = clock.now_ns();
        let now = clock.now_cl();
        (now_ns, now, self.write(partition_of(digest)))
    }

    /// Stores `rec` under `digest` in `part` (the locked partition holding it), sealed (its
    /// bins encoded for reads of all of them) and with the namespace's copy of its set name.
    pub fn put(&self, part: &mut Partition, digest: Digest, mut rec: Record) {
        rec.seal();
        rec.set = self.set_name(&rec.set);
        if rec.void_time != 0 {
            self.soonest[partition_of(&digest)].fetch_min(rec.void_time, Ordering::Relaxed);
        }
        if self.sindex.is_empty() {
            part.insert(digest, rec);
            return;
        }
        let old = part.insert(digest, rec);
        self.sindex
            .on_change(&digest, old.as_ref(), part.get(&digest));
    }

    /// Removes the record under `digest` from `part` (the locked partition holding it).
    pub fn remove(&self, part: &mut Partition, digest: &Digest) -> Option<Record> {
        let old = part.remove(digest)?;
        self.sindex.on_change(digest, Some(&old), None);
        Some(old)
    }

    /// Adds the records already stored to a new index, partition by partition. Writes that
    /// race with the build update the index themselves (it is registered first), and adding
    /// an entry twice is harmless.
    pub fn build_index(&self, ix: &SIndex) {
        for pid in 0..PARTITIONS {
            let part = self.read(pid);
            for (d, r) in part.iter() {
                ix.update(d, None, Some(r));
            }
        }
    }

    /// The namespace's one copy of the set name `set`, added on first use. Sets are few (the
    /// real server allows 1023 per namespace), so the copies are never dropped.
    fn set_name(&self, set: &Arc<str>) -> Arc<str> {
        let sets = self.sets.read().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = sets.get(&**set) {
            return s.clone();
        }
        drop(sets);
        let mut sets = self.sets.write().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = sets.get(&**set) {
            return s.clone();
        }
        sets.insert(set.clone());
        set.clone()
    }

    /// Removes expired records everywhere; returns how many. Only partitions where a record
    /// may have expired are looked at: a namespace without TTLs costs nothing per second.
    pub fn sweep_expired(&self, now_cl: u32) -> usize {
        let mut n = 0;
        for pid in 0..PARTITIONS {
            let soonest = self.soonest[pid].load(Ordering::Relaxed);
            if soonest == NEVER || soonest > now_cl {
                continue;
            }
            let mut p = self.write(pid);
            let before = p.len();
            let mut next = NEVER;
            p.retain(|d, r| {
                let keep = !r.expired(now_cl);
                if !keep {
                    self.sindex.on_change(d, Some(r), None);
                } else if r.void_time != 0 {
                    next = next.min(r.void_time);
                }
                keep
            });
            // Under the write lock: a put after this lowers it again.
            self.soonest[pid].store(next, Ordering::Relaxed);
            n += before - p.len();
        }
        n
    }

    /// Calls `f` for every live record, partition by partition.
    pub fn for_each(&self, now_cl: u32, mut f: impl FnMut(&Digest, &Record)) {
        for pid in 0..PARTITIONS {
            for (d, r) in self.read(pid).iter() {
                if !r.expired(now_cl) {
                    f(d, r);
                }
            }
        }
    }

    /// Deletes the records of `set` (all sets when `None`) last updated before `before_ns`.
    pub fn truncate(&self, set: Option<&str>, before_ns: u64) -> usize {
        let mut n = 0;
        for pid in 0..PARTITIONS {
            let mut p = self.write(pid);
            let before = p.len();
            p.retain(|d, r| {
                let keep = !(set.is_none_or(|s| &*r.set == s) && r.last_update_ns < before_ns);
                if !keep {
                    self.sindex.on_change(d, Some(r), None);
                }
                keep
            });
            n += before - p.len();
        }
        n
    }
}

/// All namespaces.
pub struct Store {
    pub namespaces: Vec<Namespace>,
}

impl Store {
    /// Empty namespaces with these names, all with the same default TTL.
    pub fn new(names: &[String], default_ttl: u32) -> Store {
        Store {
            namespaces: names
                .iter()
                .map(|n| Namespace::new(n, default_ttl))
                .collect(),
        }
    }

    /// The namespace with this name.
    pub fn namespace(&self, name: &[u8]) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.name.as_bytes() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::partition_of;

    #[test]
    fn truncate_respects_set_and_cutoff() {
        let ns = Namespace::new("test", 0);
        for (i, (set, lut)) in [("a", 10u64), ("a", 30), ("b", 10)].iter().enumerate() {
            let mut d = [0u8; 20];
            d[5] = i as u8;
            let r = Record {
                set: (*set).into(),
                last_update_ns: *lut,
                generation: 1,
                ..Default::default()
            };
            ns.write(partition_of(&d)).insert(d, r);
        }
        assert_eq!(ns.truncate(Some("a"), 20), 1);
        let mut left = 0;
        ns.for_each(0, |_, _| left += 1);
        assert_eq!(left, 2);
        assert_eq!(ns.truncate(None, u64::MAX), 2);
    }
}

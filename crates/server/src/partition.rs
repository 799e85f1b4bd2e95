//! One partition's records, in digest order, and which of them belong to each set.
//!
//! A set scan walks only its set's records, as the real server does with its per-set index,
//! instead of every record of the namespace: a small set in a large namespace costs its own
//! size. Reading goes through `Deref` to the map; every change goes through the methods here,
//! which keep the set membership right.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::{Bound, Deref};
use std::sync::Arc;

use crate::record::{Digest, Record};

/// The records of one partition.
#[derive(Default)]
pub struct Partition {
    records: BTreeMap<Digest, Record>,
    /// The digests of each named set's records (records without a set are in none).
    sets: HashMap<Arc<str>, BTreeSet<Digest>>,
}

impl Deref for Partition {
    type Target = BTreeMap<Digest, Record>;

    fn deref(&self) -> &Self::Target {
        &self.records
    }
}

impl Partition {
    /// Stores `rec` under `digest`; returns the record it replaces.
    pub fn insert(&mut self, digest: Digest, rec: Record) -> Option<Record> {
        let set = rec.set.clone();
        let old = self.records.insert(digest, rec);
        if let Some(o) = &old {
            if o.set == set {
                return old;
            }
            self.leave(&o.set, &digest);
        }
        if !set.is_empty() {
            self.sets.entry(set).or_default().insert(digest);
        }
        old
    }

    /// Removes the record under `digest`.
    pub fn remove(&mut self, digest: &Digest) -> Option<Record> {
        let old = self.records.remove(digest)?;
        self.leave(&old.set, digest);
        Some(old)
    }

    /// Keeps only the records for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Digest, &Record) -> bool) {
        let mut gone = Vec::new();
        self.records.retain(|d, r| {
            let k = keep(d, r);
            if !k {
                gone.push((r.set.clone(), *d));
            }
            k
        });
        for (set, d) in gone {
            self.leave(&set, &d);
        }
    }

    /// The record under `digest`, to change in place; its set must stay the same.
    pub fn get_mut(&mut self, digest: &Digest) -> Option<&mut Record> {
        self.records.get_mut(digest)
    }

    fn leave(&mut self, set: &str, digest: &Digest) {
        if let Some(members) = self.sets.get_mut(set) {
            members.remove(digest);
            if members.is_empty() {
                self.sets.remove(set);
            }
        }
    }

    /// Calls `f` with the records below `below` (all when `None`) in descending digest order,
    /// only those of `set` when one is named (and perhaps others: the caller still checks).
    /// A set that holds most of the partition is found by walking every record, which costs
    /// less than looking each member up.
    pub fn walk_down<'p>(
        &'p self,
        set: Option<&[u8]>,
        below: Option<Digest>,
        f: impl FnOnce(&mut dyn Iterator<Item = (&'p Digest, &'p Record)>),
    ) {
        let upper = below.map_or(Bound::Unbounded, Bound::Excluded);
        let range = (Bound::Unbounded, upper);
        // Records without a set are in no member list: an empty set name walks every record.
        let set = set.filter(|s| !s.is_empty());
        let members = match set.map(|s| std::str::from_utf8(s).map(|s| self.sets.get(s))) {
            // A set name that is not UTF-8 names no stored set.
            Some(Err(_)) | Some(Ok(None)) => return f(&mut std::iter::empty()),
            Some(Ok(Some(m))) if m.len() * 2 < self.records.len() => m,
            _ => return f(&mut self.records.range(range).rev()),
        };
        f(&mut members
            .range(range)
            .rev()
            .filter_map(|d| self.records.get_key_value(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(set: &str) -> Record {
        Record {
            set: set.into(),
            generation: 1,
            ..Default::default()
        }
    }

    fn digest(i: u8) -> Digest {
        [i; 20]
    }

    /// The digests `walk_down` yields that are in `set`.
    fn members(p: &Partition, set: &str, below: Option<Digest>) -> Vec<u8> {
        let mut out = vec![];
        p.walk_down(Some(set.as_bytes()), below, |it| {
            out.extend(it.filter(|(_, r)| &*r.set == set).map(|(d, _)| d[0]))
        });
        out
    }

    #[test]
    fn a_small_set_is_walked_through_its_members_in_digest_order() {
        let mut p = Partition::default();
        for i in 1..=9 {
            p.insert(digest(i), rec(if i % 3 == 0 { "a" } else { "b" }));
        }
        p.insert(digest(10), rec(""));
        assert_eq!(members(&p, "a", None), [9, 6, 3]);
        assert_eq!(members(&p, "a", Some(digest(6))), [3]);
        // "b" holds most of the partition: every record is walked, in the same order.
        assert_eq!(members(&p, "b", Some(digest(8))), [7, 5, 4, 2, 1]);
        let mut walked = 0;
        p.walk_down(Some(b"c"), None, |it| walked = it.count());
        assert_eq!(walked, 0);
        // No set name: every record, those without a set too.
        p.walk_down(Some(b""), None, |it| walked = it.count());
        assert_eq!(walked, 10);

        p.remove(&digest(6));
        p.retain(|d, _| d[0] != 9);
        assert_eq!(members(&p, "a", None), [3]);
        p.remove(&digest(3));
        assert!(!p.sets.contains_key("a"));
        // Replacing a record keeps one membership.
        p.insert(digest(1), rec("b"));
        assert_eq!(p.sets["b"].len(), 6);
    }
}

//! The write paths of a namespace that keep its secondary indexes right: every insert,
//! replace and removal of a record goes through these while the caller holds the partition's
//! write lock.

use crate::record::Record;
use crate::record::{Digest, PARTITIONS};
use crate::store::{Namespace, Partition};

impl Namespace {
    /// Stores `rec` under `digest` in `part` (the locked partition holding it).
    pub fn put(&self, part: &mut Partition, digest: Digest, rec: Record) {
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
    pub fn build_index(&self, ix: &crate::sindex::SIndex) {
        for pid in 0..PARTITIONS {
            let part = self.read(pid);
            for (d, r) in part.iter() {
                ix.update(d, None, Some(r));
            }
        }
    }
}

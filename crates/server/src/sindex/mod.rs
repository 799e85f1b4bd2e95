//! Secondary indexes: their definitions and entries, kept by the store.
//!
//! The catalog ([`crate::catalog`]) keeps the text definitions the info commands list; this
//! module keeps the data. Each namespace has a [`Registry`] of built indexes. Every change to a
//! partition's records goes through [`Namespace::put`](crate::store::Namespace::put) /
//! [`remove`](crate::store::Namespace::remove) (or the namespace's sweep and truncate), which
//! update the indexes under the same partition lock; creating an index builds it from the
//! existing records before the info command answers, so it is queryable at once.
//!
//! One concept per module: [`ctx`] (CDT context paths), [`def`] (checked definitions),
//! [`extract`] (a record's indexed elements and sort keys), [`tree`] (entries per partition),
//! [`filter`] (INDEX_RANGE). Queries that use them are in [`crate::query`], the sindex info
//! commands in [`crate::info`].

pub mod ctx;
pub mod def;
pub mod extract;
pub mod filter;
pub mod tree;

#[cfg(test)]
mod tests;

use std::sync::{Arc, RwLock, RwLockReadGuard};

use crate::record::Digest;
use crate::record::Record;
pub use tree::SIndex;

/// The built indexes of one namespace.
#[derive(Default)]
pub struct Registry {
    list: RwLock<Vec<Arc<SIndex>>>,
}

impl Registry {
    fn read(&self) -> RwLockReadGuard<'_, Vec<Arc<SIndex>>> {
        self.list.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps every index right after a record changed from `old` to `new`.
    pub fn on_change(&self, digest: &Digest, old: Option<&Record>, new: Option<&Record>) {
        for ix in self.read().iter() {
            ix.update(digest, old, new);
        }
    }

    /// Whether there are no indexes (writes then skip all index work).
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Adds an (empty) index unless one of that name exists; returns whether it was added.
    /// The caller builds it afterwards.
    pub fn add_if_absent(&self, ix: Arc<SIndex>) -> bool {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        if list.iter().any(|x| x.def.name == ix.def.name) {
            return false;
        }
        list.push(ix);
        true
    }

    /// Drops the index named `name`; returns it.
    pub fn remove(&self, name: &str) -> Option<Arc<SIndex>> {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        let pos = list.iter().position(|ix| ix.def.name == name)?;
        Some(list.remove(pos))
    }

    /// The index named `name`.
    pub fn by_name(&self, name: &str) -> Option<Arc<SIndex>> {
        self.read().iter().find(|ix| ix.def.name == name).cloned()
    }

    /// The first index satisfying `pred`.
    pub fn find(&self, pred: impl Fn(&SIndex) -> bool) -> Option<Arc<SIndex>> {
        self.read().iter().find(|ix| pred(ix)).cloned()
    }
}

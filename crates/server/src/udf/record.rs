//! The record a UDF works on (`rec` in Lua), following the real server's model: bin reads and
//! writes go through a cache; `aerospike:create`/`update`/`remove` apply the cached changes to a
//! working copy of the record; the executor stores that copy when the function succeeds and
//! changed it. Changes made after the last create/update are not stored. How Lua code reaches
//! its bins is in [`super::userdata`].

use std::cell::RefCell;
use std::rc::Rc;

use super::value::Val;
use crate::record::Digest;
use crate::record::{Record, Value as Particle, MAX_BIN_NAME};

/// The state behind one `rec`.
#[derive(Debug, Default)]
pub struct RecState {
    /// The record exists (it did when the call started, or the UDF created it).
    pub exists: bool,
    /// Working copy: the stored record plus the updates applied so far.
    pub stored: Record,
    /// Bin values read or written by the UDF: name, value, written-but-not-applied.
    pub cache: Vec<(String, Val, bool)>,
    /// Some update was applied: the working copy must be stored.
    pub has_updates: bool,
    /// `record.set_ttl`: overrides the command's TTL.
    pub ttl: Option<u32>,
    /// `record.drop_key`.
    pub drop_key: bool,
    pub digest: Digest,
    /// The user key the command carried (stored when the UDF creates the record).
    pub msg_key: Option<Particle>,
    /// Now, in citrusleaf seconds.
    pub now: u32,
}

impl RecState {
    /// Applies written cache entries to the working copy.
    fn execute_updates(&mut self) -> Result<(), String> {
        for (name, value, dirty) in self.cache.iter_mut() {
            if !*dirty {
                continue;
            }
            let p = value.to_particle()?;
            self.stored.set_bin(name, p);
            *dirty = false;
        }
        self.has_updates = true;
        Ok(())
    }
}

/// `rec`: a handle on shared state (the executor keeps the other handle).
#[derive(Clone)]
pub struct UdfRecord(pub Rc<RefCell<RecState>>);

impl UdfRecord {
    pub fn ttl(&self) -> u32 {
        let st = self.0.borrow();
        if !st.exists {
            return 0;
        }
        st.stored.void_time.saturating_sub(st.now)
    }

    pub fn gen(&self) -> u16 {
        let st = self.0.borrow();
        if st.exists {
            st.stored.generation
        } else {
            0
        }
    }

    /// `record.set_ttl(rec, t)`: -1 never expires, -2 keeps the current expiry, 0 namespace
    /// default (the wire TTL conventions).
    pub fn set_ttl(&self, ttl: i64) {
        self.0.borrow_mut().ttl = Some(ttl as u32);
    }

    pub fn key(&self) -> Val {
        let st = self.0.borrow();
        st.stored
            .key
            .as_ref()
            .or(st.msg_key.as_ref())
            .map_or(Val::Nil, Val::from_particle)
    }

    pub fn bin_names(&self) -> Vec<String> {
        let st = self.0.borrow();
        if !st.exists {
            return vec![];
        }
        st.stored.bins.iter().map(|(n, _)| n.to_string()).collect()
    }

    pub(super) fn get(&self, name: &str) -> Val {
        let mut st = self.0.borrow_mut();
        if let Some((_, v, _)) = st.cache.iter().find(|(n, _, _)| n == name) {
            return v.clone();
        }
        if !st.exists {
            return Val::Nil;
        }
        let Some(v) = st.stored.bin(name.as_bytes()).map(Val::from_particle) else {
            return Val::Nil;
        };
        st.cache.push((name.to_string(), v.clone(), false));
        v
    }

    pub(super) fn set(&self, name: &str, value: Val) {
        if name.is_empty() || name.len() > MAX_BIN_NAME {
            return;
        }
        let mut st = self.0.borrow_mut();
        match st.cache.iter_mut().find(|(n, _, _)| n == name) {
            Some(entry) => {
                entry.1 = value;
                entry.2 = true;
            }
            None => st.cache.push((name.to_string(), value, true)),
        }
    }

    /// `aerospike:create(rec)`: 0 created, 1 already exists.
    pub fn create(&self) -> Result<i64, String> {
        let mut st = self.0.borrow_mut();
        if st.exists {
            if !st.stored.bins.is_empty() {
                return Ok(1);
            }
        } else {
            st.exists = true;
            st.stored.key = st.msg_key.clone();
        }
        st.execute_updates()?;
        Ok(0)
    }

    /// `aerospike:update(rec)`: 0 done; -2 when the record does not exist.
    pub fn update(&self) -> Result<i64, String> {
        let mut st = self.0.borrow_mut();
        if !st.exists {
            return Ok(-2);
        }
        st.execute_updates()?;
        Ok(0)
    }

    /// `aerospike:remove(rec)`: 0 removed, 1 no record.
    pub fn remove(&self) -> i64 {
        let mut st = self.0.borrow_mut();
        if !st.exists {
            return 1;
        }
        let names: Vec<String> = st.stored.bins.iter().map(|(n, _)| n.to_string()).collect();
        st.cache = names.into_iter().map(|n| (n, Val::Nil, true)).collect();
        // Removing bins cannot fail.
        let _ = st.execute_updates();
        0
    }
}

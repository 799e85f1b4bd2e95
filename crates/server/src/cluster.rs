//! Several embedded server nodes forming one cluster on loopback ports.
//!
//! The nodes share one store (the data lives once, as if replication were perfect), but each
//! answers for its own partitions: partitions are split among the live nodes (sorted by node id,
//! partition `p` to node `p mod n`), every node lists the others as peers, and the partition
//! generation goes up whenever a node joins or leaves. A single-record command that reaches a
//! node not owning its partition is still served, and counted as misrouted, so tests can check
//! that a client routes every key to its owner.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::record::PARTITIONS;
use crate::{catalog, store, Config};

/// A live member.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub addr: SocketAddr,
    /// The TLS name it advertises when its port speaks TLS (`None`: plaintext).
    pub tls_name: Option<String>,
}

/// Membership, ownership and the shared data of a cluster.
pub struct Cluster {
    members: RwLock<Vec<Member>>,
    generation: AtomicU64,
    misrouted: AtomicU64,
    pub(crate) store: Arc<store::Store>,
    pub(crate) catalog: Arc<catalog::Catalog>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("members", &self.members())
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl Cluster {
    /// An empty cluster whose nodes will serve `config`'s namespaces.
    pub fn new(config: &Config) -> Arc<Cluster> {
        Arc::new(Cluster {
            members: RwLock::new(Vec::new()),
            generation: AtomicU64::new(1),
            misrouted: AtomicU64::new(0),
            store: Arc::new(store::Store::new(&config.namespaces, config.default_ttl)),
            catalog: Arc::new(catalog::Catalog::default()),
        })
    }

    /// The live members, sorted by node id.
    pub fn members(&self) -> Vec<Member> {
        self.members
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Goes up on every membership change.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Single-record commands received by a node that does not own their partition.
    pub fn misrouted(&self) -> u64 {
        self.misrouted.load(Ordering::Relaxed)
    }

    pub(crate) fn count_misrouted(&self) {
        self.misrouted.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn join(&self, member: Member) {
        let mut m = self.members.write().unwrap_or_else(|e| e.into_inner());
        m.retain(|x| x.id != member.id);
        m.push(member);
        m.sort_by(|a, b| a.id.cmp(&b.id));
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn leave(&self, id: &str) {
        let mut m = self.members.write().unwrap_or_else(|e| e.into_inner());
        let before = m.len();
        m.retain(|x| x.id != id);
        if m.len() != before {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Whether node `id` owns `partition`.
    pub fn owns(&self, id: &str, partition: usize) -> bool {
        let m = self.members.read().unwrap_or_else(|e| e.into_inner());
        if m.is_empty() {
            return true;
        }
        m[partition % m.len()].id == id
    }

    /// The ownership bitmap of node `id` (4096 bits, partition 0 in the high bit of byte 0).
    pub fn bitmap(&self, id: &str) -> Vec<u8> {
        let m = self.members.read().unwrap_or_else(|e| e.into_inner());
        let mut bits = vec![0u8; PARTITIONS / 8];
        if let Some(me) = m.iter().position(|x| x.id == id) {
            for p in (me..PARTITIONS).step_by(m.len()) {
                bits[p / 8] |= 0x80 >> (p % 8);
            }
        }
        bits
    }
}

//! What the event-loop path keeps per client, shared with its Tokio tasks and read by the node
//! statistics. A leaf: the client holds one without depending on the path itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// What this path keeps per client (shared with its Tokio tasks).
pub struct ClientSide {
    /// Names the client's pools on every thread.
    pub(super) id: u64,
    /// A master map refresh is under way.
    pub(super) refreshing: AtomicBool,
    /// The path cannot serve this client (TLS, PKI, a refused login): the crate does.
    pub(super) declined: AtomicBool,
    /// Per node address: attempts retried and commands failed on this path, added to the crate's
    /// node metrics (which cannot count what it did not run).
    counts: Mutex<HashMap<String, (u64, u64)>>,
}

impl ClientSide {
    /// Counts a retry (`retry`) or a failed command on the node at `addr`.
    pub fn count(&self, addr: &str, retry: bool) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let c = counts.entry(addr.to_owned()).or_default();
        if retry {
            c.0 += 1;
        } else {
            c.1 += 1;
        }
    }

    /// (retries, failed commands) of this path on the node at `addr`.
    pub fn counts(&self, addr: &str) -> (u64, u64) {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.get(addr).copied().unwrap_or_default()
    }
}

impl Default for ClientSide {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        ClientSide {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            refreshing: AtomicBool::new(false),
            declined: AtomicBool::new(false),
            counts: Mutex::default(),
        }
    }
}

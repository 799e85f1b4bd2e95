//! Time, injectable so TTL tests move the clock instead of sleeping.
//!
//! Aerospike stores void times as seconds since the "citrusleaf epoch", 2010-01-01T00:00:00Z.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds from the Unix epoch to the citrusleaf epoch.
pub const CITRUSLEAF_EPOCH: u64 = 1_262_304_000;

/// The server's clock: wall time plus an adjustable offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ns: Arc<AtomicI64>,
}

impl Clock {
    /// A clock that follows the system time.
    pub fn system() -> Self {
        Clock::default()
    }

    /// Moves this clock (and every clone of it) forward by `secs` seconds.
    pub fn advance_secs(&self, secs: i64) {
        self.offset_ns
            .fetch_add(secs.saturating_mul(1_000_000_000), Ordering::Relaxed);
    }

    /// Nanoseconds since the Unix epoch.
    pub fn now_ns(&self) -> u64 {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as i64)
            .unwrap_or(0);
        wall.saturating_add(self.offset_ns.load(Ordering::Relaxed))
            .max(0) as u64
    }

    /// Seconds since the citrusleaf epoch.
    pub fn now_cl(&self) -> u32 {
        citrusleaf_secs(self.now_ns())
    }
}

/// Seconds since the citrusleaf epoch at `unix_ns` nanoseconds since the Unix epoch.
pub fn citrusleaf_secs(unix_ns: u64) -> u32 {
    (unix_ns / 1_000_000_000).saturating_sub(CITRUSLEAF_EPOCH) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone() {
        let c = Clock::system();
        let d = c.clone();
        let before = d.now_cl();
        c.advance_secs(100);
        assert!(d.now_cl() >= before + 100);
        assert!(d.now_cl() < before + 110);
    }
}

//! Read and write quotas: records per second per user, past which commands get
//! QUOTA_EXCEEDED.
//!
//! A user's quota is the largest of its roles' quotas (0 means none). Each user has one window
//! of the current second; a command counts one record (a batch one per distinct command).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::result as rc;

#[derive(Default)]
struct Window {
    second: u64,
    reads: u32,
    writes: u32,
}

/// The current second's counts of every user that has a quota.
#[derive(Default)]
pub struct Quotas {
    windows: Mutex<HashMap<String, Window>>,
}

impl Quotas {
    /// Counts one read (or write) by `user` at `second` if it stays within `quota`.
    pub fn admit(&self, user: &str, write: bool, quota: u32, second: u64) -> Result<(), u8> {
        if quota == 0 {
            return Ok(());
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.entry(user.to_string()).or_default();
        if w.second != second {
            *w = Window {
                second,
                ..Window::default()
            };
        }
        let count = if write { &mut w.writes } else { &mut w.reads };
        if *count >= quota {
            return Err(rc::QUOTA_EXCEEDED);
        }
        *count += 1;
        Ok(())
    }

    /// Forgets `user`'s window (the user was dropped).
    pub fn forget(&self, user: &str) {
        self.windows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quota_holds_for_one_second() {
        let q = Quotas::default();
        assert!(q.admit("u", false, 2, 7).is_ok());
        assert!(q.admit("u", false, 2, 7).is_ok());
        assert_eq!(q.admit("u", false, 2, 7), Err(rc::QUOTA_EXCEEDED));
        assert!(q.admit("u", true, 2, 7).is_ok(), "writes count apart");
        assert!(q.admit("u", false, 2, 8).is_ok(), "a new second");
        assert!(q.admit("v", false, 0, 8).is_ok());
    }
}

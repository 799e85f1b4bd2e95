//! Fault injection, for testing clients against a server that is slow, hung, dying or lying.
//!
//! A [`Faults`] value is shared by the server and whoever controls it (a test). Rules apply to
//! the next N requests of a kind (data commands or info requests) or until cleared; the server
//! also counts the requests it saw, so a test can check how many attempts a client made. The
//! listener can be stopped (port closed, every connection dropped) and started again on the
//! same address with the data intact.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;

/// What to do to a request instead of (or before) answering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally after a pause.
    Delay(Duration),
    /// Never answer; keep the connection open until the client closes it.
    Hang,
    /// Close the connection without answering.
    Close,
    /// Send the first half of the answer, then close the connection.
    CloseMidResponse,
    /// Answer a data command with this result code instead of executing it.
    Code(u8),
    /// Answer with bytes that are not a valid reply, then close the connection.
    Garbage,
}

/// Which requests a rule applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Data commands (AS_MSG: single-record, batch, scan/query).
    Commands,
    /// Info requests (what clients send to tend the cluster).
    Info,
}

#[derive(Debug)]
struct Rule {
    fault: Fault,
    target: Target,
    /// `None`: until cleared.
    remaining: Option<u64>,
}

/// Faults to inject and counters of what the server saw.
#[derive(Debug)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    commands: AtomicU64,
    info_requests: AtomicU64,
    bytes_sent: AtomicU64,
    listening: watch::Sender<bool>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rules: Mutex::new(Vec::new()),
            commands: AtomicU64::new(0),
            info_requests: AtomicU64::new(0),
            bytes_sent: AtomicU64::new(0),
            listening: watch::channel(true).0,
        }
    }
}

impl Faults {
    /// Adds a rule for the next `count` requests of `target` (`None`: until cleared). Rules are
    /// applied in the order they were added.
    pub fn inject(&self, fault: Fault, target: Target, count: Option<u64>) {
        if count == Some(0) {
            return;
        }
        self.lock().push(Rule {
            fault,
            target,
            remaining: count,
        });
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Data commands received so far.
    pub fn commands(&self) -> u64 {
        self.commands.load(Ordering::Relaxed)
    }

    /// Info requests received so far.
    pub fn info_requests(&self) -> u64 {
        self.info_requests.load(Ordering::Relaxed)
    }

    /// Bytes of data-command replies written to clients so far (counted as each chunk is
    /// written, so a reply that a client does not read stops counting; info replies are not
    /// counted).
    pub fn bytes_sent(&self) -> u64 {
        self.bytes_sent.load(Ordering::Relaxed)
    }

    /// Counts reply bytes written.
    pub fn add_sent(&self, n: usize) {
        self.bytes_sent.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Counts a request and returns the fault to apply to it, if any.
    pub fn on_request(&self, target: Target) -> Option<Fault> {
        match target {
            Target::Commands => self.commands.fetch_add(1, Ordering::Relaxed),
            Target::Info => self.info_requests.fetch_add(1, Ordering::Relaxed),
        };
        let mut rules = self.lock();
        let i = rules.iter().position(|r| r.target == target)?;
        let fault = rules[i].fault;
        if let Some(n) = rules[i].remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                rules.remove(i);
            }
        }
        Some(fault)
    }

    /// Stops (false) or starts (true) the listener. Stopping closes every connection.
    pub fn set_listening(&self, on: bool) {
        self.listening.send_replace(on);
    }

    /// Whether the listener is meant to be accepting.
    pub fn is_listening(&self) -> bool {
        *self.listening.borrow()
    }

    /// A receiver that changes whenever the listener is stopped or started.
    pub fn watch_listening(&self) -> watch::Receiver<bool> {
        self.listening.subscribe()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        // A panic while holding this lock cannot leave the rules inconsistent.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_in_order_and_expire() {
        let f = Faults::default();
        f.inject(Fault::Code(14), Target::Commands, Some(2));
        f.inject(Fault::Hang, Target::Commands, Some(1));
        f.inject(Fault::Close, Target::Info, None);
        assert_eq!(f.on_request(Target::Commands), Some(Fault::Code(14)));
        assert_eq!(f.on_request(Target::Info), Some(Fault::Close));
        assert_eq!(f.on_request(Target::Commands), Some(Fault::Code(14)));
        assert_eq!(f.on_request(Target::Commands), Some(Fault::Hang));
        assert_eq!(f.on_request(Target::Commands), None);
        assert_eq!(f.on_request(Target::Info), Some(Fault::Close));
        assert_eq!((f.commands(), f.info_requests()), (4, 2));
        f.clear();
        assert_eq!(f.on_request(Target::Info), None);
    }
}

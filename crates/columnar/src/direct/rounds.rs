//! The rounds of a direct columnar scan, as the official client's partition tracker runs them:
//! a node that failed in a way another attempt may fix (a connection that broke, a socket
//! timeout, a partition it could not serve) has what is left of its partitions sent again in
//! the next round, up to `maxRetries` more rounds, `sleepBetweenRetries` apart; `totalTimeout`
//! bounds the whole scan (the consumer's pauses included) and caps `socketTimeout`. A scan out
//! of rounds fails with the code of the last failure and lists every failure, as the official
//! client's message does.

use std::time::Duration;

use aerospike_cdt::result::client::{ERR_CONNECTION, ERR_INVALID_NODE, ERR_TIMEOUT};
use aerospike_cdt::result::{PARTITION_UNAVAILABLE, SINDEX_NOT_FOUND, SINDEX_NOT_READABLE};
use tokio::time::Instant;

use super::{ms, DirectError};

/// Whether a node's failure with `code` leaves its partitions to the next round (any other
/// failure ends the scan at once): the official client's list, with the secondary-index codes
/// a query may meet while an index is being built or dropped.
pub fn retryable(code: i32) -> bool {
    matches!(code, ERR_INVALID_NODE | ERR_CONNECTION | ERR_TIMEOUT)
        || [PARTITION_UNAVAILABLE, SINDEX_NOT_FOUND, SINDEX_NOT_READABLE]
            .iter()
            .any(|&c| i32::from(c) == code)
}

/// One failure of a round, for the final message.
struct Failure {
    code: i32,
    iteration: usize,
    node: String,
    what: String,
}

/// Round counting, deadline and the failures seen so far.
pub struct Rounds {
    iteration: usize,
    max_retries: usize,
    deadline: Option<Instant>,
    socket: Option<Duration>,
    sleep: Option<Duration>,
    failures: Vec<Failure>,
}

impl Rounds {
    /// Rounds of a scan starting now. A total timeout caps the socket timeout (and stands in
    /// for a socket timeout of 0), as the official client's does.
    pub fn new(
        total_timeout_ms: u32,
        socket_timeout_ms: u32,
        max_retries: usize,
        sleep_ms: u32,
    ) -> Rounds {
        let total = ms(total_timeout_ms);
        let socket = match (ms(socket_timeout_ms), total) {
            (Some(s), Some(t)) => Some(s.min(t)),
            (s, t) => s.or(t),
        };
        Rounds {
            iteration: 1,
            max_retries,
            deadline: total.map(|t| Instant::now() + t),
            socket,
            sleep: ms(sleep_ms),
            failures: Vec::new(),
        }
    }

    /// When the whole scan must have ended.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// The socket timeout of this round's reads: never past the deadline.
    pub fn socket_timeout(&self) -> Option<Duration> {
        let left = self.deadline.map(|d| {
            d.saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1))
        });
        match (self.socket, left) {
            (Some(s), Some(l)) => Some(s.min(l)),
            (s, l) => s.or(l),
        }
    }

    /// The error of a scan whose deadline passed.
    pub fn timed_out(&self) -> DirectError {
        DirectError::new(
            ERR_TIMEOUT,
            format!("timeout: iterations={}", self.iteration),
        )
    }

    /// Notes a node's failure this round (`what` describes it).
    pub fn failed(&mut self, node: &str, code: i32, what: String) {
        self.failures.push(Failure {
            code,
            iteration: self.iteration,
            node: node.to_string(),
            what,
        });
    }

    /// Notes that the node at `node` could not serve partition `pid` this round.
    pub fn unavailable(&mut self, node: &str, pid: u16) {
        self.failed(
            node,
            PARTITION_UNAVAILABLE.into(),
            format!("Partition {pid} unavailable"),
        );
    }

    /// Ends a round that left partitions unfinished: the error when no round is left (retries
    /// used up, or the deadline passed), else waits `sleepBetweenRetries` and counts the next.
    pub async fn next(&mut self) -> Result<(), DirectError> {
        if self.iteration > self.max_retries {
            let code = self.failures.last().map_or(ERR_TIMEOUT, |f| f.code);
            let mut message = String::from("AEROSPIKE_STATUS\nsub-errors:");
            for f in &self.failures {
                message.push_str(&format!(
                    "\n{},{},{},{}",
                    f.code, f.iteration, f.node, f.what
                ));
            }
            return Err(DirectError::new(code, message));
        }
        let pause = self.sleep.unwrap_or_default();
        if self.deadline.is_some_and(|d| Instant::now() + pause >= d) {
            return Err(self.timed_out());
        }
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
        self.iteration += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn out_of_rounds_fails_with_the_last_code_and_every_failure() {
        let mut r = Rounds::new(0, 0, 1, 0);
        assert_eq!(r.socket_timeout(), None);
        r.failed("n1", ERR_CONNECTION, "reset".into());
        r.next().await.unwrap();
        r.unavailable("n1", 7);
        let e = r.next().await.unwrap_err();
        assert_eq!(e.code, i32::from(PARTITION_UNAVAILABLE));
        assert_eq!(
            e.message,
            "AEROSPIKE_STATUS\nsub-errors:\n-10,1,n1,reset\n11,2,n1,Partition 7 unavailable"
        );
        assert!(retryable(ERR_TIMEOUT) && retryable(11) && retryable(203));
        assert!(!retryable(2) && !retryable(-1) && !retryable(202));
    }

    #[tokio::test]
    async fn the_total_timeout_caps_the_socket_timeout_and_ends_the_rounds() {
        let r = Rounds::new(50, 0, 5, 0);
        assert!(r.socket_timeout().unwrap() <= Duration::from_millis(50));
        assert!(Rounds::new(50, 10, 5, 0).socket_timeout().unwrap() <= Duration::from_millis(10));
        let mut r = Rounds::new(20, 0, 5, 30);
        let e = r.next().await.unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ERR_TIMEOUT, "timeout: iterations=1")
        );
    }
}

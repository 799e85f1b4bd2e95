//! A command on this path: its request, where its answer goes, and what happens when its
//! connection fails.
//!
//! Retries follow the crate's rules without repeating them: a command whose connection broke,
//! or whose attempt timed out with retries and time left, is handed whole to the crate's path
//! (`client.rs`), which retries it on a fresh connection, on whatever node then owns the key.
//! The same goes for the server answers the crate retries (`TIMEOUT`, `KEY_BUSY`,
//! `DEVICE_OVERLOAD`, `PARTITION_UNAVAILABLE`). Only a failure with nothing left to try is
//! settled here, as the crate settles it. Failures count towards the node's circuit breaker as
//! they do on the crate's path.

use std::sync::Arc;
use std::time::Instant;

use aerospike::{Client, Node};
use aerospike_cdt::result;

use crate::client::{run_entry, start_command};
use crate::dispatch::Handle;
use crate::error::{code, js_error};

use super::reply::{self, Malformed};
use super::request::{Request, Shape};
use super::scalars;
use super::side::ClientSide;

/// Why a connection gave up on its command.
pub enum Failure {
    /// The socket failed or the peer closed it.
    Io,
    /// The attempt's time ran out.
    Timeout,
    /// A reply this path cannot read.
    Garbled,
}

pub struct Command {
    pub wire: Vec<u8>,
    shape: Shape,
    is_write: bool,
    socket_ms: u32,
    total_ms: u32,
    retries: usize,
    policy_at: usize,
    started: Instant,
    node: Arc<Node>,
    side: Arc<ClientSide>,
    /// The original submission, to hand the command to the crate's path.
    client: Arc<Client>,
    buf: Arc<[u8]>,
    kind: u8,
    start: usize,
    end: usize,
    id: u32,
    done: Handle,
}

/// Where a command came from in its submission.
pub struct Origin {
    pub side: Arc<ClientSide>,
    pub client: Arc<Client>,
    pub buf: Arc<[u8]>,
    pub kind: u8,
    pub start: usize,
    pub end: usize,
    pub id: u32,
    pub done: Handle,
}

impl Command {
    pub fn new(req: Request, node: Arc<Node>, o: Origin) -> Box<Command> {
        Box::new(Command {
            wire: req.wire,
            shape: req.shape,
            is_write: req.is_write,
            socket_ms: req.socket_ms,
            total_ms: req.total_ms,
            retries: req.retries,
            policy_at: req.policy_at,
            started: Instant::now(),
            node,
            side: o.side,
            client: o.client,
            buf: o.buf,
            kind: o.kind,
            start: o.start,
            end: o.end,
            id: o.id,
            done: o.done,
        })
    }

    /// When the command was started.
    pub fn sent_at(&self) -> Instant {
        self.started
    }

    /// How long this attempt may wait (ms): the socket timeout (already the smaller of socket
    /// and total, as the crate computes it); with neither set, 30 s, as the crate's connections
    /// wait.
    pub fn attempt_limit_ms(&self) -> u64 {
        match self.socket_ms {
            0 => 30_000,
            ms => u64::from(ms),
        }
    }

    /// Settles the command with its reply body.
    /// Returns the dispatcher to wake (`wake::schedule`), if it was settled here.
    pub fn finish(mut self, body: &[u8]) -> Option<Handle> {
        if let Some(rc) = reply::result_code(body).filter(|&rc| retried_by_crate(rc)) {
            return self.refused(rc);
        }
        let scalar = match &self.shape {
            Shape::Get(_) => scalars::read(body),
            Shape::Operate(list, _) => scalars::read_operate(body, list),
            _ => None,
        };
        if let Some(record) = scalar {
            self.done.completer(self.id).queue(Ok(record));
            return Some(self.done);
        }
        let shape = std::mem::replace(&mut self.shape, Shape::Put);
        match reply::answer(body, shape, self.node.address()) {
            Ok(result) => self.settle(result),
            Err(Malformed) => self.failed(Failure::Garbled),
        }
    }

    /// Settles the command after its connection failed during an attempt: the attempt counts,
    /// as it does on the crate's path; with retries and time left the crate makes the next ones.
    /// Returns the dispatcher to wake if the command was settled here.
    pub fn failed(self, f: Failure) -> Option<Handle> {
        if !matches!(f, Failure::Garbled) {
            self.node.incr_error_rate();
        }
        let (code, what) = match f {
            // A reply that cannot be read is not retried (the crate does not either).
            Failure::Garbled => (code::ERR_CLIENT, "unreadable reply"),
            _ if self.may_retry() => return self.retry(),
            Failure::Timeout => (code::ERR_TIMEOUT, "socket timeout"),
            Failure::Io => (code::ERR_CONNECTION, "connection closed"),
        };
        // The request left: a write may have happened.
        let msg = format!("{} {what}", self.node.address());
        let in_doubt = self.is_write;
        self.side.count(self.node.address(), false);
        self.settle(Err(js_error(code, in_doubt, msg)))
    }

    /// A server answer the crate retries: retried the same way when retries and time are left,
    /// otherwise the command's error. As on the crate's path, a server `TIMEOUT` leaves a write
    /// in doubt and every such answer but `PARTITION_UNAVAILABLE` counts for the breaker.
    fn refused(self, rc: u8) -> Option<Handle> {
        if rc != result::PARTITION_UNAVAILABLE {
            self.node.incr_error_rate();
        }
        if self.may_retry() {
            return self.retry();
        }
        let in_doubt = self.is_write && rc == result::TIMEOUT;
        let msg = format!("{} AEROSPIKE_STATUS", self.node.address());
        self.settle(Err(js_error(rc as i32, in_doubt, msg)))
    }

    /// Whether another attempt may follow: retries and time are left.
    fn may_retry(&self) -> bool {
        let elapsed = self.started.elapsed().as_millis();
        self.retries > 0 && (self.total_ms == 0 || elapsed < u128::from(self.total_ms))
    }

    /// Hands the command to the crate's path for its remaining attempts and time (this attempt
    /// counts as a retry on its node).
    fn retry(mut self) -> Option<Handle> {
        self.side.count(self.node.address(), true);
        let elapsed = self.started.elapsed().as_millis().min(u32::MAX as u128) as u32;
        let mut req = self.buf[self.start..self.end].to_vec();
        let at = self.policy_at;
        if req.len() >= at + 12 {
            if self.total_ms > 0 {
                let left = self.total_ms.saturating_sub(elapsed).max(1) as i32;
                req[at..at + 4].copy_from_slice(&left.to_le_bytes());
            }
            let retries = (self.retries - 1) as i32;
            req[at + 8..at + 12].copy_from_slice(&retries.to_le_bytes());
        }
        self.start = 0;
        self.end = req.len();
        self.buf = Arc::from(req);
        self.hand_to_crate();
        None
    }

    /// Hands the command, as submitted, to the crate's path.
    pub fn hand_to_crate(self) {
        let fut = run_entry(
            self.client,
            self.buf,
            self.kind,
            self.start,
            self.end,
            self.done.completer(self.id),
        );
        start_command(false, fut);
    }

    /// Queues the answer; returns the dispatcher to wake.
    fn settle(self, result: crate::error::Result<crate::client::Answer>) -> Option<Handle> {
        self.done.completer(self.id).queue(result);
        Some(self.done)
    }
}

/// The server answers the crate's path retries (`commands::should_retry`).
fn retried_by_crate(rc: u8) -> bool {
    matches!(
        rc,
        result::TIMEOUT
            | result::KEY_BUSY
            | result::DEVICE_OVERLOAD
            | result::PARTITION_UNAVAILABLE
    )
}

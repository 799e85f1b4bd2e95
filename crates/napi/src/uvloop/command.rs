//! A command on this path: its request, where its answer goes, and what happens when its
//! connection fails.
//!
//! Retries follow the crate's rules without repeating them: a command whose connection broke,
//! or whose attempt timed out with retries and time left, is handed whole to the crate's path
//! (`client.rs`), which retries it on a fresh connection, on whatever node then owns the key.
//! Only a timeout with nothing left to try is settled here, as the crate settles it.

use std::sync::Arc;
use std::time::Instant;

use aerospike::Client;

use crate::client::{run_entry, start_command};
use crate::dispatch::Handle;
use crate::error::{code, js_error};

use super::reply::{self, Malformed};
use super::request::{Request, Shape};
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
    addr: String,
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
    pub fn new(req: Request, addr: String, o: Origin) -> Box<Command> {
        Box::new(Command {
            wire: req.wire,
            shape: req.shape,
            is_write: req.is_write,
            socket_ms: req.socket_ms,
            total_ms: req.total_ms,
            retries: req.retries,
            policy_at: req.policy_at,
            started: Instant::now(),
            addr,
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

    /// How long this attempt may wait (ms, 0 = forever): the socket timeout (already the
    /// smaller of socket and total, as the crate computes it).
    pub fn attempt_limit_ms(&self) -> u64 {
        self.socket_ms as u64
    }

    /// Settles the command with its reply body.
    /// Returns the dispatcher to wake (`wake::schedule`), if it was settled here.
    pub fn finish(mut self, body: &[u8]) -> Option<usize> {
        let shape = std::mem::replace(&mut self.shape, Shape::Put);
        match reply::answer(body, shape, &self.addr) {
            Ok(result) => self.settle(result),
            Err(Malformed) => self.failed(Failure::Garbled),
        }
    }

    /// Settles the command after its connection failed during an attempt: the attempt counts,
    /// as it does on the crate's path; with retries and time left the crate makes the next ones.
    /// Returns the dispatcher to wake if the command was settled here.
    pub fn failed(self, f: Failure) -> Option<usize> {
        let elapsed = self.started.elapsed().as_millis().min(u32::MAX as u128) as u32;
        let time_left = self.total_ms == 0 || elapsed < self.total_ms;
        let (code, what) = match f {
            // A reply that cannot be read is not retried (the crate does not either).
            Failure::Garbled => (code::ERR_CLIENT, "unreadable reply"),
            _ if self.retries > 0 && time_left => {
                self.side.count(&self.addr, true);
                self.retry(elapsed);
                return None;
            }
            Failure::Timeout => (code::ERR_TIMEOUT, "socket timeout"),
            Failure::Io => (code::ERR_CONNECTION, "connection closed"),
        };
        // The request left: a write may have happened.
        let msg = format!("{} {what}", self.addr);
        let in_doubt = self.is_write;
        self.side.count(&self.addr, false);
        self.settle(Err(js_error(code, in_doubt, msg)))
    }

    /// Hands the command to the crate's path for its remaining attempts and time.
    fn retry(mut self, elapsed: u32) {
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
    fn settle(self, result: crate::error::Result<crate::client::Answer>) -> Option<usize> {
        let on_ready = self.done.loop_callback();
        self.done.completer(self.id).queue(result);
        on_ready
    }
}

//! Replays pre-encoded ops at the workload's concurrency: `inflight` slots, each with its own
//! connection to every node, each writing one request and reading its whole reply before the
//! next. Replies are framed by their proto headers and otherwise only checked for result codes
//! (and, for batch and scan streams, walked message by message to find the last one: a scan's
//! stream also ends at a failed message, after which a real server sends nothing more).
//!
//! Each thread runs its own current-thread Tokio runtime over its own connections: a reply is read
//! on the thread that sent the request and never handed to another, the cheapest client there is.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::encode::{body_len, INFO3_LAST, INFO3_PARTITION_DONE, MSG_HEADER_LEN};
use super::requests::WireOp;
use crate::report::{Counts, Window};

/// Ops each slot runs before the timed window (connections, server caches).
pub const WARMUP_OPS: usize = 4;
/// How long past the window's end the run may take before it is abandoned as hung.
const GRACE: Duration = Duration::from_secs(30);

/// How a reply ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyShape {
    /// One proto, one message (single-record commands).
    Single,
    /// Protos of messages until one with `LAST` (batch: a row's own result is no failure).
    Stream,
    /// Protos of messages until one with `LAST`, or one that failed (scan).
    Scan,
}

/// What one reply said.
#[derive(Debug, Default, Clone, Copy)]
struct Reply {
    ok: bool,
    /// Record (scan) or row (batch) messages with result 0.
    rows: u64,
}

/// One connection and its reply buffer.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: &str) -> io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: vec![0; 64 * 1024],
        })
    }

    /// Sends `request` and reads its whole reply.
    async fn exchange(&mut self, request: &[u8], shape: ReplyShape) -> io::Result<Reply> {
        self.stream.write_all(request).await?;
        let mut reply = Reply::default();
        let mut have = 0;
        loop {
            have = self.fill(have, 8).await?;
            let total = 8 + body_len(&self.buf);
            have = self.fill(have, total).await?;
            let body = &self.buf[8..total];
            let last = match shape {
                ReplyShape::Single => {
                    reply.ok = body.get(5) == Some(&0);
                    true
                }
                ReplyShape::Stream | ReplyShape::Scan => walk_stream(body, shape, &mut reply),
            };
            self.buf.copy_within(total..have, 0);
            have -= total;
            if last {
                return Ok(reply);
            }
        }
    }

    /// Reads until at least `need` bytes are buffered; returns how many are.
    async fn fill(&mut self, mut have: usize, need: usize) -> io::Result<usize> {
        if self.buf.len() < need {
            self.buf.resize(need, 0);
        }
        while have < need {
            let n = self.stream.read(&mut self.buf[have..]).await?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            have += n;
        }
        Ok(have)
    }
}

/// Walks the messages of one stream proto; true once the `LAST` message is seen, or for a scan
/// a message that failed (a record message or the first reply with a code other than OK: a
/// real server sends it without `LAST` and then nothing more).
fn walk_stream(body: &[u8], shape: ReplyShape, reply: &mut Reply) -> bool {
    let u16_at = |p: usize| u16::from_be_bytes([body[p], body[p + 1]]) as usize;
    let u32_at =
        |p: usize| u32::from_be_bytes([body[p], body[p + 1], body[p + 2], body[p + 3]]) as usize;
    let mut pos = 0;
    while pos + MSG_HEADER_LEN <= body.len() {
        let (info3, result) = (body[pos + 3], body[pos + 5]);
        let (n_fields, n_ops) = (u16_at(pos + 18), u16_at(pos + 20));
        pos += MSG_HEADER_LEN;
        for _ in 0..n_fields + n_ops {
            pos += 4 + u32_at(pos);
        }
        let marker = info3 & INFO3_PARTITION_DONE != 0;
        if info3 & INFO3_LAST != 0 || (shape == ReplyShape::Scan && !marker && result != 0) {
            reply.ok = result == 0;
            return true;
        }
        if !marker && result == 0 {
            reply.rows += 1;
        }
    }
    false
}

/// One slot: a connection per node, and a request buffer per node for what is written at each
/// send.
struct Slot {
    conns: Vec<Conn>,
    scratch: Vec<Vec<u8>>,
}

impl Slot {
    fn new(conns: Vec<Conn>) -> Slot {
        let scratch = vec![Vec::new(); conns.len()];
        Slot { conns, scratch }
    }

    /// Runs one op; a batch or scan sends its per-node requests together.
    async fn run(&mut self, op: &WireOp, shape: ReplyShape, rows: u64) -> bool {
        let outcome = if let [(node, _)] = op.parts.as_slice() {
            let request = op.request(0, &mut self.scratch[0]);
            self.conns[*node]
                .exchange(request, shape)
                .await
                .map(|r| vec![r])
        } else {
            let mut conns: Vec<Option<&mut Conn>> = self.conns.iter_mut().map(Some).collect();
            let mut scratch = self.scratch.iter_mut();
            let pending = op.parts.iter().enumerate().map(|(i, (node, _))| {
                let request = op.request(i, scratch.next().expect("a buffer per node"));
                conns[*node]
                    .take()
                    .expect("one part per node")
                    .exchange(request, shape)
            });
            futures::future::join_all(pending)
                .await
                .into_iter()
                .collect()
        };
        match outcome {
            Ok(replies) => {
                let all_ok = replies.iter().all(|r| r.ok);
                let got: u64 = replies.iter().map(|r| r.rows).sum();
                all_ok && (shape == ReplyShape::Single || got == rows)
            }
            Err(_) => false,
        }
    }
}

/// The replay's parameters.
pub struct Plan {
    pub nodes: Vec<String>,
    pub ops: Vec<WireOp>,
    pub inflight: usize,
    pub shape: ReplyShape,
    /// Rows (scan records, batch rows) a stream op must return to count as a success.
    pub rows: u64,
    pub duration: Duration,
    /// Threads the slots are spread over (at most one per slot).
    pub threads: usize,
    /// Ops each slot runs before the window opens (at most [`WARMUP_OPS`]).
    pub warmup: usize,
}

/// Runs the plan and returns what the timed window counted, with the window for the report.
///
/// The slots are spread over `threads` threads, each with its own current-thread runtime and its
/// own connections, so no reply ever crosses threads; the window opens once every thread has
/// connected and warmed up.
pub fn run(plan: Plan) -> io::Result<(Window, Counts)> {
    let threads = plan.threads.clamp(1, plan.inflight);
    let plan = Arc::new(plan);
    let counter = Arc::new(AtomicUsize::new(0));
    let ready = Arc::new(Barrier::new(threads + 1));
    let shards: Vec<_> = (0..threads)
        .map(|t| {
            let slots = plan.inflight / threads + usize::from(t < plan.inflight % threads);
            let (plan, counter, ready) = (plan.clone(), counter.clone(), ready.clone());
            std::thread::spawn(move || shard(&plan, slots, &counter, &ready))
        })
        .collect();
    ready.wait();
    let window = Window::start();
    let mut total = Counts::default();
    for shard in shards {
        total.absorb(
            shard
                .join()
                .map_err(|_| io::Error::other("a replay thread panicked"))??,
        );
    }
    Ok((window, total))
}

/// One thread's share of the slots: connect and warm up, wait for the others, then replay until
/// the window closes.
fn shard(
    plan: &Arc<Plan>,
    slots: usize,
    counter: &Arc<AtomicUsize>,
    ready: &Barrier,
) -> io::Result<Counts> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let warmed = rt
        .as_ref()
        .map_err(|e| io::Error::new(e.kind(), e.to_string()))
        .and_then(|rt| {
            rt.block_on(async {
                let mut warm = Vec::with_capacity(slots);
                for _ in 0..slots {
                    let mut conns = Vec::new();
                    for addr in &plan.nodes {
                        conns.push(Conn::open(addr).await?);
                    }
                    let mut slot = Slot::new(conns);
                    let (plan, counter) = (plan.clone(), counter.clone());
                    warm.push(tokio::spawn(async move {
                        for _ in 0..plan.warmup {
                            let i = counter.fetch_add(1, Ordering::Relaxed);
                            slot.run(&plan.ops[i % plan.ops.len()], plan.shape, plan.rows)
                                .await;
                        }
                        slot
                    }));
                }
                futures::future::try_join_all(warm)
                    .await
                    .map_err(io::Error::other)
            })
        });
    // Every thread reaches the barrier, failed or not, so the others never wait forever.
    ready.wait();
    let (rt, slots) = (rt?, warmed?);
    let deadline = Instant::now() + plan.duration;
    rt.block_on(async {
        let timed = slots.into_iter().map(|mut slot| {
            let (plan, counter) = (plan.clone(), counter.clone());
            tokio::spawn(async move {
                let mut counts = Counts {
                    latencies_ms: Vec::with_capacity(1 << 14),
                    ..Counts::default()
                };
                while Instant::now() < deadline {
                    let i = counter.fetch_add(1, Ordering::Relaxed);
                    let t = Instant::now();
                    if slot
                        .run(&plan.ops[i % plan.ops.len()], plan.shape, plan.rows)
                        .await
                    {
                        counts.ops += 1;
                    } else {
                        counts.errors += 1;
                    }
                    counts.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                counts
            })
        });
        let all = tokio::time::timeout(plan.duration + GRACE, futures::future::try_join_all(timed))
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the server stopped answering"))?
            .map_err(io::Error::other)?;
        let mut total = Counts::default();
        all.into_iter().for_each(|c| total.absorb(c));
        Ok(total)
    })
}

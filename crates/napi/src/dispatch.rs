//! Submission and completion of single-record commands: many commands per call into Rust,
//! many results per JavaScript wakeup.
//!
//! A napi async function costs a call, a threadsafe function, a promise and a wakeup per
//! command. Here the facade gathers the commands issued in one JavaScript turn into one buffer
//! and submits them in one call (`NativeClient.submit`); each runs on Tokio under its id. Its
//! result is appended to a queue, and only the first completion that finds the queue empty
//! wakes JavaScript, which then drains every completion that arrived meanwhile in one call.
//! Under load (hundreds of commands in flight) one wakeup settles many promises.
//!
//! One `Dispatcher` exists per JavaScript environment (main thread or worker). Its threadsafe
//! function is weak; it is refed while commands are in flight (counted by `submit` and `drain`
//! themselves, so that one command at a time costs no extra call into the addon), so pending
//! commands keep the process alive and an idle client does not.
//!
//! Queue entry: `u32 id | u8 ok | u32 len | payload` (little-endian). `ok = 1`: the command's
//! result bytes, written straight into the queue; `ok = 0`: the failure's fields (`error.rs`),
//! `i32 code | u8 inDoubt | message` (UTF-8, the rest of the payload).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use napi::bindgen_prelude::{BufferSlice, Function};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;

use crate::codec::Writer;
use crate::error::Result;

type Wake = ThreadsafeFunction<(), (), (), Status, false, true, 0>;

struct Shared {
    queue: Mutex<Vec<u8>>,
    /// Written only on the JavaScript thread (ref/unref); read by completing threads.
    wake: RwLock<Wake>,
    /// With the event-loop path on: the reference to `onReady` it calls (`uvloop`), used only
    /// on the JavaScript thread.
    on_loop: OnceLock<usize>,
    /// Commands submitted and not drained yet; touched only on the JavaScript thread (`submit`,
    /// `drain`), atomic only so that the completing threads may share the rest.
    in_flight: AtomicU64,
}

/// Completes commands into one queue and wakes JavaScript once per batch.
#[napi]
pub struct Dispatcher {
    shared: Arc<Shared>,
}

/// A handle that command futures use to deliver their result.
pub struct Completer {
    shared: Arc<Shared>,
    id: u32,
}

/// A command result that writes itself into the completion queue.
pub trait Reply {
    fn encode(&self, w: &mut Writer);
}

impl Completer {
    /// Queues the result (encoded straight into the queue, no intermediate buffer) and wakes
    /// JavaScript if the queue was empty.
    pub fn complete<R: Reply>(self, result: Result<R>) {
        let shared = self.shared.clone();
        if self.queue(result) {
            let wake = shared.wake.read().unwrap_or_else(|e| e.into_inner());
            wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    /// Queues the result without waking JavaScript (the caller, on the JavaScript thread, calls
    /// the facade itself); whether the queue was empty.
    pub fn queue<R: Reply>(self, result: Result<R>) -> bool {
        let mut q = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        let was_empty = q.is_empty();
        let mut w = Writer {
            buf: std::mem::take(&mut *q),
        };
        w.u32(self.id);
        w.u8(result.is_ok() as u8);
        let len_at = w.buf.len();
        w.u32(0);
        match &result {
            Ok(reply) => reply.encode(&mut w),
            Err(f) => {
                w.i32(f.code);
                w.u8(f.in_doubt as u8);
                w.buf.extend_from_slice(f.message.as_bytes());
            }
        }
        let len = (w.buf.len() - len_at - 4) as u32;
        w.buf[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
        *q = w.buf;
        was_empty
    }
}

#[napi]
impl Dispatcher {
    /// `onReady` is called (with no arguments) when completions are waiting; it should call
    /// `drain()`.
    #[napi(constructor)]
    pub fn new(on_ready: Function<(), ()>) -> napi::Result<Self> {
        let wake: Wake = on_ready
            .build_threadsafe_function()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        Ok(Dispatcher {
            shared: Arc::new(Shared {
                queue: Mutex::new(Vec::with_capacity(64 * 1024)),
                wake: RwLock::new(wake),
                on_loop: OnceLock::new(),
                in_flight: AtomicU64::new(0),
            }),
        })
    }

    /// Every completion queued so far, as one buffer. Once every submitted command was drained,
    /// the process may exit again.
    #[napi]
    pub fn drain<'env>(&self, env: &'env Env) -> napi::Result<BufferSlice<'env>> {
        drain(&self.shared, env)
    }
}

/// Takes every completion queued so far into a new JavaScript buffer and counts them drained
/// (the last one lets the process exit again). The lock is held only to swap the queue with
/// this thread's spare vector, so completing threads never wait on the copy; both vectors keep
/// their capacity, where one command at a time would otherwise grow a fresh vector from nothing
/// for every completion.
fn drain<'env>(shared: &Shared, env: &'env Env) -> napi::Result<BufferSlice<'env>> {
    drain_with(shared, env, |b| BufferSlice::copy_from(env, b))
}

/// `drain`, with `out` making the JavaScript value of the queue's bytes.
fn drain_with<T>(
    shared: &Shared,
    env: &Env,
    out: impl FnOnce(&[u8]) -> napi::Result<T>,
) -> napi::Result<T> {
    thread_local! {
        static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut taken = SPARE.take();
    std::mem::swap(
        &mut *shared.queue.lock().unwrap_or_else(|e| e.into_inner()),
        &mut taken,
    );
    let value = out(&taken);
    let done = entries(&taken);
    taken.clear();
    // Do not keep what a burst of large records grew.
    taken.shrink_to(QUEUE_KEEP);
    SPARE.set(taken);
    let value = value?;
    let was = shared.in_flight.load(Ordering::Relaxed);
    if done > 0 && was > 0 {
        let now = was.saturating_sub(done);
        shared.in_flight.store(now, Ordering::Relaxed);
        if now == 0 {
            hold(shared, env, false)?;
        }
    }
    Ok(value)
}

/// The queue capacity kept between drains.
const QUEUE_KEEP: usize = 1 << 20;

/// Refs (`true`) or unrefs the wakeup: whether pending commands keep the process alive.
#[allow(deprecated)]
fn hold(shared: &Shared, env: &Env, keep: bool) -> napi::Result<()> {
    let mut wake = shared.wake.write().unwrap_or_else(|e| e.into_inner());
    if keep {
        wake.refer(env)
    } else {
        wake.unref(env)
    }
}

/// How many completions a drained queue holds.
fn entries(q: &[u8]) -> u64 {
    let (mut n, mut pos) = (0, 0);
    while let Some(len) = q.get(pos + 5..pos + 9) {
        n += 1;
        pos += 9 + u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    }
    n
}

impl Dispatcher {
    /// Counts `n` more commands in flight (their completions will be drained); the first keeps
    /// the process alive. Called on the JavaScript thread once they are started.
    pub fn submitted(&self, env: &Env, n: usize) -> napi::Result<()> {
        let was = self.shared.in_flight.load(Ordering::Relaxed);
        self.shared
            .in_flight
            .store(was + n as u64, Ordering::Relaxed);
        if was == 0 && n > 0 {
            hold(&self.shared, env, true)?;
        }
        Ok(())
    }

    /// Makes the event-loop path call this dispatcher back through `f` (see `submit.rs`).
    pub fn set_loop_callback(&self, f: usize) {
        let _ = self.shared.on_loop.set(f);
    }

    /// A handle that command futures use to complete commands.
    pub fn handle(&self) -> Handle {
        Handle {
            shared: self.shared.clone(),
        }
    }
}

/// A `Dispatcher`'s queue, for the commands of one submission.
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

impl Handle {
    /// The event-loop path's callback into this dispatcher's facade, if the path is on for it.
    pub fn loop_callback(&self) -> Option<usize> {
        self.shared.on_loop.get().copied()
    }

    /// Drains the queue for the event-loop path, which hands the completions to `onReady`
    /// itself (saving the facade its call back into `drain`); `out` makes their JavaScript value.
    pub fn drain_with<T>(
        &self,
        env: &Env,
        out: impl FnOnce(&[u8]) -> napi::Result<T>,
    ) -> napi::Result<T> {
        drain_with(&self.shared, env, out)
    }

    /// Whether two handles are of the same dispatcher.
    pub fn same(&self, other: &Handle) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// A completer for command `id`.
    pub fn completer(&self, id: u32) -> Completer {
        Completer {
            shared: self.shared.clone(),
            id,
        }
    }
}

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
//! function is weak; the facade refs it while commands are in flight, so pending commands keep
//! the process alive and an idle client does not.
//!
//! Queue entry: `u32 id | u8 ok | u32 len | payload` (little-endian). `ok = 1`: the command's
//! result bytes, written straight into the queue; `ok = 0`: the failure's fields (`error.rs`),
//! `i32 code | u8 inDoubt | message` (UTF-8, the rest of the payload).

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
            }),
        })
    }

    /// Every completion queued so far, as one buffer.
    #[napi]
    pub fn drain<'env>(&self, env: &'env Env) -> napi::Result<BufferSlice<'env>> {
        let taken = {
            let mut q = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::take(&mut *q)
        };
        BufferSlice::copy_from(env, taken)
    }

    /// Keeps the process alive while commands are in flight.
    #[napi]
    #[allow(deprecated)]
    pub fn hold(&self, env: Env) -> napi::Result<()> {
        self.shared
            .wake
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .refer(&env)
    }

    /// Lets the process exit once nothing is in flight.
    #[napi]
    #[allow(deprecated)]
    pub fn release(&self, env: Env) -> napi::Result<()> {
        self.shared
            .wake
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .unref(&env)
    }
}

impl Dispatcher {
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

    /// A completer for command `id`.
    pub fn completer(&self, id: u32) -> Completer {
        Completer {
            shared: self.shared.clone(),
            id,
        }
    }
}

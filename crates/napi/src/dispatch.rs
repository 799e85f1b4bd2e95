//! Completion dispatch for single-record commands: many results, one JavaScript wakeup.
//!
//! A napi async function costs a threadsafe function, a promise and a wakeup per call. Here a
//! command is submitted with an id and runs on Tokio; its result is appended to a queue, and
//! only the first completion that finds the queue empty wakes JavaScript, which then drains
//! every completion that arrived meanwhile in one call. Under load (hundreds of commands in
//! flight) one wakeup settles many promises.
//!
//! One `Dispatcher` exists per JavaScript environment (main thread or worker). Its threadsafe
//! function is weak; the facade refs it while commands are in flight, so pending commands keep
//! the process alive and an idle client does not.
//!
//! Queue entry: `u32 id | u8 ok | u32 len | payload` (little-endian). `ok = 1`: the command's
//! result bytes; `ok = 0`: the error message in the `errors.rs` format.

use std::sync::{Arc, Mutex, RwLock};

use napi::bindgen_prelude::{BufferSlice, Function};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;

type Wake = ThreadsafeFunction<(), (), (), Status, false, true, 0>;

struct Shared {
    queue: Mutex<Vec<u8>>,
    /// Written only on the JavaScript thread (ref/unref); read by completing threads.
    wake: RwLock<Wake>,
}

/// Completes commands into one queue and wakes JavaScript once per batch.
#[napi]
pub struct Dispatcher {
    shared: Arc<Shared>,
}

/// A handle that command futures use to deliver their result.
#[derive(Clone)]
pub struct Completer {
    shared: Arc<Shared>,
    id: u32,
}

impl Completer {
    /// Queues the result and wakes JavaScript if the queue was empty.
    pub fn complete(self, result: napi::Result<Vec<u8>>) {
        let was_empty = {
            let mut q = self.shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            let was_empty = q.is_empty();
            q.extend_from_slice(&self.id.to_le_bytes());
            match &result {
                Ok(bytes) => {
                    q.push(1);
                    q.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                    q.extend_from_slice(bytes);
                }
                Err(e) => {
                    let msg = e.reason.as_bytes();
                    q.push(0);
                    q.extend_from_slice(&(msg.len() as u32).to_le_bytes());
                    q.extend_from_slice(msg);
                }
            }
            was_empty
        };
        if was_empty {
            let wake = self.shared.wake.read().unwrap_or_else(|e| e.into_inner());
            wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
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
    /// A completer for command `id`.
    pub fn completer(&self, id: u32) -> Completer {
        Completer {
            shared: self.shared.clone(),
            id,
        }
    }
}

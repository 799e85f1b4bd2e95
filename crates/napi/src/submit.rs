//! The napi methods that join the facade's submissions to the two ways a single-record command
//! runs: on the JavaScript thread's own event loop (`uvloop`) when it can, otherwise on Tokio
//! through the crate (`client.rs`). Kept apart so that neither of those depends on the other's
//! entry point.

use std::sync::Arc;

use napi::bindgen_prelude::{BufferSlice, Function, Unknown};
use napi::Env;
use napi_derive::napi;

use crate::client::{entry_at, run_all, run_entry, start_command, NativeClient, INLINE_MAX};
use crate::dispatch::Dispatcher;

#[napi]
impl NativeClient {
    /// Submits single-record commands; each result arrives through `dispatcher` under its id.
    /// `reqs` holds one or more entries `u32 id | u8 kind | u32 len | request`, where `kind` is
    /// 0 get (record), 1 put (empty), 2 exists (1 byte), 3 remove (1 byte: existed),
    /// 4 operate (record).
    ///
    /// The facade gathers every command issued in one JavaScript turn into one call: one copy,
    /// and the commands of the call run concurrently within one future. A small submission is
    /// started right here on the JavaScript thread (`inline.rs`); a larger one becomes one
    /// Tokio task. (`catch_unwind`: a panic while starting the commands is an error, never an
    /// unwind into Node; the commands themselves run `guarded`.)
    #[napi(catch_unwind)]
    pub fn submit(
        &self,
        env: &Env,
        dispatcher: &Dispatcher,
        reqs: BufferSlice,
    ) -> napi::Result<()> {
        self.submit_bytes(env, dispatcher, &reqs)
    }

    /// `submit`'s work, also reached without napi-rs's glue (`fast.rs`).
    pub(crate) fn submit_bytes(
        &self,
        env: &Env,
        dispatcher: &Dispatcher,
        reqs: &[u8],
    ) -> napi::Result<()> {
        let client = self.client_now().map_err(|f| f.into_napi(env))?;
        let buf: Arc<[u8]> = Arc::from(reqs);
        let handle = dispatcher.handle();
        let mut rest = Vec::new();
        let mut pos = 0;
        let mut n = 0;
        while let Some(entry) = entry_at(&buf, pos) {
            pos = entry.3;
            n += 1;
            let (id, kind, start, end) = entry;
            if !crate::uvloop::try_start(
                &self.uv,
                &client,
                &self.direct,
                &buf,
                (id, kind, start, end),
                &handle,
            ) {
                rest.push(entry);
            }
        }
        let inline = rest.len() <= INLINE_MAX;
        match rest.as_slice() {
            [] => {}
            &[(id, kind, start, end)] => start_command(
                inline,
                run_entry(client, buf, kind, start, end, handle.completer(id)),
            ),
            _ => start_command(inline, run_all(client, buf, rest, handle)),
        }
        // Their completions are drained on this thread later, never before this returns.
        dispatcher.submitted(env, n)
    }

    /// Closes this thread's event-loop connections of the client (it is closing).
    #[napi]
    pub fn close_loop(&self) {
        crate::uvloop::forget(&self.uv);
    }
}

#[napi]
impl Dispatcher {
    /// Settles single-record commands on this environment's own event loop when it can (see
    /// `uvloop`), calling `onReady` from the loop with the completions already drained: the
    /// number of bytes of them copied into the returned inbox, or (too large for it) a buffer
    /// as `drain()` returns it. `connsPerNode` caps that path's connections per node. `null`
    /// when the path is off (the runtime has no libuv).
    #[napi(ts_return_type = "Buffer | null")]
    pub fn use_loop(
        &self,
        env: Env,
        on_ready: Function<(), ()>,
        conns_per_node: u32,
    ) -> napi::Result<Unknown<'_>> {
        use napi::JsValue;
        let cap = conns_per_node.clamp(1, 1024) as usize;
        // SAFETY: on the JavaScript thread, with this call's env and a function value of it.
        let inbox = match unsafe { crate::uvloop::enable(env.raw(), on_ready.value().value, cap) } {
            Some(f) => {
                self.set_loop_callback(f);
                // SAFETY: as above.
                unsafe { crate::uvloop::inbox(env.raw()) }
            }
            None => None,
        };
        // SAFETY: values of this env.
        unsafe {
            match inbox {
                Some(v) => Ok(Unknown::from_raw_unchecked(env.raw(), v)),
                None => {
                    let mut null = std::ptr::null_mut();
                    napi::check_status!(napi::sys::napi_get_null(env.raw(), &mut null))?;
                    Ok(Unknown::from_raw_unchecked(env.raw(), null))
                }
            }
        }
    }

    /// How many commands this environment settled on its event loop (tests check the path is
    /// taken).
    #[napi]
    pub fn loop_settled(&self) -> f64 {
        crate::uvloop::settled() as f64
    }
}

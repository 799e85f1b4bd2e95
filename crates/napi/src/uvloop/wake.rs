//! Calling the facade back from the loop, once per loop iteration.
//!
//! Replies that arrive together are read in one pass of the loop's poll phase, one poll
//! callback each. Rather than call into JavaScript from each (a callback scope, a drain of the
//! completion queue and a microtask checkpoint per reply), each callback only queues its answer
//! and asks for a wakeup; a libuv check handle, which runs right after the poll phase of the
//! same iteration, then calls each waiting dispatcher's `onReady` once. One command in flight
//! costs the same; many settle together, as on the Tokio path.
//!
//! The completions are copied into this environment's inbox, one buffer made once and handed
//! to the facade when it turned the path on, and `onReady` gets their length: no buffer (a
//! backing store for the garbage collector to track and free) per wakeup. Only completions too
//! large for it come in a buffer of their own. `onReady` reads the inbox to its end before it
//! returns, and nothing drains into it meanwhile (drains happen in this loop phase only).

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use napi::bindgen_prelude::ToNapiValue;
use napi::sys;

use crate::dispatch::Handle;

use super::state;
use super::uv::{self, Uv};

thread_local! {
    /// The dispatchers waiting to be called.
    static PENDING: RefCell<Vec<Handle>> = const { RefCell::new(Vec::new()) };
    /// This environment's check handle (created on first use) and whether it is started.
    static CHECK: Cell<*mut uv::Handle> = const { Cell::new(ptr::null_mut()) };
    static STARTED: Cell<bool> = const { Cell::new(false) };
    /// The inbox: its memory and size (the buffer is kept alive by a reference).
    static INBOX: Cell<Option<(*mut u8, usize)>> = const { Cell::new(None) };
}

/// The inbox's size.
const INBOX_SIZE: usize = 256 * 1024;

/// This environment's inbox (made on first use), as a JavaScript buffer.
///
/// # Safety
/// On the environment's JavaScript thread, with its `env`.
pub unsafe fn inbox(env: sys::napi_env) -> Option<sys::napi_value> {
    let mut data = ptr::null_mut();
    let mut value = ptr::null_mut();
    if let Some(r) = INBOX_REF.with(|r| r.get()) {
        if sys::napi_get_reference_value(env, r, &mut value) == sys::Status::napi_ok {
            return Some(value);
        }
        return None;
    }
    if sys::napi_create_buffer(env, INBOX_SIZE, &mut data, &mut value) != sys::Status::napi_ok {
        return None;
    }
    let mut r = ptr::null_mut();
    if sys::napi_create_reference(env, value, 1, &mut r) != sys::Status::napi_ok {
        return None;
    }
    INBOX_REF.with(|c| c.set(Some(r)));
    INBOX.with(|c| c.set(Some((data.cast(), INBOX_SIZE))));
    Some(value)
}

thread_local! {
    static INBOX_REF: Cell<Option<sys::napi_ref>> = const { Cell::new(None) };
}

/// The completions `bytes` as `onReady`'s argument: their length once copied into the inbox,
/// or a buffer of their own.
fn completions(env: sys::napi_env, bytes: &[u8]) -> napi::Result<sys::napi_value> {
    let mut v = ptr::null_mut();
    if let Some((data, size)) = INBOX.with(|c| c.get()) {
        if bytes.len() <= size {
            // SAFETY: the inbox's memory, `size` bytes, kept alive by its reference; no
            // JavaScript runs during the copy.
            unsafe {
                ptr::copy_nonoverlapping(bytes.as_ptr(), data, bytes.len());
                napi::check_status!(sys::napi_create_uint32(env, bytes.len() as u32, &mut v))?;
            }
            return Ok(v);
        }
    }
    let env_ = napi::Env::from_raw(env);
    let b = napi::bindgen_prelude::BufferSlice::copy_from(&env_, bytes)?;
    // SAFETY: as above.
    unsafe { ToNapiValue::to_napi_value(env, b) }
}

/// Counts a command settled on this path and has its dispatcher's `onReady` called at the end
/// of this loop iteration's poll phase.
pub fn schedule(done: Handle) {
    state::count_settled();
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if !p.iter().any(|h| h.same(&done)) {
            p.push(done);
        }
    });
    if STARTED.with(|s| s.get()) {
        return;
    }
    let Some((_, _, lp, uv)) = state::js_context() else {
        return;
    };
    let mut h = CHECK.with(|c| c.get());
    // SAFETY: the handle is created, started and stopped on this thread, with its loop.
    unsafe {
        if h.is_null() {
            h = uv.alloc(uv::UV_CHECK);
            if h.is_null() || (uv.check_init)(lp, h) != 0 {
                if !h.is_null() {
                    uv.free(h, uv::UV_CHECK);
                }
                return call_now();
            }
            (uv.unref)(h);
            CHECK.with(|c| c.set(h));
        }
        if (uv.check_start)(h, on_check) != 0 {
            return call_now();
        }
    }
    STARTED.with(|s| s.set(true));
}

unsafe extern "C" fn on_check(h: *mut uv::Handle) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if let Some(uv) = uv::get() {
            (uv.check_stop)(h);
        }
        STARTED.with(|s| s.set(false));
        call_now();
    }));
}

/// Calls every waiting dispatcher.
fn call_now() {
    loop {
        let next = PENDING.with(|p| p.borrow_mut().pop());
        match next {
            Some(done) => call(&done),
            None => break,
        }
    }
}

/// Calls `onReady` with the drained queue as a callback from the event loop: its promise
/// continuations and microtasks run before this returns.
fn call(done: &Handle) {
    let Some((env, ctx, _, _)) = state::js_context() else {
        return;
    };
    let Some(on_ready) = done.loop_callback() else {
        return;
    };
    let on_ready = on_ready as sys::napi_ref;
    // SAFETY: on the environment's thread, outside any JavaScript call (a loop callback), with
    // values created in this environment.
    unsafe {
        let mut scope = ptr::null_mut();
        if sys::napi_open_handle_scope(env, &mut scope) != sys::Status::napi_ok {
            return;
        }
        let mut func = ptr::null_mut();
        let mut recv = ptr::null_mut();
        let mut out = ptr::null_mut();
        let js_env = napi::Env::from_raw(env);
        let arg = done.drain_with(&js_env, |bytes| completions(env, bytes));
        if let (Ok(arg), sys::Status::napi_ok, sys::Status::napi_ok) = (
            arg,
            sys::napi_get_reference_value(env, on_ready, &mut func),
            sys::napi_get_global(env, &mut recv),
        ) {
            let status = sys::napi_make_callback(env, ctx, recv, func, 1, &arg, &mut out);
            if status == sys::Status::napi_pending_exception {
                let mut err = ptr::null_mut();
                if sys::napi_get_and_clear_last_exception(env, &mut err) == sys::Status::napi_ok {
                    sys::napi_fatal_exception(env, err);
                }
            }
        }
        sys::napi_close_handle_scope(env, scope);
    }
}

/// Closes the check handle at teardown; whether there was one (its close ends with
/// `state::closed_one`).
pub fn close(uv: &'static Uv) -> bool {
    let h = CHECK.with(|c| c.replace(ptr::null_mut()));
    PENDING.with(|p| p.borrow_mut().clear());
    // The environment frees its references as it goes.
    INBOX.with(|c| c.set(None));
    INBOX_REF.with(|c| c.set(None));
    if h.is_null() {
        return false;
    }
    // SAFETY: a live handle of this thread, closed once.
    unsafe { state::close_handle(uv, h, uv::UV_CHECK) };
    true
}

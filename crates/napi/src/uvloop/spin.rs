//! Waiting awake for replies that are about to arrive.
//!
//! With a command or two in flight, the loop finishes its work long before the reply comes back
//! and goes to sleep in `epoll_wait`; the reply then has to wake the thread, and waking a sleeping
//! CPU (a virtual one most of all) costs more than the whole command's work on both sides. When
//! replies on this thread have been arriving within a few tens of microseconds, the loop's
//! prepare phase (the last step before it blocks) keeps checking, without blocking, whether the
//! loop has anything to do, for at most that long: an event of any kind (ours or not) ends the
//! wait at once, and so does a timer about to fire. Replies that take longer (a server across a
//! network) are not waited for: the loop sleeps as before.
//!
//! Off unless `AEROSPIKE_NAPI_SPIN_US` (the longest wait) is set: it spends CPU to save latency,
//! a trade for the application to make (`docs/performance-tuning.md`).

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::uv::{self, Uv};

thread_local! {
    /// Commands of this path in flight on this thread.
    static IN_FLIGHT: Cell<usize> = const { Cell::new(0) };
    static PREPARE: Cell<*mut uv::Handle> = const { Cell::new(ptr::null_mut()) };
    static LOOP: Cell<*mut uv::Loop> = const { Cell::new(ptr::null_mut()) };
    /// How long replies took lately, in microseconds (a moving average).
    static RECENT_US: Cell<f64> = const { Cell::new(f64::MAX) };
}

/// The longest wait, in microseconds (`AEROSPIKE_NAPI_SPIN_US`; 0 turns waiting off).
fn limit_us() -> u64 {
    static LIMIT: OnceLock<u64> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("AEROSPIKE_NAPI_SPIN_US")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

/// A command of this path was sent.
pub fn started() {
    IN_FLIGHT.with(|n| n.set(n.get() + 1));
    if PREPARE.with(|p| p.get()).is_null() && limit_us() > 0 {
        let Some((_, _, lp, uv)) = super::state::js_context() else {
            return;
        };
        // SAFETY: on the loop's thread; the handle lives until `close`.
        unsafe {
            let h = uv.alloc(uv::UV_PREPARE);
            if h.is_null() || (uv.prepare_init)(lp, h) != 0 {
                return;
            }
            (uv.unref)(h);
            (uv.prepare_start)(h, on_prepare);
            PREPARE.with(|p| p.set(h));
            LOOP.with(|l| l.set(lp));
        }
    }
}

/// A command of this path failed (its reply, if any, is not waited for).
pub fn ended() {
    IN_FLIGHT.with(|n| n.set(n.get().saturating_sub(1)));
}

/// A command of this path sent at `sent` got its reply.
pub fn replied(sent: Instant) {
    ended();
    if limit_us() == 0 {
        return;
    }
    let us = sent.elapsed().as_secs_f64() * 1e6;
    RECENT_US.with(|r| {
        let prev = r.get();
        r.set(if prev == f64::MAX {
            us
        } else {
            prev + (us - prev) / 8.0
        });
    });
}

unsafe extern "C" fn on_prepare(_: *mut uv::Handle) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if IN_FLIGHT.with(|n| n.get()) == 0 {
            return;
        }
        let Some(uv) = uv::get() else { return };
        let lp = LOOP.with(|l| l.get());
        let timeout = (uv.backend_timeout)(lp);
        if timeout == 0 {
            return;
        }
        let limit = limit_us();
        if RECENT_US.with(|r| r.get()) > limit as f64 {
            return;
        }
        let mut budget = Duration::from_micros(limit);
        if timeout > 0 {
            budget = budget.min(Duration::from_millis(timeout as u64));
        }
        let fd = (uv.backend_fd)(lp);
        let start = Instant::now();
        loop {
            let mut p = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            if libc::poll(&mut p, 1, 0) != 0 || start.elapsed() >= budget {
                return;
            }
            std::hint::spin_loop();
        }
    }));
}

/// Closes the prepare handle at teardown; whether there was one.
pub fn close(uv: &'static Uv) -> bool {
    let h = PREPARE.with(|p| p.replace(ptr::null_mut()));
    if h.is_null() {
        return false;
    }
    // SAFETY: a live handle of this thread, closed once.
    unsafe { super::state::close_handle(uv, h, uv::UV_PREPARE) };
    true
}

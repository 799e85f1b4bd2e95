//! One socket of this path: a non-blocking TCP connection to one node, watched by a libuv poll
//! handle on the JavaScript thread's loop, with a libuv timer for the command's socket timeout.
//!
//! The protocol has no request ids, so a connection carries one command at a time. The request
//! is written from the calling thread; the rest of it (when the socket buffer was full) and the
//! reply are handled in the poll callback, which builds the answer right there and hands it to
//! the facade without any other thread (see `state.rs`).
//!
//! A `Conn` is a leaked box whose pointer sits in both handles' `data`; it is freed in the close
//! callback of the second handle, after which libuv no longer touches the socket, so the file
//! descriptor is closed last.

use std::ffi::c_int;
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};

use aerospike_cdt::wire::proto;

use super::command::{Command, Failure};
use super::socket::{Conn, PoolKey, Tls};
use super::state::{self, Opened};
use super::uv::{self, Handle, Uv};
use super::{spin, wake};

impl Conn {
    /// Wraps a connected socket in a poll and a timer handle (both unreferenced: only commands
    /// in flight keep the process alive, through the dispatcher). `None` when libuv refuses.
    pub fn new(
        uv: &'static Uv,
        lp: *mut uv::Loop,
        (stream, tls): (TcpStream, Option<Tls>),
        key: PoolKey,
    ) -> Option<*mut Conn> {
        stream.set_nonblocking(true).ok()?;
        let _ = stream.set_nodelay(true);
        let poll = uv.alloc(uv::UV_POLL);
        let timer = uv.alloc(uv::UV_TIMER);
        let conn = Box::into_raw(Box::new(Conn {
            stream,
            poll,
            timer,
            key,
            out: Vec::new(),
            written: 0,
            inbuf: Vec::with_capacity(4096),
            cmd: None,
            tls,
            open_handles: 0,
        }));
        // SAFETY: fresh handles from `alloc_*`, the loop of this thread, a socket we own; on
        // failure nothing was registered with the loop and the memory is ours to free.
        unsafe {
            let fd = (*conn).stream.as_raw_fd();
            if poll.is_null() || timer.is_null() || (uv.poll_init_socket)(lp, poll, fd) != 0 {
                if !poll.is_null() {
                    uv.free(poll, uv::UV_POLL);
                }
                if !timer.is_null() {
                    uv.free(timer, uv::UV_TIMER);
                }
                drop(Box::from_raw(conn));
                return None;
            }
            (*conn).open_handles = 1;
            uv::set_data(poll, conn.cast());
            (uv.unref)(poll);
            if (uv.timer_init)(lp, timer) != 0 {
                Conn::close(uv, conn);
                uv.free(timer, uv::UV_TIMER);
                return None;
            }
            (*conn).open_handles = 2;
            uv::set_data(timer, conn.cast());
            (uv.unref)(timer);
            // Watched while idle too, so a connection the server closed is noticed and dropped.
            if (uv.poll_start)(poll, uv::READABLE, on_poll) != 0 {
                Conn::close(uv, conn);
                return None;
            }
        }
        Some(conn)
    }

    /// Sends `cmd`'s request and waits for its reply. `Err(cmd)`: the socket failed before any
    /// byte left (it was closed by the server while idle, say); the connection is closed and the
    /// command can go elsewhere.
    ///
    /// # Safety
    /// `conn` is a live connection of this thread with no command.
    pub unsafe fn start(
        uv: &'static Uv,
        conn: *mut Conn,
        mut cmd: Box<Command>,
    ) -> Result<(), Box<Command>> {
        let c = &mut *conn;
        c.out = std::mem::take(&mut cmd.wire);
        c.written = 0;
        c.inbuf.clear();
        if c.flush().is_err() {
            cmd.wire = std::mem::take(&mut c.out);
            drop_conn(uv, conn);
            return Err(cmd);
        }
        if c.writing() {
            (uv.poll_start)(c.poll, uv::READABLE | uv::WRITABLE, on_poll);
        }
        (uv.timer_start)(c.timer, on_timer, cmd.attempt_limit_ms(), 0);
        c.cmd = Some(cmd);
        spin::started();
        Ok(())
    }

    /// Stops watching and closes both handles; the memory and the socket go in the last close
    /// callback. The caller has taken it out of the thread's state (`state::drop_conn`).
    ///
    /// # Safety
    /// `conn` is live; it must not be used afterwards.
    pub unsafe fn close(uv: &'static Uv, conn: *mut Conn) {
        let c = &mut *conn;
        if c.open_handles == 2 {
            (uv.timer_stop)(c.timer);
            (uv.close)(c.timer, Some(on_closed));
        }
        (uv.close)(c.poll, Some(on_closed));
    }
}

/// What to do with the connection after an event.
enum Next {
    Keep,
    Idle(Box<Command>, usize),
    Fail(Failure),
    Drop,
}

fn on_event(conn: &mut Conn, status: c_int, events: c_int) -> Next {
    if status < 0 {
        return Next::Fail(Failure::Io);
    }
    if events & uv::WRITABLE != 0 && conn.writing() {
        if conn.flush().is_err() {
            return Next::Fail(Failure::Io);
        }
        if !conn.writing() {
            if let Some(uv) = uv::get() {
                // SAFETY: the poll handle is live while the connection is.
                unsafe { (uv.poll_start)(conn.poll, uv::READABLE, on_poll) };
            }
        }
    }
    if events & uv::READABLE == 0 {
        return Next::Keep;
    }
    match conn.fill() {
        Ok(true) => {}
        Ok(false) | Err(_) => return Next::Fail(Failure::Io),
    }
    if conn.cmd.is_none() {
        // An idle connection has nothing to say: the server closed it or is out of step. (Over
        // TLS, records of the session's own, with no data, may arrive: those leave it as is.)
        if conn.tls.is_some() && conn.inbuf.is_empty() {
            return Next::Keep;
        }
        return Next::Drop;
    }
    match conn.reply_len() {
        None => Next::Keep,
        Some(Err(())) => Next::Fail(Failure::Garbled),
        Some(Ok(len)) => match conn.cmd.take() {
            Some(cmd) => {
                spin::replied(cmd.sent_at());
                Next::Idle(cmd, len)
            }
            None => Next::Drop,
        },
    }
}

unsafe extern "C" fn on_poll(h: *mut Handle, status: c_int, events: c_int) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let conn = uv::data(h) as *mut Conn;
        let Some(uv) = uv::get() else { return };
        match on_event(&mut *conn, status, events) {
            Next::Keep => {}
            Next::Drop => drop_conn(uv, conn),
            Next::Fail(f) => fail(uv, conn, f),
            Next::Idle(cmd, len) => {
                let c = &mut *conn;
                (uv.timer_stop)(c.timer);
                // Settling only queues the answer (JavaScript runs later, in the check phase),
                // so the reply is read in place before the connection goes back to its pool.
                let done = cmd.finish(&c.inbuf[proto::HEADER_LEN..proto::HEADER_LEN + len]);
                c.inbuf.clear();
                release(uv, conn);
                if let Some(f) = done {
                    wake::schedule(f);
                }
            }
        }
    }));
}

unsafe extern "C" fn on_timer(h: *mut Handle) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let conn = uv::data(h) as *mut Conn;
        if let Some(uv) = uv::get() {
            if (*conn).cmd.is_some() {
                fail(uv, conn, Failure::Timeout);
            }
        }
    }));
}

/// Closes a connection whose command failed, and settles or re-routes the command.
unsafe fn fail(uv: &'static Uv, conn: *mut Conn, f: Failure) {
    let cmd = (*conn).take_command();
    drop_conn(uv, conn);
    if let Some(cmd) = cmd {
        spin::ended();
        if let Some(f) = cmd.failed(f) {
            wake::schedule(f);
        }
    }
}

unsafe extern "C" fn on_closed(h: *mut Handle) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let conn = uv::data(h) as *mut Conn;
        let Some(uv) = uv::get() else { return };
        let c = &mut *conn;
        uv.free(
            h,
            if h == c.poll {
                uv::UV_POLL
            } else {
                uv::UV_TIMER
            },
        );
        c.open_handles -= 1;
        if c.open_handles == 0 {
            drop(Box::from_raw(conn));
            state::closed_one();
        }
    }));
}

/// A connection whose command ended: back to its pool, or closed if its client is gone.
///
/// # Safety
/// `conn` is live, on this thread, with no command; the state is not borrowed.
pub unsafe fn release(uv: &'static Uv, conn: *mut Conn) {
    if state::with(|s| s.return_idle(conn)) != Some(true) {
        drop_conn(uv, conn);
    }
}

/// Takes a connection out of this thread's state and closes it.
///
/// # Safety
/// `conn` is live, on this thread, and not used afterwards; the state is not borrowed.
pub unsafe fn drop_conn(uv: &'static Uv, conn: *mut Conn) {
    state::with(|s| s.remove(conn));
    Conn::close(uv, conn);
}

/// Gives the connections Tokio opened to their pools (closing those whose client is gone).
pub fn adopt_opened() {
    let Some((opened, uv, lp)) = state::with(|s| (s.take_opened(), s.uv, s.lp)) else {
        return;
    };
    for Opened { key, stream } in opened {
        let conn = stream.and_then(|s| Conn::new(uv, lp, s, key.clone()));
        if state::with(|s| s.adopt(&key, conn)) == Some(false) {
            if let Some(c) = conn {
                // SAFETY: a live connection of this thread that no pool took.
                unsafe { Conn::close(uv, c) };
            }
        }
    }
}

/// Closes the idle connections of client `id` and forgets its pools; its connections in
/// flight close when their command ends.
pub fn forget_client(id: u64) {
    let Some((idle, uv)) = state::with(|s| (s.forget_client(id), s.uv)) else {
        return;
    };
    for c in idle {
        // SAFETY: idle connections are live and now owned by nobody else.
        unsafe { Conn::close(uv, c) };
    }
}

/// The environment is going away: close every connection (commands in flight are dropped with
/// it) and the wakeup handle; the environment waits until libuv has closed them all.
pub unsafe extern "C" fn teardown(
    hook: napi::sys::napi_async_cleanup_hook_handle,
    _: *mut std::ffi::c_void,
) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let Some((conns, uv)) = state::end(hook) else {
            napi::sys::napi_remove_async_cleanup_hook(hook);
            return;
        };
        let check = wake::close(uv) as usize + spin::close(uv) as usize;
        if state::closing(conns.len() + check) {
            for c in conns {
                // SAFETY: live connections of this thread; the state that listed them is gone.
                Conn::close(uv, c);
            }
        }
    }));
}

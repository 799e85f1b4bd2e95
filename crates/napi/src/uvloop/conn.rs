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
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::panic::{catch_unwind, AssertUnwindSafe};

use aerospike_cdt::wire::proto;

use super::command::{Command, Failure};
use super::state;
use super::uv::{self, Handle, Uv};

/// Which pool a connection belongs to: (client id, node address).
pub type PoolKey = (u64, String);

pub struct Conn {
    stream: TcpStream,
    poll: *mut Handle,
    timer: *mut Handle,
    pub key: PoolKey,
    out: Vec<u8>,
    written: usize,
    inbuf: Vec<u8>,
    cmd: Option<Box<Command>>,
    /// Handles still to be closed before the memory can go.
    open_handles: u8,
}

impl Conn {
    /// Wraps a connected socket in a poll and a timer handle (both unreferenced: only commands
    /// in flight keep the process alive, through the dispatcher). `None` when libuv refuses.
    pub fn new(
        uv: &'static Uv,
        lp: *mut uv::Loop,
        stream: TcpStream,
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
            state::drop_conn(uv, conn);
            return Err(cmd);
        }
        if c.written < c.out.len() {
            (uv.poll_start)(c.poll, uv::READABLE | uv::WRITABLE, on_poll);
        }
        let limit = cmd.attempt_limit_ms();
        if limit > 0 {
            (uv.timer_start)(c.timer, on_timer, limit, 0);
        }
        c.cmd = Some(cmd);
        Ok(())
    }

    /// Writes what the socket takes now.
    fn flush(&mut self) -> std::io::Result<()> {
        while self.written < self.out.len() {
            match self.stream.write(&self.out[self.written..]) {
                Ok(0) => return Err(ErrorKind::WriteZero.into()),
                Ok(n) => self.written += n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads what has arrived, up to a whole reply. `Ok(false)`: the peer closed the connection.
    fn fill(&mut self) -> std::io::Result<bool> {
        loop {
            if self.inbuf.capacity() - self.inbuf.len() < 1024 {
                self.inbuf.reserve(16 * 1024);
            }
            let len = self.inbuf.len();
            let spare = self.inbuf.spare_capacity_mut();
            // SAFETY: reading into spare capacity as plain bytes; only the `n` bytes the read
            // wrote become part of the vector.
            let dst = unsafe {
                std::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), spare.len())
            };
            match self.stream.read(dst) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    // SAFETY: `n` bytes were just written.
                    unsafe { self.inbuf.set_len(len + n) };
                    // A whole reply is all there is to read (one command per connection): no
                    // second read just to hear it would block.
                    if self.reply_len().is_some() {
                        return Ok(true);
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(true),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The reply's body once all of it arrived: `Some(Ok(len))`; `Some(Err)`: not a reply this
    /// path reads (or bytes beyond it: the connection is out of step).
    fn reply_len(&self) -> Option<Result<usize, ()>> {
        let head: &[u8; proto::HEADER_LEN] =
            self.inbuf.get(..proto::HEADER_LEN)?.try_into().ok()?;
        let (_, kind, len) = proto::split(head);
        if kind != proto::TYPE_MSG || len > proto::MAX_BODY {
            return Some(Err(()));
        }
        let total = proto::HEADER_LEN + len as usize;
        match self.inbuf.len() {
            n if n < total => None,
            n if n == total => Some(Ok(len as usize)),
            _ => Some(Err(())),
        }
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

    /// Takes the command in flight (if any), leaving the connection idle.
    pub fn take_command(&mut self) -> Option<Box<Command>> {
        self.cmd.take()
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
    if events & uv::WRITABLE != 0 && conn.written < conn.out.len() {
        if conn.flush().is_err() {
            return Next::Fail(Failure::Io);
        }
        if conn.written == conn.out.len() {
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
        // An idle connection has nothing to say: the server closed it or is out of step.
        return Next::Drop;
    }
    match conn.reply_len() {
        None => Next::Keep,
        Some(Err(())) => Next::Fail(Failure::Garbled),
        Some(Ok(len)) => match conn.cmd.take() {
            Some(cmd) => Next::Idle(cmd, len),
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
            Next::Drop => state::drop_conn(uv, conn),
            Next::Fail(f) => fail(uv, conn, f),
            Next::Idle(cmd, len) => {
                let c = &mut *conn;
                (uv.timer_stop)(c.timer);
                let body = c.inbuf[proto::HEADER_LEN..proto::HEADER_LEN + len].to_vec();
                c.inbuf.clear();
                state::release(uv, conn);
                cmd.finish(&body);
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
    state::drop_conn(uv, conn);
    if let Some(cmd) = cmd {
        cmd.failed(f);
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

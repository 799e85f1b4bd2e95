//! One connection of this path as data: a non-blocking TCP socket to one node, the libuv poll
//! and timer handles that watch it, and the request and reply of its one command (the protocol
//! has no request ids, so a connection carries one command at a time). Its life on the loop
//! (opening, starting a command, callbacks, closing) is `conn.rs`.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;

use aerospike_cdt::wire::proto;

use super::command::Command;
use super::uv::Handle;

/// A TLS session carried on by this path after Tokio opened it.
pub type Tls = Box<rustls::ClientConnection>;

/// Which pool a connection belongs to: (client id, node address).
pub type PoolKey = (u64, String);

/// A connection: its socket, its two handles, the request being written and the reply being
/// read for its command.
pub struct Conn {
    pub stream: TcpStream,
    pub poll: *mut Handle,
    pub timer: *mut Handle,
    pub key: PoolKey,
    pub out: Vec<u8>,
    pub written: usize,
    pub inbuf: Vec<u8>,
    pub cmd: Option<Box<Command>>,
    /// The TLS session over `stream`, if the cluster speaks TLS: requests go into it as
    /// plaintext and leave as records, replies come out of it (`tls.rs`).
    pub tls: Option<Tls>,
    /// Handles still to be closed before the memory can go.
    pub open_handles: u8,
}

impl Conn {
    /// Whether request bytes are still waiting for the socket to take them.
    pub fn writing(&self) -> bool {
        match &self.tls {
            Some(t) => self.written < self.out.len() || t.wants_write(),
            None => self.written < self.out.len(),
        }
    }

    /// Writes what the socket takes now.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if self.tls.is_some() {
            return self.flush_tls();
        }
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
    pub fn fill(&mut self) -> std::io::Result<bool> {
        if self.tls.is_some() {
            return self.fill_tls();
        }
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
    pub fn reply_len(&self) -> Option<Result<usize, ()>> {
        reply_len(&self.inbuf)
    }

    /// Takes the command in flight (if any), leaving the connection idle.
    pub fn take_command(&mut self) -> Option<Box<Command>> {
        self.cmd.take()
    }
}

/// The length of the reply body in `inbuf` once all of it arrived (see `Conn::reply_len`).
pub fn reply_len(inbuf: &[u8]) -> Option<Result<usize, ()>> {
    let head: &[u8; proto::HEADER_LEN] = inbuf.get(..proto::HEADER_LEN)?.try_into().ok()?;
    let (_, kind, len) = proto::split(head);
    if kind != proto::TYPE_MSG || len > proto::MAX_BODY {
        return Some(Err(()));
    }
    let total = proto::HEADER_LEN + len as usize;
    match inbuf.len() {
        n if n < total => None,
        n if n == total => Some(Ok(len as usize)),
        _ => Some(Err(())),
    }
}

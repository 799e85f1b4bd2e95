//! A connection of this path over TLS.
//!
//! Tokio opens it as it opens every connection of the path, with the columnar path's dialer (the
//! client's own rustls configuration, so certificates and names are checked exactly as on the
//! crate's connections), runs the handshake and the login, then hands over the socket and the
//! rustls session. From then on the session is driven by hand from the loop's callbacks: a
//! request goes into it whole as plaintext and leaves as TLS records as fast as the socket takes
//! them; records that arrive are decrypted in the read callback, and the reply is read from the
//! plaintext, as on a plain connection. Anything the session itself must send (an answer to a
//! key update) goes out with the next write.

use std::io::{ErrorKind, Read, Write};

use super::socket::{reply_len, Conn};

impl Conn {
    /// Puts the rest of the request into the session and writes the records the socket takes.
    /// The session buffers a limited amount of plaintext: a large request goes in part by part,
    /// each sent before the next is taken.
    pub(super) fn flush_tls(&mut self) -> std::io::Result<()> {
        let Some(tls) = self.tls.as_deref_mut() else {
            return Ok(());
        };
        loop {
            if self.written < self.out.len() {
                self.written += tls.writer().write(&self.out[self.written..])?;
            }
            if !tls.wants_write() {
                if self.written < self.out.len() {
                    // Took nothing and has nothing to send: it cannot go on.
                    return Err(ErrorKind::WriteZero.into());
                }
                return Ok(());
            }
            while tls.wants_write() {
                match tls.write_tls(&mut self.stream) {
                    Ok(0) => return Err(ErrorKind::WriteZero.into()),
                    Ok(_) => {}
                    // The rest goes when the socket can take more (`writing()` stays true).
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }

    /// Reads the records that arrived and appends their plaintext, up to a whole reply.
    /// `Ok(false)`: the peer closed the connection (or its session) before a whole reply.
    pub(super) fn fill_tls(&mut self) -> std::io::Result<bool> {
        let Conn {
            tls: Some(tls),
            stream,
            inbuf,
            ..
        } = self
        else {
            return Ok(false);
        };
        loop {
            match tls.read_tls(stream) {
                Ok(0) => return Ok(false),
                Ok(_) => {
                    let state = tls.process_new_packets().map_err(std::io::Error::other)?;
                    let n = state.plaintext_bytes_to_read();
                    if n > 0 {
                        let len = inbuf.len();
                        inbuf.resize(len + n, 0);
                        tls.reader().read_exact(&mut inbuf[len..])?;
                    }
                    let whole = reply_len(inbuf).is_some();
                    if state.peer_has_closed() && !whole {
                        return Ok(false);
                    }
                    if whole {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // What the session has to say back (a key update) leaves now.
        if tls.wants_write() {
            self.flush_tls()?;
        }
        Ok(true)
    }
}

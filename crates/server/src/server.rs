//! Accepting connections and serving each one: read a frame, answer it ([`crate::request`]),
//! write the reply.
//!
//! Every connection is its own Tokio task; a connection that sends garbage is closed without
//! affecting any other. Shutdown stops the accept loop and closes every open connection. With
//! TLS configured, each connection's task runs its handshake first ([`crate::tls`]); plain and
//! TLS connections then share the same loop, monomorphised over the stream's halves.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::command::Reply;
use crate::faults::{Fault, Target};
use crate::frame::{self, read_frame};
use crate::request::{answer, dispatch, single_reply, Answer};
use crate::{batch, tls, State};

/// Accepts connections until `shutdown` flips to true: on `listener` (TLS when configured)
/// and, with TLS, on the plaintext `clear` listener too (a server with both a `port` and a
/// `tls-port`). While the fault controls say the listeners are stopped, the ports are closed;
/// started again, they are bound to the same addresses.
pub async fn serve(
    listener: TcpListener,
    clear: Option<TcpListener>,
    state: Arc<State>,
    shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let acceptor = state.config.tls.as_ref().map(tls::acceptor).transpose()?;
    let sweeper = tokio::spawn(sweep_loop(state.clone(), shutdown.clone()));
    let main = accept_loop(listener, acceptor, state.clone(), shutdown.clone());
    let result = match clear {
        Some(clear) => {
            let plain = accept_loop(clear, None, state, shutdown);
            let (a, b) = tokio::join!(main, plain);
            a.and(b)
        }
        None => main.await,
    };
    sweeper.abort();
    result
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tls::Acceptor>,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let mut listening = state.config.faults.watch_listening();
    let mut listener = Some(listener);
    loop {
        let mut toggled = false;
        match &listener {
            Some(l) => tokio::select! {
                accepted = l.accept() => {
                    match accepted {
                        Ok((sock, _)) => {
                            let (state, shutdown) = (state.clone(), shutdown.clone());
                            tokio::spawn(open(sock, acceptor.clone(), state, shutdown));
                        }
                        // Out of file descriptors and similar: keep serving existing connections.
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
                _ = listening.changed() => toggled = true,
                _ = shutdown.changed() => break,
            },
            None => tokio::select! {
                _ = listening.changed() => toggled = true,
                _ = shutdown.changed() => break,
            },
        }
        if toggled {
            let on = *listening.borrow_and_update();
            if !on {
                listener = None;
            } else if listener.is_none() {
                listener = Some(rebind(addr, &mut shutdown).await?);
            }
        }
    }
    Ok(())
}

/// Binds the listener's old address again (retrying while the port is briefly unavailable).
async fn rebind(
    addr: SocketAddr,
    shutdown: &mut watch::Receiver<bool>,
) -> std::io::Result<TcpListener> {
    let mut last = None;
    for _ in 0..100 {
        match crate::listen_on(addr) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
            _ = shutdown.changed() => break,
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("shut down while rebinding")))
}

async fn sweep_loop(state: Arc<State>, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = state.clock.now_cl();
                for ns in &state.store.namespaces {
                    ns.sweep_expired(now);
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// What is known of the client at the other end of one connection.
pub(crate) struct Peer {
    /// The client's address (whitelists).
    pub addr: Option<std::net::IpAddr>,
    /// The common name of the client's verified certificate (mutual TLS): the user a PKI login
    /// names.
    pub cert_name: Option<String>,
}

/// Serves one accepted socket: plain, or TLS once its handshake completes in time.
async fn open(
    sock: TcpStream,
    acceptor: Option<tls::Acceptor>,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = sock.set_nodelay(true);
    let addr = sock.peer_addr().ok().map(|a| a.ip());
    let Some(acceptor) = acceptor else {
        // The socket's own halves: no lock between the reader and the writer, and the write
        // half's drop shuts the socket down for writing, as it always has.
        let (rd, wr) = sock.into_split();
        return connection(
            rd,
            wr,
            Peer {
                addr,
                cert_name: None,
            },
            state,
            shutdown,
        )
        .await;
    };
    // A failed handshake (a plain client, a wrong certificate, a deadline missed) only closes
    // this socket.
    let done = tokio::select! {
        r = acceptor.handshake(sock) => r,
        _ = shutdown.changed() => return,
    };
    let Ok((stream, cert_name)) = done else {
        return;
    };
    let (rd, wr) = tokio::io::split(stream);
    connection(rd, wr, Peer { addr, cert_name }, state, shutdown).await
}

async fn connection<R, W>(
    rd: R,
    mut wr: W,
    peer: Peer,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    state.connections.fetch_add(1, Ordering::Relaxed);
    let mut listening = state.config.faults.watch_listening();
    let mut auth = crate::security::Conn::new(peer.addr, peer.cert_name);
    let mut rd = BufReader::with_capacity(64 * 1024, rd);
    // Batch replies are built here one proto at a time, reusing the allocation.
    let mut proto = Vec::new();
    'conn: loop {
        let frame = tokio::select! {
            f = read_frame(&mut rd) => f,
            _ = shutdown.changed() => break,
            // The listener was stopped: drop the connection, as a dying server would.
            _ = listening.changed() => break,
        };
        let Ok(Some(frame)) = frame else { break };
        let target = match frame.kind {
            frame::TYPE_MSG => Some(Target::Commands),
            frame::TYPE_INFO => Some(Target::Info),
            _ => None,
        };
        match target.and_then(|t| state.config.faults.on_request(t)) {
            None => {}
            Some(Fault::Delay(d)) => {
                tokio::select! {
                    _ = tokio::time::sleep(d) => {}
                    _ = shutdown.changed() => break,
                    _ = listening.changed() => break,
                }
            }
            Some(Fault::Hang) => loop {
                // Read and ignore whatever else arrives until the client gives up.
                tokio::select! {
                    f = read_frame(&mut rd) => if !matches!(f, Ok(Some(_))) { break 'conn },
                    _ = shutdown.changed() => break 'conn,
                    _ = listening.changed() => break 'conn,
                }
            },
            Some(Fault::Close) => break,
            Some(Fault::CloseMidResponse) => {
                if let Some(reply) = dispatch(&state, frame) {
                    let _ = send(&mut wr, &reply[..reply.len() / 2]).await;
                }
                break;
            }
            Some(Fault::Code(code)) if frame.kind == frame::TYPE_MSG => {
                let reply = single_reply(&Reply::code(code));
                if send(&mut wr, &reply).await.is_err() {
                    break;
                }
                continue;
            }
            Some(Fault::Code(_)) => {}
            Some(Fault::Garbage) => {
                let _ = send(&mut wr, b"\x09\x33garbage, not a reply").await;
                break;
            }
        }
        let counted = frame.kind == frame::TYPE_MSG;
        match answer(&state, &frame, &mut auth) {
            None => break,
            // In chunks, counting each (data replies only): a client that stops reading stops
            // the count.
            Some(Answer::Bytes(reply)) => {
                for chunk in reply.chunks(64 * 1024) {
                    if send(&mut wr, chunk).await.is_err() {
                        break 'conn;
                    }
                    if counted {
                        state.config.faults.add_sent(chunk.len());
                    }
                }
            }
            // Each proto is sent as soon as it is full (a scan or query reads its next
            // partition only then); no partition lock is held meanwhile.
            Some(Answer::Stream(mut run)) => loop {
                let last = run.next_proto(&mut proto);
                if send(&mut wr, &proto).await.is_err() {
                    break 'conn;
                }
                state.config.faults.add_sent(proto.len());
                if last {
                    break;
                }
            },
        }
        // A huge row may have grown the buffer; do not keep that much per idle connection.
        if proto.capacity() > 4 * batch::PROTO_TARGET {
            proto = Vec::new();
        }
    }
    state.connections.fetch_sub(1, Ordering::Relaxed);
}

/// Writes `bytes` and flushes them: a TLS stream holds what it has encrypted until flushed
/// (on a plain socket the flush does nothing).
async fn send<W: AsyncWrite + Unpin>(wr: &mut W, bytes: &[u8]) -> std::io::Result<()> {
    wr.write_all(bytes).await?;
    wr.flush().await
}

/// A node id unique to this server instance: upper-case hex, as real node ids look.
pub fn node_id(addr: SocketAddr) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!(
        "BB9{:04X}{:04X}{:05X}",
        addr.port(),
        std::process::id() & 0xFFFF,
        n & 0xFFFFF
    )
}

//! Single-record commands driven from the JavaScript thread's own event loop.
//!
//! On the crate's path every command costs two cross-thread wakeups: the request goes to a Tokio
//! worker, and the reply, read there, wakes the JavaScript thread. With few commands in flight
//! those wakeups are most of the client's cost. Here the request is encoded and written from the
//! calling thread, the socket is watched by the loop the JavaScript thread already runs (libuv,
//! as the official client does), and the reply is read and settled in the loop's callback, on
//! the same thread: no other thread is involved.
//!
//! The crate still does everything that may block or that it knows best: tending the cluster
//! (nodes, partition generations; the master map is the columnar path's), opening and logging
//! in connections (on Tokio; they join this path's pool when ready), and every retry (a failed
//! command is handed to it whole, see `command.rs`). A command takes this path only when it
//! can be done exactly as the crate would (`request.rs`), its node's master is known, and an
//! idle connection of this path is at hand; otherwise it takes the crate's path as before. The
//! path keeps one connection per command in flight, up to `AEROSPIKE_NAPI_LOOP_CONNS` per node
//! and within a share of `maxConnsPerNode` (`state.rs`):
//! measured, it beats the crate's batched path at every concurrency, so commands beyond it are
//! only the overflow of a burst.
//!
//! Over TLS the session is driven from the loop too (`secure.rs`). Off where the runtime has no
//! libuv (Bun), with TLS for the login only, with PKI login, or when the facade does not turn it
//! on (`AEROSPIKE_NAPI_PATH=tokio`).

mod command;
mod conn;
mod reply;
mod request;
mod scalars;
mod secure;
pub mod side;
mod socket;
mod spin;
mod state;
mod uv;
mod wake;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use aerospike::{Client, Node};
use aerospike_columnar::direct::DirectReader;

use crate::dispatch::Handle;

use command::{Command, Origin};
use side::ClientSide;
use socket::{Conn, PoolKey};
use state::{Inbox, Opened};

/// Turns the path on for the calling environment; returns what the dispatcher whose completion
/// callback is `on_ready` keeps to be called back (`Handle::set_loop_callback`), or `None` when
/// the runtime has no libuv. `cap`: connections per node on this path.
///
/// # Safety
/// Called on the environment's JavaScript thread with its `env` and a function value.
pub unsafe fn enable(
    env: napi::sys::napi_env,
    on_ready: napi::sys::napi_value,
    cap: usize,
) -> Option<usize> {
    state::init(env, on_ready, cap, Some(conn::teardown))
}

/// This environment's inbox for completions (see `wake.rs`).
///
/// # Safety
/// On the environment's JavaScript thread, with its `env`.
pub unsafe fn inbox(env: napi::sys::napi_env) -> Option<napi::sys::napi_value> {
    wake::inbox(env)
}

/// How many commands this environment settled on this path.
pub fn settled() -> u64 {
    state::settled()
}

/// Closes this thread's idle connections of a client that is closing.
pub fn forget(side: &ClientSide) {
    conn::forget_client(side.id);
}

/// The command `buf[start..end]` of a submission, started on this path; `false` when it must
/// take the crate's path (nothing was started then).
#[allow(clippy::too_many_arguments)]
pub fn try_start(
    side: &Arc<ClientSide>,
    client: &Arc<Client>,
    direct: &Arc<DirectReader>,
    buf: &Arc<[u8]>,
    (id, kind, start, end): (u32, u8, usize, usize),
    done: &Handle,
) -> bool {
    // A dispatcher that did not turn the path on (another copy of the package in this
    // environment, say) is never called back from the loop.
    if side.declined.load(Ordering::Relaxed) || done.loop_callback().is_none() {
        return false;
    }
    let Some(req) = request::encode(kind, &buf[start..end]) else {
        return false;
    };
    let nodes = client.nodes();
    let Some(i) = direct.master(&nodes, req.key.namespace(), req.key.partition_id()) else {
        refresh_routes(side, direct, nodes);
        return false;
    };
    let node = &nodes[i];
    // With TLS for the login only, data connections log in with the session token of a TLS
    // login: the crate's path does that.
    if node
        .client_policy()
        .tls_policy
        .as_ref()
        .is_some_and(|t| t.for_login_only)
    {
        side.declined.store(true, Ordering::Relaxed);
        return false;
    }
    // A node whose circuit breaker tripped: the crate's path refuses the command as it should.
    if !node.error_rate_within_limit() {
        return false;
    }
    let key: PoolKey = (side.id, node.address().to_owned());
    let policy = node.client_policy();
    let conns = (policy.min_conns_per_node, policy.max_conns_per_node);
    conn::adopt_opened();
    let crate_conns = || node.open_connections() as usize;
    let got = state::with(|s| match s.take_idle(&key, conns, crate_conns) {
        Ok(conn) => Ok((conn, s.uv)),
        Err(open) => Err(open.then(|| s.inbox.clone())),
    });
    let (conn, uv) = match got {
        Some(Ok(c)) => c,
        Some(Err(Some(inbox))) => {
            open(side, direct, node.clone(), key, inbox);
            return false;
        }
        _ => return false,
    };
    let origin = Origin {
        side: side.clone(),
        client: client.clone(),
        buf: buf.clone(),
        kind,
        start,
        end,
        id,
        done: done.clone(),
    };
    let cmd = Command::new(req, node.clone(), origin);
    // SAFETY: an idle connection of this thread's pool, now out of it.
    unsafe { Conn::start(uv, conn, cmd).is_ok() }
}

/// Rebuilds the master map on Tokio (one rebuild at a time per client).
fn refresh_routes(side: &Arc<ClientSide>, direct: &Arc<DirectReader>, nodes: Vec<Arc<Node>>) {
    let Some(rt) = crate::runtime::handle() else {
        return;
    };
    if side.refreshing.swap(true, Ordering::AcqRel) {
        return;
    }
    let (side, direct) = (side.clone(), direct.clone());
    rt.spawn(async move {
        direct.refresh_routes(&nodes).await;
        side.refreshing.store(false, Ordering::Release);
    });
}

/// Opens (and logs in) one more connection to `node` on Tokio; it joins the pool through
/// `inbox`.
fn open(
    side: &Arc<ClientSide>,
    direct: &Arc<DirectReader>,
    node: Arc<Node>,
    key: PoolKey,
    inbox: Inbox,
) {
    let Some(rt) = crate::runtime::handle() else {
        inbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Opened { key, stream: None });
        return;
    };
    let (side, direct) = (side.clone(), direct.clone());
    rt.spawn(async move {
        let stream = connect(&side, &direct, &node).await;
        inbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Opened { key, stream });
    });
}

async fn connect(
    side: &ClientSide,
    direct: &DirectReader,
    node: &Node,
) -> Option<(std::net::TcpStream, Option<socket::Tls>)> {
    let policy = node.client_policy();
    let limit = Duration::from_millis(policy.connect_timeout.max(1000) as u64);
    // The columnar path's dialer: TLS with the client's own configuration when it has one.
    let dialer = aerospike_columnar::conn::Dialer::of(policy, &[]);
    let host = node.host();
    let dialing = dialer.data(&host);
    let mut s = tokio::time::timeout(limit, dialing).await.ok()?.ok()?;
    let creds = match direct.credentials(&policy.auth_mode) {
        Ok(c) => c,
        Err(_) => {
            side.declined.store(true, Ordering::Relaxed);
            return None;
        }
    };
    if let Some(creds) = creds {
        let login = aerospike_columnar::auth::login(&mut s, &creds);
        match tokio::time::timeout(limit, login).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) => {
                // Refused: the crate's path reports why, command by command.
                side.declined.store(true, Ordering::Relaxed);
                return None;
            }
            Err(_) => return None,
        }
    }
    match s {
        aerospike_columnar::conn::Stream::Tcp(tcp) => Some((tcp.into_std().ok()?, None)),
        aerospike_columnar::conn::Stream::Tls(tls) => {
            let (tcp, session) = tls.into_inner();
            Some((tcp.into_std().ok()?, Some(Box::new(session))))
        }
    }
}

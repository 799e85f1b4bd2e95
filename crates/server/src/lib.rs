//! An in-memory server that speaks the Aerospike wire protocol, so real Aerospike clients (the
//! official Node.js, C, Java, Go and Rust clients, and aerospike-napi) can run against it in
//! tests and local development without installing a database.
//!
//! The server is a library first: [`run`] serves an already-bound listener until a shutdown
//! future completes (tests bind `127.0.0.1:0`); [`spawn`] starts it in the background on the
//! current Tokio runtime and returns a [`ServerHandle`]. The binary and the Node.js
//! `startServer()` helper are thin callers of these.
//!
//! The public face is small: [`Config`], [`TlsConfig`] and [`Pem`], [`Clock`], [`run`], [`spawn`], [`spawn_node`],
//! [`ServerHandle`], [`State`] (for the fuzz targets), [`cluster::Cluster`], [`faults`] (fault
//! injection and counters), [`fuzzing`], [`udf::stream::client_phase`] (the client phase of
//! an aggregation) and [`Security`] with [`SecurityConfig`] and [`UserSpec`]. Everything else is private, in layers, each importing only those below it:
//!
//! - connections and dispatch: `server` (accept, read frames, write replies), `tls` (the TLS
//!   setup and each connection's handshake), `request` (what a frame asks for, classified once,
//!   and the module of its family that answers it), `security` (logins, sessions, users and
//!   roles, and the check of every frame against them);
//! - command families: `batch`, `single` (one record), `background` (jobs), `udf` (record and
//!   stream UDFs), `query` (index queries and record selection), `scan`, `info`;
//! - what they share: `stream` (the streamed reply), `expr` (filter expressions and expression
//!   ops), `ops` (bin ops), `command` (one command and its reply);
//! - data: `store` (namespaces and partitions; every put and remove keeps the indexes right),
//!   `partition` (one partition's records and its sets' members),
//!   `sindex` (secondary indexes), `catalog`, `jobs`, `record` (a record, its digest and the
//!   rules of a write);
//! - the protocol and time: `frame`, `msg`, `result`, `clock`.

// Lets unit tests share the integration tests' helpers (tests/common), which name this crate.
#[cfg(test)]
extern crate self as aerospike_embedded_server;

mod background;
mod batch;
mod catalog;
mod clock;
pub mod cluster;
mod command;
mod expr;
pub mod faults;
mod frame;
pub mod fuzzing;
mod info;
mod jobs;
// The protocol tables name every code the protocol defines, used here or not.
#[allow(dead_code)]
mod msg;
mod ops;
mod partition;
mod query;
mod record;
mod request;
#[allow(dead_code)]
mod result;
mod scan;
mod security;
mod server;
mod sindex;
mod single;
mod store;
mod stream;
mod tls;
pub mod udf;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

pub use clock::Clock;
pub use security::{Security, SecurityConfig, UserSpec};
pub use tls::{Pem, TlsConfig};

/// Server configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Namespace names served (all in memory).
    pub namespaces: Vec<String>,
    /// Default TTL in seconds for writes that ask for the namespace default (0 = never expire).
    pub default_ttl: u32,
    /// Value of the `cluster-name` info command.
    pub cluster_name: String,
    /// Value of the `build` info command (four dotted components).
    pub build: String,
    /// Largest number of rows in one batch (0 = unlimited), like `batch-max-requests`.
    pub batch_max_requests: usize,
    /// The server's clock; tests advance it to expire records without sleeping.
    pub clock: Clock,
    /// Fault injection and request counters, shared with whoever controls the server.
    pub faults: Arc<faults::Faults>,
    /// The cluster this node belongs to (`None`: a standalone server).
    pub cluster: Option<Arc<cluster::Cluster>>,
    /// Users, roles and privileges (`None`: security off, every admin command answered "not
    /// enabled"). Nodes that share one share their users.
    pub security: Option<Arc<Security>>,
    /// TLS on the service port (`None`: plaintext).
    pub tls: Option<TlsConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            namespaces: vec!["test".into(), "bar".into()],
            default_ttl: 0,
            cluster_name: "aerospike-napi".into(),
            build: "8.0.0.0".into(),
            batch_max_requests: 0,
            clock: Clock::system(),
            faults: Arc::default(),
            cluster: None,
            security: None,
            tls: None,
        }
    }
}

/// Everything a connection needs: configuration, the store, the clock.
pub struct State {
    pub config: Config,
    /// The data (shared by every node of a cluster).
    pub store: Arc<store::Store>,
    pub clock: Clock,
    pub node_id: String,
    pub addr: SocketAddr,
    /// The plaintext port of a TLS node that also has one ([`tls::TlsConfig::clear_port`]).
    pub clear_addr: Option<SocketAddr>,
    pub started: std::time::Instant,
    pub connections: AtomicUsize,
    /// UDF modules and secondary-index definitions.
    pub catalog: Arc<catalog::Catalog>,
    /// Finished background jobs.
    pub jobs: jobs::Jobs,
}

impl State {
    pub(crate) fn new(config: Config, addr: SocketAddr) -> Self {
        let (store, catalog) = match &config.cluster {
            Some(c) => (c.store.clone(), c.catalog.clone()),
            None => (
                Arc::new(store::Store::new(&config.namespaces, config.default_ttl)),
                Arc::default(),
            ),
        };
        let node_id = server::node_id(addr);
        if let Some(c) = &config.cluster {
            c.join(cluster::Member {
                id: node_id.clone(),
                addr,
                tls_name: config
                    .tls
                    .as_ref()
                    .map(|t| t.name.clone().unwrap_or_default()),
            });
        }
        State {
            clock: config.clock.clone(),
            node_id,
            store,
            config,
            addr,
            clear_addr: None,
            started: std::time::Instant::now(),
            connections: AtomicUsize::new(0),
            catalog,
            jobs: jobs::Jobs::default(),
        }
    }
}

/// Serve `listener` until `shutdown` resolves; then stop accepting and close every connection.
pub async fn run(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let clear = clear_listener(&config, listener.local_addr()?)?;
    run_on(listener, clear, config, shutdown).await
}

/// Connections a listener queues before the server accepts them. Tokio's `bind` asks for 128:
/// a client opening a few hundred connections at once (one per command in flight) overflowed
/// that, and each SYN the kernel dropped came back a second later, past a 1 s timeout.
pub const BACKLOG: u32 = 4096;

/// A listener on `host:port` (port 0: any free one) with a [`BACKLOG`]-deep accept queue.
pub async fn listen(host: &str, port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let mut last = None;
    for addr in tokio::net::lookup_host((host, port)).await? {
        match listen_on(addr) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other(format!("no address for {host}"))))
}

/// A listener on `addr` with a [`BACKLOG`]-deep accept queue (inside a Tokio runtime).
pub(crate) fn listen_on(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// The plaintext listener of a TLS configuration that asks for one, on the host of `addr`.
fn clear_listener(
    config: &Config,
    addr: SocketAddr,
) -> std::io::Result<Option<tokio::net::TcpListener>> {
    let Some(port) = config.tls.as_ref().and_then(|t| t.clear_port) else {
        return Ok(None);
    };
    listen_on(SocketAddr::new(addr.ip(), port)).map(Some)
}

async fn run_on(
    listener: tokio::net::TcpListener,
    clear: Option<tokio::net::TcpListener>,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let mut state = State::new(config, addr);
    state.clear_addr = clear.as_ref().map(|c| c.local_addr()).transpose()?;
    let state = Arc::new(state);
    let (tx, rx) = tokio::sync::watch::channel(false);
    let serving = server::serve(listener, clear, state.clone(), rx);
    tokio::pin!(serving);
    let result = tokio::select! {
        r = &mut serving => r,
        _ = shutdown => {
            let _ = tx.send(true);
            serving.await
        }
    };
    // A stopped node leaves its cluster: its partitions move to the others.
    if let Some(c) = &state.config.cluster {
        c.leave(&state.node_id);
    }
    result
}

/// A server running in the background on the current Tokio runtime.
pub struct ServerHandle {
    addr: SocketAddr,
    clear_addr: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl ServerHandle {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The plaintext address of a TLS server that also has one ([`tls::TlsConfig::clear_port`]).
    pub fn clear_addr(&self) -> Option<SocketAddr> {
        self.clear_addr
    }

    /// Stop accepting, close connections and wait for the server task to end.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Start serving `listener` in a background task of the current Tokio runtime. A TLS
/// configuration that cannot work is an error here, before anything runs.
pub fn spawn(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<ServerHandle> {
    let addr = listener.local_addr()?;
    if let Some(t) = &config.tls {
        t.check()?;
    }
    let clear = clear_listener(&config, addr)?;
    let clear_addr = clear.as_ref().map(|c| c.local_addr()).transpose()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run_on(listener, clear, config, async move {
        let _ = rx.await;
    }));
    Ok(ServerHandle {
        addr,
        clear_addr,
        stop: Some(tx),
        task,
    })
}

/// Start a node of `cluster` on `listener` (a background task of the current Tokio runtime).
/// The node joins when it starts and leaves when it is stopped.
pub fn spawn_node(
    listener: tokio::net::TcpListener,
    config: &Config,
    cluster: &Arc<cluster::Cluster>,
) -> std::io::Result<ServerHandle> {
    let mut config = config.clone();
    config.cluster = Some(cluster.clone());
    spawn(listener, config)
}

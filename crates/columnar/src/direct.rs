//! The columnar read on its own wire path: the client crate still discovers the cluster
//! (nodes, addresses, partition generations), but the batch request and its reply travel over
//! this module's own pooled connections and the reply is parsed straight into columns
//! ([`crate::wire`]). That skips the crate's per-record `Record` / bin map / `Value`
//! construction, which costs more than the server's own work for numeric batches.
//!
//! With authentication configured, each new connection logs in or presents the session token
//! ([`crate::auth`]) before its first request; a refused login fails the read with the
//! server's code (INVALID_USER, INVALID_PASSWORD, …), as the crate's commands would.
//!
//! With TLS configured, its connections speak TLS with the client's own rustls configuration
//! ([`crate::conn`]), PKI logins included; with `forLoginOnly`, they are plain connections to
//! each node's clear address that authenticate with a session token, and the login itself runs
//! on a TLS connection of its own, so credentials never cross a plain socket.
//!
//! A batch policy's filter expression travels as the crate sends it: packed, in the parent
//! message and in every row written out in full. The path declines (returns `Ok(None)`, and the
//! caller uses the crate's batch) whenever it cannot do exactly what the crate would: a
//! namespace or partition with no known master, or a node that cannot be reached at all (it may
//! be leaving the cluster; the crate handles that). Reads are idempotent, so a
//! connection that fails is replaced and the node's request sent again up to `max_retries`
//! times, and a read the path gave up on can run again through the crate.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aerospike::{AdminPolicy, AuthMode, BatchPolicy, Client, Concurrency, Host, Key, Node};
use aerospike_cdt::result::client::{ERR_CLIENT, ERR_CONNECTION, ERR_TIMEOUT};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use tokio::io::AsyncReadExt;
use tokio::sync::Semaphore;

use crate::auth::{self, Credentials, Session};
use crate::conn::{Dialer, Stream};
use crate::wire::{self, BinIndex, Progress, ReplyError, RequestPolicy, Row, Selection};
use crate::{ColumnType, Columns};

const PARTITIONS: usize = 4096;

pub use crate::error::DirectError;

mod batch;
mod reach;
mod rounds;
mod scan;
mod write;
pub use batch::{ColumnReplies, ReadCall, Replies};
use reach::Reach;
pub use scan::{ScanCall, ScanStream};
pub use write::WriteCall;

/// Which node masters each partition of each namespace, for one set of node generations.
struct Routes {
    /// (node name, partition generation) of every node the map was built from.
    stamp: Vec<(String, isize)>,
    /// Per namespace: for each partition, the position of its master in `nodes` (or u16::MAX).
    owners: HashMap<String, Vec<u16>>,
}

/// Connection pools and the partition map of the columnar path, one per client.
#[derive(Default)]
pub struct DirectReader {
    /// Per node address: its idle connections and connection permits.
    nodes: Mutex<HashMap<String, Arc<NodeConns>>>,
    routes: Mutex<Option<Arc<Routes>>>,
    /// The login of the client's auth mode, hashed once (bcrypt is slow on purpose).
    creds: Mutex<Option<(AuthMode, Option<Arc<Credentials>>)>>,
    /// Reads this path answered (not declined to the crate), and how many of them over TLS.
    served: AtomicU64,
    served_tls: AtomicU64,
    /// Columnar scans this path ran ([`scan`]), and object scans.
    scans: AtomicU64,
    object_scans: AtomicU64,
    /// Columnar writes this path sent ([`write`]).
    writes: AtomicU64,
    /// Object batch reads this path answered (the addon's), and whether it may take them.
    objects: AtomicU64,
    objects_off: AtomicBool,
    /// The client's seed hosts (their TLS names name the login addresses of `forLoginOnly`).
    seeds: Vec<Host>,
}

fn now_unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The packed bytes of a filter expression, as the crate sends them (it gives them as
/// base64); None when it cannot.
pub fn packed_expression(e: &aerospike::expressions::Expression) -> Option<Vec<u8>> {
    STANDARD.decode(e.base64().ok()?).ok()
}

/// The batch header fields a batch policy sets, for reads and writes alike.
fn request_policy(policy: &BatchPolicy) -> RequestPolicy {
    RequestPolicy {
        read_touch: 0,
        total_timeout_ms: policy.base_policy.total_timeout,
        respond_all_keys: policy.respond_all_keys,
        allow_inline: policy.allow_inline,
        allow_inline_ssd: policy.allow_inline_ssd,
    }
}

fn ms(v: u32) -> Option<Duration> {
    (v > 0).then(|| Duration::from_millis(v as u64))
}

async fn within<T>(
    limit: Option<Duration>,
    f: impl std::future::Future<Output = std::io::Result<T>>,
) -> Result<T, DirectError> {
    let r = match limit {
        Some(d) => tokio::time::timeout(d, f)
            .await
            .map_err(|_| DirectError::new(ERR_TIMEOUT, "socket timeout"))?,
        None => f.await,
    };
    r.map_err(|e| DirectError::new(ERR_CONNECTION, e.to_string()))
}

/// Adds one node's `replicas` answer (`ns:regime,n,bitmap0,…;…`) to the master map.
fn add_replicas(owners: &mut HashMap<String, Vec<u16>>, node: u16, replicas: &str) {
    for entry in replicas.split(';').filter(|e| !e.is_empty()) {
        let Some((ns, rest)) = entry.split_once(':') else {
            continue;
        };
        let mut parts = rest.split(',');
        let (_regime, _n) = (parts.next(), parts.next());
        let Some(bitmap) = parts.next().and_then(|b| STANDARD.decode(b).ok()) else {
            continue;
        };
        let map = owners
            .entry(ns.to_string())
            .or_insert_with(|| vec![u16::MAX; PARTITIONS]);
        for (p, owner) in map.iter_mut().enumerate() {
            if bitmap
                .get(p >> 3)
                .is_some_and(|b| b & (0x80 >> (p & 7)) != 0)
            {
                *owner = node;
            }
        }
    }
}

impl DirectReader {
    /// The reader of a client seeded with `seeds`.
    pub fn with_seeds(seeds: Vec<Host>) -> DirectReader {
        DirectReader {
            seeds,
            ..DirectReader::default()
        }
    }

    /// Reads this path answered itself, and how many of those over TLS connections: the crate's
    /// batch ran for every other columnar read.
    pub fn served(&self) -> (u64, u64) {
        (
            self.served.load(Ordering::Relaxed),
            self.served_tls.load(Ordering::Relaxed),
        )
    }

    /// Whether object batch reads may take this path (tests turn it off to compare with the
    /// crate's batch).
    pub fn objects_on(&self) -> bool {
        !self.objects_off.load(Ordering::Relaxed)
    }

    pub fn set_objects(&self, on: bool) {
        self.objects_off.store(!on, Ordering::Relaxed);
    }

    /// Counts an object batch read this path answered.
    pub fn note_object_batch(&self) {
        self.objects.fetch_add(1, Ordering::Relaxed);
    }

    /// Object batch reads this path answered.
    pub fn object_batches(&self) -> u64 {
        self.objects.load(Ordering::Relaxed)
    }

    /// Drops every pooled connection (the client is closing).
    pub fn close(&self) {
        self.nodes.lock().unwrap_or_else(|e| e.into_inner()).clear();
        *self.routes.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The master map for these nodes, rebuilt when any node's partition generation changed.
    async fn routes(&self, nodes: &[Arc<Node>]) -> Option<Arc<Routes>> {
        if let Some(r) = self.current_routes(nodes) {
            return Some(r);
        }
        let stamp: Vec<(String, isize)> = nodes
            .iter()
            .map(|n| (n.name().to_string(), n.partition_generation()))
            .collect();
        let mut owners = HashMap::new();
        let policy = AdminPolicy::default();
        for (i, node) in nodes.iter().enumerate() {
            let answer = node.info(&policy, &["replicas"]).await.ok()?;
            add_replicas(&mut owners, i as u16, answer.get("replicas")?);
        }
        let r = Arc::new(Routes { stamp, owners });
        *self.routes.lock().unwrap_or_else(|e| e.into_inner()) = Some(r.clone());
        Some(r)
    }

    /// The master map, if the one cached was built from exactly these nodes and generations.
    fn current_routes(&self, nodes: &[Arc<Node>]) -> Option<Arc<Routes>> {
        let cached = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let r = cached.as_ref()?;
        let same = r.stamp.len() == nodes.len()
            && r.stamp.iter().zip(nodes).all(|((name, generation), n)| {
                name == n.name() && *generation == n.partition_generation()
            });
        same.then(|| r.clone())
    }

    /// The position in `nodes` of the master of partition `pid` of `ns`, from the cached map;
    /// `None` when that map is missing or stale (see [`DirectReader::refresh_routes`]) or the
    /// partition has no known master. For other direct paths (the single-record commands
    /// driven from the JavaScript thread) that must never wait for the map.
    pub fn master(&self, nodes: &[Arc<Node>], ns: &str, pid: usize) -> Option<usize> {
        let r = self.current_routes(nodes)?;
        let owner = *r.owners.get(ns)?.get(pid)?;
        (owner != u16::MAX).then_some(owner as usize)
    }

    /// Rebuilds the master map for `nodes` if it is stale; whether one is now known.
    pub async fn refresh_routes(&self, nodes: &[Arc<Node>]) -> bool {
        self.routes(nodes).await.is_some()
    }

    /// Reads `spec` for every key, or `Ok(None)` when this path does not apply.
    pub async fn read(
        &self,
        client: &Client,
        policy: &BatchPolicy,
        spec: &[(String, ColumnType)],
        keys: &[Key],
    ) -> Result<Option<Columns>, DirectError> {
        if keys.is_empty() && policy.base_policy.filter_expression.is_none() {
            return Ok(Some(Columns::empty(spec, 0)));
        }
        let names: Vec<&str> = spec.iter().map(|(b, _)| b.as_str()).collect();
        let out = ColumnReplies::new(&names, Columns::empty(spec, keys.len()));
        let call = ReadCall {
            policy,
            request: request_policy(policy),
            sel: Selection::Named(&names),
            keys,
            decline: |e| e.code == ERR_CONNECTION,
        };
        let Some(tls) = self.batch_read(client, &call, &out).await? else {
            return Ok(None);
        };
        self.served.fetch_add(1, Ordering::Relaxed);
        if tls {
            self.served_tls.fetch_add(1, Ordering::Relaxed);
        }
        Ok(Some(out.into_columns()))
    }

    /// The login credentials of `mode`, hashed on first use and whenever the mode changes.
    pub fn credentials(&self, mode: &AuthMode) -> Result<Option<Arc<Credentials>>, DirectError> {
        let mut cached = self.creds.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((m, c)) = &*cached {
            if m == mode {
                return Ok(c.clone());
            }
        }
        let c = Credentials::of(mode)?.map(Arc::new);
        *cached = Some((mode.clone(), c.clone()));
        Ok(c)
    }

    /// The connections of the node at `addr`, created on first use.
    fn node_conns(&self, addr: &str, max_conns: usize) -> Arc<NodeConns> {
        let mut nodes = self.nodes.lock().unwrap_or_else(|e| e.into_inner());
        nodes
            .entry(addr.to_string())
            .or_insert_with(|| {
                Arc::new(NodeConns {
                    idle: Mutex::new(Vec::new()),
                    max_conns: max_conns.max(1),
                    permits: Semaphore::new(max_conns.max(1)),
                    session: Mutex::new(None),
                })
            })
            .clone()
    }

    /// Sends one node's request and reads its reply into `out`, retrying on a new connection.
    #[allow(clippy::too_many_arguments)]
    async fn run_node(
        &self,
        node: &Node,
        req: Vec<u8>,
        out: &dyn Replies,
        policy: &BatchPolicy,
        connect_timeout: Option<Duration>,
        creds: Option<&Credentials>,
        dialer: &Dialer,
    ) -> Result<(), DirectError> {
        let host = node.host();
        let login_timeout = ms(node.client_policy().login_timeout);
        let conns = self.node_conns(
            &format!("{}:{}", host.name, host.port),
            node.client_policy().max_conns_per_node,
        );
        // At most maxConnsPerNode of these exchanges run at once per node; the caller's total
        // timeout bounds the wait.
        let _permit = conns
            .permits
            .acquire()
            .await
            .map_err(|_| DirectError::new(ERR_CLIENT, "client is closed"))?;
        let socket_timeout = ms(policy.base_policy.socket_timeout);
        let mut last = None;
        let mut attempts = 0;
        let mut try_pooled = true;
        while attempts <= policy.base_policy.max_retries {
            let pooled = if try_pooled { conns.take_idle() } else { None };
            let was_pooled = pooled.is_some();
            try_pooled = false;
            let mut conn = match pooled {
                Some(c) => c,
                None => {
                    let opened = match within(connect_timeout, dialer.data(&host)).await {
                        Ok(mut c) => match creds {
                            Some(creds) => conns
                                .sign_in(&mut c, creds, login_timeout, (dialer, node))
                                .await
                                .map(|()| c),
                            None => Ok(c),
                        },
                        Err(e) => Err(e),
                    };
                    match opened {
                        Ok(c) => c,
                        Err(e) if e.code == ERR_CONNECTION || e.code == ERR_TIMEOUT => {
                            last = Some(e);
                            attempts += 1;
                            continue;
                        }
                        // A refused login: the same credentials will be refused again.
                        Err(e) => return Err(e),
                    }
                }
            };
            match exchange(&mut conn, &req, out, socket_timeout).await {
                Ok(()) => {
                    conns.give_back(conn);
                    return Ok(());
                }
                // A pooled connection the server closed while it sat idle: try a new one
                // without counting an attempt.
                Err((e, false)) if was_pooled && e.code == ERR_CONNECTION => last = Some(e),
                // Only a broken or silent connection is worth another attempt.
                Err((e, _)) if e.code == ERR_CONNECTION || e.code == ERR_TIMEOUT => {
                    last = Some(e);
                    attempts += 1;
                }
                Err((e, _)) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| DirectError::new(ERR_CONNECTION, "no connection")))
    }
}

/// One node's idle connections, the permits that cap its open ones, and its login session.
struct NodeConns {
    /// Connections between requests, up to `max_conns`: closing those beyond a smaller cap made
    /// every burst of more concurrent calls open (and the server accept) connections anew, and
    /// a burst that overflowed the server's listen queue waited a second for the SYN to be sent
    /// again (batches past a 1 s `totalTimeout` in the soak).
    idle: Mutex<Vec<Stream>>,
    max_conns: usize,
    permits: Semaphore,
    session: Mutex<Option<Session>>,
}

impl NodeConns {
    /// Authenticates a new connection: with the session token while it is fresh, else (or
    /// when the server refuses the token) with a login that starts a new session. With TLS for
    /// the login only, that login runs on a TLS connection of its own to the node's TLS address,
    /// and `conn` (plain) presents the token it returned.
    async fn sign_in(
        &self,
        conn: &mut Stream,
        creds: &Credentials,
        limit: Option<Duration>,
        (dialer, node): (&Dialer, &Node),
    ) -> Result<(), DirectError> {
        let session = self
            .session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(Session::is_fresh);
        let run = async {
            if let Some(s) = session {
                if auth::authenticate(conn, creds, &s).await? {
                    return Ok(());
                }
            }
            if !dialer.login_only() {
                let fresh = auth::login(conn, creds).await?;
                *self.session.lock().unwrap_or_else(|e| e.into_inner()) = fresh;
                return Ok(());
            }
            let host = dialer.login_host(node).await.map_err(io_error)?;
            let mut tls = dialer.login(&host).await.map_err(io_error)?;
            let fresh = auth::login(&mut tls, creds).await?;
            *self.session.lock().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
            match fresh {
                Some(s) if !auth::authenticate(conn, creds, &s).await? => Err(DirectError::new(
                    ERR_CLIENT,
                    "the session token of the TLS login was refused on the clear connection",
                )),
                _ => Ok(()),
            }
        };
        match limit {
            Some(d) => tokio::time::timeout(d, run)
                .await
                .map_err(|_| DirectError::new(ERR_TIMEOUT, "login timeout"))?,
            None => run.await,
        }
    }

    fn take_idle(&self) -> Option<Stream> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    fn give_back(&self, conn: Stream) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_conns {
            idle.push(conn);
        }
    }
}

fn io_error(e: std::io::Error) -> DirectError {
    DirectError::new(ERR_CONNECTION, e.to_string())
}

/// One request/reply exchange on `conn`. An error says whether any reply bytes had arrived.
async fn exchange(
    conn: &mut Stream,
    req: &[u8],
    out: &dyn Replies,
    socket_timeout: Option<Duration>,
) -> Result<(), (DirectError, bool)> {
    within(socket_timeout, conn.send(req))
        .await
        .map_err(|e| (e, false))?;
    let now = now_unix_secs();
    let mut body = Vec::new();
    let mut replied = false;
    loop {
        let mut h = [0u8; 8];
        within(socket_timeout, conn.read_exact(&mut h))
            .await
            .map_err(|e| (e, replied))?;
        replied = true;
        let (kind, len) = wire::proto_header(&h).map_err(|e| (e.into(), true))?;
        if kind != wire::TYPE_MSG {
            return Err((ReplyError::Protocol("unexpected proto type").into(), true));
        }
        body.resize(len, 0);
        within(socket_timeout, conn.read_exact(&mut body))
            .await
            .map_err(|e| (e, true))?;
        if out.proto(&body, now).map_err(|e| (e.into(), true))? == Progress::Done {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_bitmaps_map_partitions_to_masters() {
        // Node 0 owns partitions 0 and 9; node 1 owns 1. 512-byte bitmaps in base64.
        let mut a = vec![0u8; 512];
        a[0] = 0x80;
        a[1] = 0x40;
        let mut b = vec![0u8; 512];
        b[0] = 0x40;
        let enc = |v: &[u8]| STANDARD.encode(v);
        let mut owners = HashMap::new();
        add_replicas(
            &mut owners,
            0,
            &format!("test:0,1,{};bar:0,1,{}", enc(&a), enc(&b)),
        );
        add_replicas(&mut owners, 1, &format!("test:0,1,{}", enc(&b)));
        let t = &owners["test"];
        assert_eq!((t[0], t[1], t[9], t[2]), (0, 1, 0, u16::MAX));
        assert_eq!(owners["bar"][1], 0);
        // A bitmap that is not base64 is skipped, not a panic.
        add_replicas(&mut owners, 1, "test:0,1,*not base64*");
        assert_eq!(owners["test"][1], 1);
    }
}

//! Scans on the direct path: one partition scan per node over this reader's own connections,
//! each reply proto's records handed as wire bytes to the scan's sink ([`crate::scan_wire`]:
//! column batches, or the addon's object records), and the sink's batches handed over through
//! a bounded channel. While the
//! consumer does not take a batch, the node tasks wait on the channel and stop reading their
//! sockets, so the server's sends stall too: read-ahead is at most [`READ_AHEAD`] batches plus
//! the protos in flight. Dropping the [`ScanStream`] aborts the tasks and closes their
//! connections mid-stream, which ends the scan on the server.
//!
//! The path declines (the caller runs the crate's query) when it cannot see the whole picture:
//! no active node, no partition map, the namespace missing from it (the crate reports that), or
//! a partition with no known master. Once started, the scan runs in rounds ([`super::rounds`]):
//! a node that broke off or timed out, or a partition the server reported unavailable, is sent
//! again in the next round for what is left of it ([`crate::partitions`]), on a fresh partition
//! map. Any other failure fails the scan at once (records already delivered cannot be taken
//! back), with the server's code for a server error.

use std::sync::atomic::AtomicU64;

use aerospike_cdt::result::client::ERR_INVALID_NODE;
use futures::future::try_join_all;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::rounds::{retryable, Rounds};
use super::*;
use crate::partitions::{partition_of, Partitions};
use crate::scan_wire::{
    encode_scan, read_scan_proto, IndexFilter, ScanFill, ScanRequest, ScanSink,
};

/// Full batches buffered ahead of the consumer.
pub const READ_AHEAD: usize = 2;

/// A direct scan of one namespace and set.
pub struct ScanCall {
    pub namespace: String,
    pub set: String,
    /// The bins requested from the server (none: only metadata, digests and keys, unless
    /// `all`).
    pub read: Vec<String>,
    /// Every bin (`read` is then empty).
    pub all: bool,
    /// An index query's filter (None: a scan).
    pub index: Option<IndexFilter>,
    /// A filter expression, packed.
    pub filter_exp: Option<Vec<u8>>,
    /// At most this many records in all (0 = all).
    pub max_records: u64,
    pub socket_timeout_ms: u32,
    /// Bounds the whole scan (0 = none).
    pub total_timeout_ms: u32,
    /// Further rounds for what a failed round left.
    pub max_retries: usize,
    pub sleep_between_retries_ms: u32,
}

/// The batches of a running direct scan, in arrival order.
pub struct ScanStream<B> {
    rx: mpsc::Receiver<Result<B, DirectError>>,
    task: JoinHandle<()>,
}

impl<B> ScanStream<B> {
    /// The next batch, or None once the scan ended (after its last batch).
    pub async fn next(&mut self) -> Option<Result<B, DirectError>> {
        self.rx.recv().await
    }
}

impl<B> Drop for ScanStream<B> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Makes each scan's task id distinct within the process.
static TASKS: AtomicU64 = AtomicU64::new(0);

/// A task id for one round of a scan: the server refuses (PARAMETER) a scan whose id is that of
/// one it is running, so ids must differ across processes too (several clients scanning in the
/// same second); hashed with a randomly keyed hasher, as the crate's are random.
fn task_id() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(TASKS.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    h.finish().max(1)
}

type Sender<B> = mpsc::Sender<Result<B, DirectError>>;

/// What the node tasks of a scan fill: the sink and how far each partition got.
struct Progressed<S> {
    fill: ScanFill<S>,
    parts: Partitions,
}

/// A scan's part that stays the same from round to round.
struct ScanRun<'a, B> {
    reader: &'a DirectReader,
    client: &'a Client,
    call: &'a ScanCall,
    tx: &'a Sender<B>,
    creds: Option<&'a Credentials>,
    dialer: &'a Dialer,
}

/// One round's scan of one node.
struct NodeScan<'a, S: ScanSink> {
    reader: &'a DirectReader,
    progress: &'a Mutex<Progressed<S>>,
    tx: &'a Sender<S::Batch>,
    creds: Option<&'a Credentials>,
    dialer: &'a Dialer,
    socket_timeout: Option<Duration>,
}

/// Each node's share of a round: partitions whole, and partitions resumed after a digest (and
/// its bval).
type Plan = Vec<(Vec<u16>, Vec<([u8; 20], u64)>)>;

/// The round's plan for what `parts` has left, by `owners` (the master of each partition, a
/// position in a list of `n_nodes` nodes); None when a partition has no known master.
fn plan(parts: &Partitions, owners: &[u16], n_nodes: usize) -> Result<Plan, u16> {
    let mut plan: Plan = vec![(Vec::new(), Vec::new()); n_nodes];
    for (pid, resume) in parts.pending() {
        let owner = owners.get(pid as usize).copied().unwrap_or(u16::MAX);
        let Some((whole, resumed)) = plan.get_mut(owner as usize) else {
            return Err(pid);
        };
        match resume {
            Some(d) => resumed.push(*d),
            None => whole.push(pid),
        }
    }
    Ok(plan)
}

/// The address a node's failures name.
fn addr(node: &Node) -> String {
    let host = node.host();
    format!("{}:{}", host.name, host.port)
}

impl DirectReader {
    /// Columnar scans this path ran (the crate's query ran every other one).
    pub fn scans_served(&self) -> u64 {
        self.scans.load(Ordering::Relaxed)
    }

    /// Object scans this path ran.
    pub fn object_scans(&self) -> u64 {
        self.object_scans.load(Ordering::Relaxed)
    }

    /// Starts `call` on this path, its records going to `sink`, or `Ok(None)` when it
    /// declines (see the module comment). Must run inside a tokio runtime: the scan runs on a
    /// task of its own.
    pub async fn scan<S: ScanSink>(
        self: &Arc<Self>,
        client: &Client,
        call: ScanCall,
        sink: S,
    ) -> Result<Option<ScanStream<S::Batch>>, DirectError> {
        let Some(reach) = self.reach(client).await? else {
            return Ok(None);
        };
        let Reach {
            nodes,
            dialer,
            creds,
            routes,
            ..
        } = reach;
        let Some(owners) = routes.owners.get(&call.namespace) else {
            return Ok(None);
        };
        if owners.iter().any(|&n| n as usize >= nodes.len()) {
            return Ok(None);
        }
        let owners = owners.clone();
        let counter = match S::OBJECTS {
            true => &self.object_scans,
            false => &self.scans,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let (me, client) = (self.clone(), client.clone());
        let task = tokio::spawn(async move {
            let run = ScanRun {
                reader: &me,
                client: &client,
                call: &call,
                tx: &tx,
                creds: creds.as_deref(),
                dialer: &dialer,
            };
            let last = match run.rounds(nodes, owners, sink).await {
                Ok(last) => last.map(Ok),
                Err(e) => Some(Err(e)),
            };
            if let Some(last) = last {
                let _ = tx.send(last).await;
            }
        });
        Ok(Some(ScanStream { rx, task }))
    }
}

impl<B: Send + 'static> ScanRun<'_, B> {
    /// Runs rounds until every partition is finished (or enough records came), starting on
    /// `nodes` with the partition masters `owners`. Returns the last, partly filled batch.
    async fn rounds<S: ScanSink<Batch = B>>(
        &self,
        mut nodes: Vec<Arc<Node>>,
        mut owners: Vec<u16>,
        sink: S,
    ) -> Result<Option<B>, DirectError> {
        let call = self.call;
        let mut rounds = Rounds::new(
            call.total_timeout_ms,
            call.socket_timeout_ms,
            call.max_retries,
            call.sleep_between_retries_ms,
        );
        let progress = Mutex::new(Progressed {
            fill: ScanFill::new(sink, call.max_records),
            parts: Partitions::default(),
        });
        loop {
            let plan = plan(&lock(&progress).parts, &owners, nodes.len()).map_err(|pid| {
                DirectError::new(
                    ERR_INVALID_NODE,
                    format!("Node not found for partition {pid}"),
                )
            })?;
            let scan = NodeScan {
                reader: self.reader,
                progress: &progress,
                tx: self.tx,
                creds: self.creds,
                dialer: self.dialer,
                socket_timeout: rounds.socket_timeout(),
            };
            let round = self.round(&scan, &nodes, &plan);
            let outcomes = match rounds.deadline() {
                Some(d) => tokio::time::timeout_at(d, round)
                    .await
                    .map_err(|_| rounds.timed_out())??,
                None => round.await?,
            };
            let finished = {
                let mut p = lock(&progress);
                for (i, outcome) in outcomes {
                    match outcome {
                        Ok(()) => {
                            let (whole, resumed) = &plan[i];
                            p.parts.node_finished(whole);
                            for (d, _) in resumed {
                                p.parts.node_finished(&[partition_of(d) as u16]);
                            }
                        }
                        Err(e) => {
                            let what = match e.message.ends_with("AEROSPIKE_STATUS") {
                                true => format!("server result code {}", e.code),
                                false => e.message,
                            };
                            rounds.failed(&addr(&nodes[i]), e.code, what);
                        }
                    }
                }
                for pid in p.parts.take_unavailable() {
                    rounds.unavailable(&addr(&nodes[owners[pid as usize] as usize]), pid);
                }
                if p.fill.full() || p.parts.pending().next().is_none() {
                    Some(p.fill.sink.finish())
                } else {
                    p.parts.new_round();
                    None
                }
            };
            if let Some(last) = finished {
                return Ok(last);
            }
            rounds.next().await?;
            // The next round goes by a fresh partition map: a node may have left, or a
            // partition moved.
            nodes = self
                .client
                .nodes()
                .into_iter()
                .filter(|n| n.is_active())
                .collect();
            let routes = self.reader.routes(&nodes).await;
            owners = match routes.as_ref().and_then(|r| r.owners.get(&call.namespace)) {
                Some(o) => o.clone(),
                None => vec![u16::MAX; PARTITIONS],
            };
        }
    }

    /// Scans each node's share of `plan` at once: per node (by position in `nodes`), Ok or the
    /// failure to retry; any other failure ends the round and the scan.
    async fn round<S: ScanSink<Batch = B>>(
        &self,
        scan: &NodeScan<'_, S>,
        nodes: &[Arc<Node>],
        plan: &Plan,
    ) -> Result<Vec<(usize, Result<(), DirectError>)>, DirectError> {
        let task_id = task_id();
        let read: Vec<&str> = self.call.read.iter().map(String::as_str).collect();
        let left = lock(scan.progress).fill.left();
        let work = plan
            .iter()
            .enumerate()
            .filter(|(_, (whole, resumed))| !whole.is_empty() || !resumed.is_empty())
            .map(|(i, (whole, resumed))| {
                let req = ScanRequest {
                    namespace: &self.call.namespace,
                    set: &self.call.set,
                    bins: &read,
                    all: self.call.all,
                    socket_timeout_ms: self.call.socket_timeout_ms,
                    max_records: left,
                    task_id,
                    index: self.call.index.as_ref(),
                    filter_exp: self.call.filter_exp.as_deref(),
                };
                let mut buf =
                    Vec::with_capacity(64 + whole.len() * 2 + resumed.len() * 28 + read.len() * 24);
                encode_scan(&mut buf, &req, whole, resumed);
                async move {
                    match scan.node(&nodes[i], buf).await {
                        Err(e) if !retryable(e.code) => Err(e),
                        outcome => Ok((i, outcome)),
                    }
                }
            });
        try_join_all(work).await
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<S: ScanSink> NodeScan<'_, S> {
    /// Scans one node's partitions with `req`, sending each batch as it fills.
    async fn node(&self, node: &Node, req: Vec<u8>) -> Result<(), DirectError> {
        let at = addr(node);
        let conns = self
            .reader
            .node_conns(&at, node.client_policy().max_conns_per_node);
        let _permit = conns
            .permits
            .acquire()
            .await
            .map_err(|_| DirectError::new(ERR_CLIENT, "client is closed"))?;
        let (mut conn, mut h) = self.start(node, &conns, &req).await?;
        let now = now_unix_secs();
        let mut body = Vec::new();
        loop {
            let (kind, len) = wire::proto_header(&h).map_err(|e| DirectError::of_scan(e, &at))?;
            if kind != wire::TYPE_MSG {
                let e = ReplyError::Protocol("unexpected proto type");
                return Err(DirectError::of_scan(e, &at));
            }
            body.resize(len, 0);
            within(self.socket_timeout, conn.read_exact(&mut body)).await?;
            let (progress, ready, full) = {
                let p = &mut *lock(self.progress);
                let progress = read_scan_proto(&body, now, &mut p.fill, &mut p.parts)
                    .map_err(|e| DirectError::of_scan(e, &at))?;
                // Nothing waits in the channel: the consumer may be waiting for records.
                if self.tx.capacity() == self.tx.max_capacity() {
                    p.fill.sink.flush();
                }
                (progress, p.fill.sink.take_ready(), p.fill.full())
            };
            for batch in ready {
                self.tx
                    .send(Ok(batch))
                    .await
                    .map_err(|_| DirectError::new(ERR_CLIENT, "scan closed"))?;
            }
            if progress == Progress::Done {
                conns.give_back(conn);
                return Ok(());
            }
            // Enough records: the connection is dropped mid-stream, which ends the node's scan.
            if full {
                return Ok(());
            }
            within(self.socket_timeout, conn.read_exact(&mut h)).await?;
        }
    }

    /// Sends the request and reads the first reply header, on a pooled connection first: one
    /// the server closed while it sat idle is replaced by a new one without using up a round
    /// (nothing has been read yet). A new connection that fails fails the node's round.
    async fn start(
        &self,
        node: &Node,
        conns: &NodeConns,
        req: &[u8],
    ) -> Result<(Stream, [u8; 8]), DirectError> {
        let mut pooled = conns.take_idle();
        loop {
            let was_pooled = pooled.is_some();
            let conn = match pooled.take() {
                Some(c) => Ok(c),
                None => self.connect(node, conns).await,
            };
            let sent = match conn {
                Ok(mut c) => {
                    let mut h = [0u8; 8];
                    let io = async {
                        within(self.socket_timeout, c.send(req)).await?;
                        within(self.socket_timeout, c.read_exact(&mut h)).await
                    };
                    io.await.map(|_| (c, h))
                }
                Err(e) => Err(e),
            };
            match sent {
                Ok(started) => return Ok(started),
                Err(e) if was_pooled && e.code == ERR_CONNECTION => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// A new, authenticated connection to `node`.
    async fn connect(&self, node: &Node, conns: &NodeConns) -> Result<Stream, DirectError> {
        let policy = node.client_policy();
        let mut c = within(ms(policy.timeout), self.dialer.data(&node.host())).await?;
        if let Some(creds) = self.creds {
            let login = ms(policy.login_timeout);
            conns
                .sign_in(&mut c, creds, login, (self.dialer, node))
                .await?;
        }
        Ok(c)
    }
}

//! Columnar scans on the direct path: one partition scan per node over this reader's own
//! connections, each reply proto parsed straight into the growing column batch
//! ([`crate::scan_wire`]), and full batches handed over through a bounded channel. While the
//! consumer does not take a batch, the node tasks wait on the channel and stop reading their
//! sockets, so the server's sends stall too: read-ahead is at most [`READ_AHEAD`] batches plus
//! the protos in flight. Dropping the [`ScanStream`] aborts the tasks and closes their
//! connections mid-stream, which ends the scan on the server.
//!
//! The path declines (the caller runs the crate's query) when it cannot see the whole picture:
//! no active node, no partition map, the namespace missing from it (the crate reports that), or
//! a partition with no known master. Once started, a failure fails the scan (records already
//! delivered cannot be taken back), with the server's code for a server error.

use std::sync::atomic::AtomicU64;

use futures::future::try_join_all;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::*;
use crate::records::RecordColumns;
use crate::scan_wire::{encode_scan, read_scan_proto, ScanBatches, ScanRequest};

/// Full batches buffered ahead of the consumer.
pub const READ_AHEAD: usize = 2;

/// A columnar scan of one namespace and set.
pub struct ScanCall {
    pub namespace: String,
    pub set: String,
    pub spec: Vec<(String, ColumnType)>,
    /// The bins requested from the server: the spec's (or those of them the statement names).
    pub read: Vec<String>,
    /// Rows per batch.
    pub rows: usize,
    /// At most this many records in all (0 = all).
    pub max_records: u64,
    pub socket_timeout_ms: u32,
    pub max_retries: usize,
}

/// The batches of a running direct scan, in arrival order.
pub struct ScanStream {
    rx: mpsc::Receiver<Result<RecordColumns, DirectError>>,
    task: JoinHandle<()>,
}

impl ScanStream {
    /// The next batch, or None once the scan ended (after its last batch).
    pub async fn next(&mut self) -> Option<Result<RecordColumns, DirectError>> {
        self.rx.recv().await
    }
}

impl Drop for ScanStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Makes each scan's task id distinct within the process.
static TASKS: AtomicU64 = AtomicU64::new(0);

struct NodeScan<'a> {
    reader: &'a DirectReader,
    bins: &'a BinIndex<'a>,
    batches: &'a Mutex<ScanBatches>,
    tx: &'a mpsc::Sender<Result<RecordColumns, DirectError>>,
    creds: Option<&'a Credentials>,
    dialer: &'a Dialer,
    socket_timeout: Option<Duration>,
    max_retries: usize,
}

impl DirectReader {
    /// Columnar scans this path ran (the crate's query ran every other one).
    pub fn scans_served(&self) -> u64 {
        self.scans.load(Ordering::Relaxed)
    }

    /// Starts `call` on this path, or `Ok(None)` when it declines (see the module comment).
    /// Must run inside a tokio runtime: the scan runs on a task of its own.
    pub async fn scan(
        self: &Arc<Self>,
        client: &Client,
        call: ScanCall,
    ) -> Result<Option<ScanStream>, DirectError> {
        let Some(reach) = self.reach(client).await? else {
            return Ok(None);
        };
        let Reach {
            nodes,
            dialer,
            creds,
            routes,
        } = reach;
        let Some(owners) = routes.owners.get(&call.namespace) else {
            return Ok(None);
        };
        let mut pids: Vec<Vec<u16>> = vec![Vec::new(); nodes.len()];
        for (p, &n) in owners.iter().enumerate() {
            match pids.get_mut(n as usize) {
                Some(list) => list.push(p as u16),
                None => return Ok(None),
            }
        }
        self.scans.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(READ_AHEAD);
        let me = self.clone();
        let task = tokio::spawn(async move {
            let task_id = (now_unix_secs() << 20) ^ TASKS.fetch_add(1, Ordering::Relaxed);
            let batches = Mutex::new(ScanBatches::new(&call.spec, call.rows, call.max_records));
            let names: Vec<&str> = call.spec.iter().map(|(b, _)| b.as_str()).collect();
            let bins = BinIndex::new(&names);
            let read: Vec<&str> = call.read.iter().map(String::as_str).collect();
            let scan = NodeScan {
                reader: &me,
                bins: &bins,
                batches: &batches,
                tx: &tx,
                creds: creds.as_deref(),
                dialer: &dialer,
                socket_timeout: ms(call.socket_timeout_ms),
                max_retries: call.max_retries,
            };
            let work =
                nodes
                    .iter()
                    .zip(&pids)
                    .filter(|(_, p)| !p.is_empty())
                    .map(|(node, pids)| {
                        let req = ScanRequest {
                            namespace: &call.namespace,
                            set: &call.set,
                            bins: &read,
                            socket_timeout_ms: call.socket_timeout_ms,
                            max_records: call.max_records,
                            task_id,
                        };
                        let mut buf = Vec::with_capacity(64 + pids.len() * 2 + read.len() * 24);
                        encode_scan(&mut buf, &req, pids);
                        scan.node(node, buf)
                    });
            let last = match try_join_all(work).await {
                Ok(_) => batches
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .finish()
                    .map(Ok),
                Err(e) => Some(Err(e)),
            };
            if let Some(last) = last {
                let _ = tx.send(last).await;
            }
        });
        Ok(Some(ScanStream { rx, task }))
    }
}

impl NodeScan<'_> {
    /// Scans one node's partitions with `req`, sending each batch as it fills.
    async fn node(&self, node: &Node, req: Vec<u8>) -> Result<(), DirectError> {
        let host = node.host();
        let policy = node.client_policy();
        let conns = self.reader.node_conns(
            &format!("{}:{}", host.name, host.port),
            policy.max_conns_per_node,
        );
        let _permit = conns
            .permits
            .acquire()
            .await
            .map_err(|_| DirectError::new(ERR_CLIENT, "client is closed"))?;
        let (mut conn, mut h) = self.start(node, &conns, &req).await?;
        let now = now_unix_secs();
        let mut body = Vec::new();
        loop {
            let (kind, len) = wire::proto_header(&h)?;
            if kind != wire::TYPE_MSG {
                return Err(ReplyError::Protocol("unexpected proto type").into());
            }
            body.resize(len, 0);
            within(self.socket_timeout, conn.read_exact(&mut body)).await?;
            let (progress, ready, full) = {
                let mut b = self.batches.lock().unwrap_or_else(|e| e.into_inner());
                let progress = read_scan_proto(&body, self.bins, now, &mut b)?;
                (progress, b.take_ready(), b.full())
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

    /// Sends the request and reads the first reply header, on a pooled connection first and
    /// then on new ones: nothing has been read yet, so a broken connection is simply replaced
    /// (up to `max_retries` times for new connections).
    async fn start(
        &self,
        node: &Node,
        conns: &NodeConns,
        req: &[u8],
    ) -> Result<(Stream, [u8; 8]), DirectError> {
        let mut pooled = conns.take_idle();
        let mut attempts = 0;
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
                Err(e) if e.code != ERR_CONNECTION && e.code != ERR_TIMEOUT => return Err(e),
                Err(e) if !was_pooled => {
                    attempts += 1;
                    if attempts > self.max_retries {
                        return Err(e);
                    }
                }
                Err(_) => {}
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

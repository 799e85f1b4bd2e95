//! `NativeClient`: one connected `aerospike::Client` and the commands the facade calls.
//!
//! Every command takes one request buffer (see `codec.rs`), runs on the addon's Tokio runtime
//! and resolves with one response buffer. The facade does argument checking and shaping.

use std::future::Future;
use std::sync::Arc;

use aerospike::operations::{self, Operation};
use aerospike::{AuthMode, Bin, Bins, Client, ClientPolicy, Key, Record, Value};
use futures::stream::{FuturesUnordered, StreamExt};
use napi::bindgen_prelude::{PromiseRaw, ToNapiValue};
use napi::Env;

use crate::dispatch::{Completer, Handle, Reply};
use napi_derive::napi;
use std::sync::RwLock;

use crate::cdt_ops::{self, Report};
use crate::codec::{CodecError, Reader, Writer};
use crate::error::{code, from_aerospike, guarded, js_error, promise, Failure, Result};
use crate::policy::{self, Decode};

/// Connection settings, named as in the official client's `Config`.
#[napi(object)]
pub struct NativeConfig {
    /// Seed hosts as `host:port,host:port`.
    pub hosts: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub cluster_name: Option<String>,
    pub conn_timeout_ms: Option<u32>,
    pub max_conns_per_node: Option<u32>,
    pub min_conns_per_node: Option<u32>,
    /// Seconds a pooled connection may stay idle before it is closed.
    pub max_socket_idle: Option<u32>,
    pub tender_interval: Option<u32>,
    pub login_timeout_ms: Option<u32>,
    /// `Aerospike.auth`: 0 INTERNAL (default), 1 EXTERNAL, 2 EXTERNAL_INSECURE, 3 PKI.
    pub auth_mode: Option<u32>,
    /// `config.tls`; hosts may then name their TLS name (`addr:tlsname:port`).
    pub tls: Option<crate::tls::NativeTls>,
    /// Circuit breaker: errors per node and window before commands to it fail fast.
    pub max_error_rate: Option<u32>,
    /// Circuit breaker window, in tend intervals.
    pub error_rate_window: Option<u32>,
}

/// A connected client.
#[napi]
pub struct NativeClient {
    inner: Arc<RwLock<Option<Arc<Client>>>>,
    /// The columnar read's own connections and partition map.
    pub(crate) direct: Arc<aerospike_columnar::direct::DirectReader>,
    /// The event-loop path's share of this client (`uvloop`).
    pub(crate) uv: Arc<crate::uvloop::side::ClientSide>,
}

fn client_policy(cfg: &NativeConfig) -> Result<ClientPolicy> {
    let mut p = ClientPolicy::default();
    p.tls_policy = match &cfg.tls {
        Some(t) => crate::tls::tls_policy(t)?,
        None => None,
    };
    p.auth_mode = crate::auth::auth_mode(
        cfg.user.as_ref(),
        cfg.password.as_ref(),
        cfg.auth_mode,
        p.tls_policy.is_some(),
    )?;
    if p.tls_policy.as_ref().is_some_and(|t| t.for_login_only)
        && matches!(p.auth_mode, AuthMode::None)
    {
        return Err(js_error(
            code::ERR_PARAM,
            false,
            "config.tls.forLoginOnly needs a login (user and password, or PKI)",
        ));
    }
    if let Some(n) = &cfg.cluster_name {
        p.cluster_name = Some(n.clone());
    }
    if let Some(t) = cfg.conn_timeout_ms {
        p.timeout = t;
        p.connect_timeout = t;
    }
    if let Some(t) = cfg.login_timeout_ms {
        p.login_timeout = t;
    }
    if let Some(n) = cfg.max_conns_per_node {
        p.max_conns_per_node = n as usize;
    }
    if let Some(n) = cfg.min_conns_per_node {
        p.min_conns_per_node = n as usize;
    }
    if let Some(s) = cfg.max_socket_idle {
        p.idle_timeout = s.saturating_mul(1000);
    }
    if let (Some(rate), Some(window)) = (cfg.max_error_rate, cfg.error_rate_window) {
        p.max_error_rate = rate as usize;
        p.error_rate_window = window.max(1) as usize;
    }
    if let Some(t) = cfg.tender_interval {
        p.tend_interval = t.max(10);
    }
    p.fail_if_not_connected = true;
    Ok(p)
}

/// Reads a key: namespace, set, optional user key, optional digest.
pub fn read_key(r: &mut Reader<'_>) -> Result<Key, Failure> {
    let ns = r.str()?.to_owned();
    let set = r.str()?.to_owned();
    let user_key = match r.u8()? {
        0 => None,
        _ => Some(r.value()?),
    };
    let digest = match r.u8()? {
        0 => None,
        _ => Some(r.digest()?),
    };
    match (user_key, digest) {
        (uk, Some(d)) => Ok(Key::with_digest(ns, set, uk, d)),
        (Some(uk), None) => {
            Key::new(ns, set, uk).map_err(|e| js_error(code::ERR_PARAM, false, e.to_string()))
        }
        (None, None) => Err(js_error(
            code::ERR_PARAM,
            false,
            "key needs a user key or a digest",
        )),
    }
}

/// Reads `u32 n` then `n` (bin name, value) pairs.
pub fn read_bins(r: &mut Reader<'_>) -> Result<Vec<Bin>, CodecError> {
    let n = r.count()?;
    let mut bins = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.str()?.to_owned();
        bins.push(Bin::new(name, r.value()?));
    }
    Ok(bins)
}

/// Reads a bin selection: 0 all bins, 1 named bins, 2 none (header only).
pub fn read_bin_selection(r: &mut Reader<'_>) -> Result<Bins, CodecError> {
    Ok(match r.u8()? {
        0 => Bins::All,
        1 => Bins::Some(r.strings()?),
        _ => Bins::None,
    })
}

/// Operations of an `operate()` call plus what is needed to shape its results like the
/// official client: which bin each op names, and how its answer is reported.
pub struct OpList {
    /// The crate's operations (left empty by the event-loop path, which encodes its own; the
    /// shaping below reads only `bins` and `report`, one entry per operation).
    pub ops: Vec<Operation>,
    pub bins: Vec<Option<String>>,
    pub report: Vec<Report>,
}

/// Reads `u32 n` operations: scalar ones (0 write, 1 read, 2 incr, 3 append, 4 prepend,
/// 5 touch, 6 delete, 7 read all, 8 read header), list, map, bitwise and HLL ones (9–12,
/// see `cdt_ops.rs`), expression reads and writes (13, see `exp.rs`) and path operations (14,
/// see `path.rs`).
pub fn read_ops(r: &mut Reader<'_>) -> Result<OpList, CodecError> {
    let n = r.count()?;
    let mut list = OpList {
        ops: Vec::with_capacity(n),
        bins: Vec::with_capacity(n),
        report: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let kind = r.u8()?;
        let (op, bin, report) = match kind {
            0 | 2 | 3 | 4 => {
                let name = r.str()?.to_owned();
                let bin = Bin::new(name.clone(), r.value()?);
                let op = match kind {
                    0 => operations::put(&bin),
                    2 => operations::add(&bin),
                    3 => operations::append(&bin),
                    _ => operations::prepend(&bin),
                };
                (op, Some(name), Report::Silent)
            }
            1 => {
                let name = r.str()?.to_owned();
                (operations::get_bin(name.clone()), Some(name), Report::Value)
            }
            5 => (operations::touch(), None, Report::Silent),
            6 => (operations::delete(), None, Report::Silent),
            7 => (operations::get(), None, Report::Value),
            8 => (operations::get_header(), None, Report::Value),
            cdt_ops::LIST..=cdt_ops::HLL => {
                let op = cdt_ops::read_cdt_op(kind, r)?;
                (op.op, Some(op.bin), op.report)
            }
            // Like the official client, an expression op makes the command report every op.
            crate::exp::EXP => {
                let op = crate::exp::read_exp_op(r)?;
                (op.op, Some(op.bin), Report::Always)
            }
            crate::path::PATH => {
                let op = crate::path::read_path_op(r)?;
                (op.op, Some(op.bin), Report::Value)
            }
            _ => return Err(CodecError("unknown operation")),
        };
        list.ops.push(op);
        list.bins.push(bin);
        list.report.push(report);
    }
    Ok(list)
}

/// Rebuilds an operate result's bins the way the official client reports them: one entry per
/// bin an op answered; a bin answered several times holds a list of answers. Like the official
/// client, a command with a map, bit or HLL operation reports every op on a bin (nil answers and
/// plain writes as null); otherwise plain writes and nil answers are left out.
pub fn shape_operate_result(rec: &mut Record, list: &OpList) {
    let Some(results) = rec.results.take() else {
        return;
    };
    if results.len() != list.bins.len() {
        rec.results = Some(results);
        return;
    }
    let all = list.report.contains(&Report::Always);
    let mut bins: aerospike::IndexMap<String, Value> = Default::default();
    let mut repeated: std::collections::HashSet<String> = Default::default();
    for ((value, bin), report) in results.into_iter().zip(&list.bins).zip(&list.report) {
        let Some(name) = bin else {
            continue;
        };
        let shown = match report {
            Report::Always => true,
            Report::Value => all || !value.is_nil(),
            Report::Silent => all,
        };
        if !shown {
            continue;
        }
        match bins.get_mut(name) {
            None => {
                bins.insert(name.clone(), value);
            }
            Some(existing) => {
                if repeated.insert(name.clone()) {
                    let first = std::mem::replace(existing, Value::Nil);
                    *existing = Value::MultiResult(vec![first, value]);
                } else if let Value::MultiResult(v) = existing {
                    v.push(value);
                }
            }
        }
    }
    // Read-all / header ops answer with the record's own bins, which the crate already put in
    // `rec.bins`; keep those and overlay the per-op answers.
    if list.bins.iter().all(Option::is_some) {
        rec.bins = bins;
    } else {
        for (k, v) in bins {
            rec.bins.insert(k, v);
        }
    }
}

/// What a single-record command answers, encoded into the completion queue by `Reply`.
// One value per command, moved once and never stored in bulk: boxing the record would only add
// an allocation per get.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Answer {
    /// get / operate: generation, ttl, bins (decoded as the policy says).
    Record(Record, Decode),
    /// put: nothing.
    Empty,
    /// exists / remove: one byte.
    Flag(bool),
}

impl Reply for Answer {
    fn encode(&self, w: &mut Writer) {
        match self {
            Answer::Record(rec, decode) => write_record(w, rec, *decode),
            Answer::Empty => {}
            Answer::Flag(b) => w.u8(*b as u8),
        }
    }
}

/// Executes one single-record command from its request bytes.
async fn run_command(client: &Client, kind: u8, req: &[u8]) -> Result<Answer> {
    let mut r = Reader::new(req);
    let key = read_key(&mut r)?;
    let fail = |e: aerospike::Error| from_aerospike(&e);
    match kind {
        0 => {
            let (policy, decode) = policy::read(&mut r)?;
            let bins = read_bin_selection(&mut r)?;
            let rec = client.get(&policy, &key, bins).await.map_err(fail)?;
            Ok(Answer::Record(rec, decode))
        }
        1 => {
            let policy = policy::write(&mut r)?;
            let bins = read_bins(&mut r)?;
            client.put(&policy, &key, &bins).await.map_err(fail)?;
            Ok(Answer::Empty)
        }
        2 => {
            let (policy, _) = policy::read(&mut r)?;
            Ok(Answer::Flag(
                client.exists(&policy, &key).await.map_err(fail)?,
            ))
        }
        3 => {
            let policy = policy::write(&mut r)?;
            Ok(Answer::Flag(
                client.delete(&policy, &key).await.map_err(fail)?,
            ))
        }
        4 => {
            let (policy, decode) = policy::write_decode(&mut r)?;
            let list = read_ops(&mut r)?;
            let mut rec = client
                .operate(&policy, &key, &list.ops)
                .await
                .map_err(fail)?;
            shape_operate_result(&mut rec, &list);
            Ok(Answer::Record(rec, decode))
        }
        _ => Err(js_error(code::ERR_PARAM, false, "unknown command kind")),
    }
}

/// Runs the command at `buf[start..end]` and queues its result under the completer's id.
pub(crate) async fn run_entry(
    client: Arc<Client>,
    buf: Arc<[u8]>,
    kind: u8,
    start: usize,
    end: usize,
    done: Completer,
) {
    let result = guarded(run_command(&client, kind, &buf[start..end])).await;
    done.complete(result);
}

/// Submissions of at most this many commands are started on the JavaScript thread (see
/// `inline.rs`): under light load that saves a worker wakeup per command; a larger submission
/// is handed to Tokio whole, keeping the socket writes off the JavaScript thread.
pub(crate) const INLINE_MAX: usize = 4;

/// Runs the given commands of a submission concurrently within one task (no Tokio task each).
pub(crate) async fn run_all(
    client: Arc<Client>,
    buf: Arc<[u8]>,
    entries: Vec<(u32, u8, usize, usize)>,
    handle: Handle,
) {
    let mut set = FuturesUnordered::new();
    for (id, kind, start, end) in entries {
        set.push(run_entry(
            client.clone(),
            buf.clone(),
            kind,
            start,
            end,
            handle.completer(id),
        ));
    }
    while set.next().await.is_some() {}
}

/// Starts a submission's future: on this thread first when `inline` (see `inline.rs`),
/// otherwise as a task of the addon's runtime.
pub(crate) fn start_command<F>(inline: bool, fut: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    match crate::runtime::handle() {
        Some(rt) if inline => crate::inline::start(rt, fut),
        Some(rt) => {
            rt.spawn(fut);
        }
        None => {
            napi::bindgen_prelude::spawn(fut);
        }
    }
}

/// One entry of a submission: `u32 id | u8 kind | u32 len | request`.
pub(crate) fn entry_at(buf: &[u8], pos: usize) -> Option<(u32, u8, usize, usize)> {
    let head = buf.get(pos..pos + 9)?;
    let id = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let kind = head[4];
    let len = u32::from_le_bytes([head[5], head[6], head[7], head[8]]) as usize;
    let start = pos + 9;
    let end = start.checked_add(len).filter(|&e| e <= buf.len())?;
    Some((id, kind, start, end))
}

/// TTL in the official convention: seconds left, -1 for never expires.
pub fn record_ttl(rec: &Record) -> i32 {
    match rec.time_to_live() {
        None => -1,
        Some(d) => d.as_secs().min(i32::MAX as u64) as i32,
    }
}

/// Writes a record: generation, ttl, bins (list and map bins as msgpack bytes when `decode` says
/// so).
pub fn write_record(w: &mut Writer, rec: &Record, decode: Decode) {
    w.u32(rec.generation);
    w.i32(record_ttl(rec));
    w.u32(rec.bins.len() as u32);
    for (name, value) in &rec.bins {
        w.str(name);
        write_value(w, value, decode);
    }
}

/// Writes a bin value (a list or map as msgpack bytes when `decode` says so).
pub fn write_value(w: &mut Writer, value: &Value, decode: Decode) {
    match decode {
        Decode::RawCdt => match crate::mp::raw_cdt(value) {
            Some(raw) => w.value(&raw),
            None => w.value(value),
        },
        Decode::Values => w.value(value),
    }
}

impl NativeClient {
    /// The connected client, or the closed-client error.
    pub(crate) fn client_now(&self) -> Result<Arc<Client>> {
        match &*self.inner.read().unwrap_or_else(|e| e.into_inner()) {
            Some(c) => Ok(c.clone()),
            None => Err(js_error(code::ERR_CLIENT, false, "client is closed")),
        }
    }

    /// A promise for the future `f` makes of the connected client; once the client is closed,
    /// one rejected with the closed-client error.
    pub(crate) fn call<'env, T, F>(
        &self,
        env: &'env Env,
        f: impl FnOnce(Arc<Client>) -> F,
    ) -> napi::Result<PromiseRaw<'env, T>>
    where
        T: ToNapiValue + Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        match self.client_now() {
            Ok(c) => promise(env, f(c)),
            Err(e) => promise(env, async move { Err(e) }),
        }
    }
}

#[napi]
impl NativeClient {
    /// Connects to the cluster; resolves once the seeds answered and partitions are known.
    #[napi(ts_return_type = "Promise<NativeClient>")]
    pub fn connect(env: &Env, config: NativeConfig) -> napi::Result<PromiseRaw<'_, NativeClient>> {
        promise(env, async move {
            let policy = client_policy(&config)?;
            let hosts = config.hosts.clone();
            let client = match Client::new(&policy, &hosts).await {
                Ok(c) => c,
                Err(e) => return Err(crate::auth::connect_error(&e, &policy, &hosts).await),
            };
            let seeds = aerospike::ToHosts::to_hosts(&hosts).unwrap_or_default();
            Ok(NativeClient {
                inner: Arc::new(RwLock::new(Some(Arc::new(client)))),
                direct: Arc::new(aerospike_columnar::direct::DirectReader::with_seeds(seeds)),
                uv: Arc::default(),
            })
        })
    }

    /// How many `batchReadColumns` calls the columnar path's own connections answered, and how
    /// many of those over TLS (the others ran through the crate's batch). A diagnostic for tests.
    #[napi]
    pub fn columnar_direct_reads(&self) -> Vec<f64> {
        let (all, tls) = self.direct.served();
        vec![all as f64, tls as f64]
    }

    /// How many columnar scans ran on the columnar path's own connections (the others ran
    /// through the crate's query). A diagnostic for tests.
    #[napi]
    pub fn columnar_direct_scans(&self) -> f64 {
        self.direct.scans_served() as f64
    }

    /// How many record scans ran on the direct path (the others ran on the crate's stream;
    /// `objectDirectBatches(false)` turns the path off). A diagnostic for tests.
    #[napi]
    pub fn object_direct_scans(&self) -> f64 {
        self.direct.object_scans() as f64
    }

    /// Whether the client is open and sees at least one node.
    #[napi]
    pub fn is_connected(&self) -> bool {
        match &*self.inner.read().unwrap_or_else(|e| e.into_inner()) {
            Some(c) => c.is_connected(),
            None => false,
        }
    }

    /// Closes every connection and stops the tend task. Idempotent.
    #[napi]
    pub fn close<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let client = self.inner.write().unwrap_or_else(|e| e.into_inner()).take();
        self.direct.close();
        promise(env, async move {
            if let Some(c) = client {
                c.close().await?;
            }
            Ok(())
        })
    }

    /// Sends info commands to one node: a random one, or the node named by `node` (its name, or
    /// its `host:port` address). Resolves with the raw `name\tvalue\n` response text.
    #[napi]
    pub fn info<'env>(
        &self,
        env: &'env Env,
        commands: Vec<String>,
        timeout_ms: Option<u32>,
        node: Option<String>,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        self.call(env, move |client| async move {
            let mut policy = aerospike::AdminPolicy::default();
            if let Some(t) = timeout_ms {
                policy.timeout = t;
            }
            let cmds: Vec<&str> = commands.iter().map(|s| s.as_str()).collect();
            let map = match node {
                None => client.info(&policy, &cmds).await?,
                Some(target) => {
                    let found = client
                        .nodes()
                        .into_iter()
                        .find(|n| n.name() == target || n.address() == target);
                    match found {
                        Some(n) => n.info(&policy, &cmds).await?,
                        None => {
                            return Err(js_error(
                                code::ERR_INVALID_NODE,
                                false,
                                format!("no node {target} in the cluster"),
                            ))
                        }
                    }
                }
            };
            let mut out = String::new();
            for (k, v) in map {
                out.push_str(&k);
                out.push('\t');
                out.push_str(&v);
                out.push('\n');
            }
            Ok(out)
        })
    }

    /// Truncates a set (or the whole namespace when `set` is empty), optionally only records
    /// last updated before `before_nanos`.
    #[napi]
    pub fn truncate<'env>(
        &self,
        env: &'env Env,
        ns: String,
        set: String,
        before_nanos: Option<i64>,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        self.call(env, move |client| async move {
            let policy = aerospike::AdminPolicy::default();
            Ok(client
                .truncate(&policy, &ns, &set, before_nanos.unwrap_or(0))
                .await?)
        })
    }
}

//! `startServer()`: the embedded Aerospike-compatible server, run in-process on the addon's
//! runtime. Its threads belong to this process, so it can never outlive it, and it holds no
//! libuv handle, so it does not keep Node's event loop alive on its own.

use std::sync::Arc;

use aerospike_embedded_server::cluster::Cluster;
use aerospike_embedded_server::faults::{Fault, Faults, Target};
use aerospike_embedded_server::{
    spawn, spawn_node, Config, Pem, Security, SecurityConfig, ServerHandle, TlsConfig, UserSpec,
};
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;
use tokio::sync::Mutex;

use crate::error::{code, js_error, promise, Result};

/// Options for `startServer()`.
#[napi(object)]
pub struct ServerOptions {
    pub host: Option<String>,
    pub port: Option<u32>,
    pub namespaces: Option<Vec<String>>,
    pub default_ttl: Option<u32>,
    pub cluster_name: Option<String>,
    pub build: Option<String>,
    /// Security on (users, roles, sessions); absent: off.
    pub security: Option<SecurityOptions>,
    /// TLS on the service port; absent: plaintext.
    pub tls: Option<ServerTlsOptions>,
}

/// `startServer({ tls })`: the service port speaks only TLS, with this certificate chain and key
/// (PEM text); with `ca`, client certificates are verified against it (mutual TLS).
#[napi(object)]
pub struct ServerTlsOptions {
    pub cert: String,
    pub key: String,
    pub ca: Option<String>,
    pub require_client_cert: Option<bool>,
    /// The TLS name the server advertises to clients (`peers-tls-std`).
    pub name: Option<String>,
    /// A plaintext port next to the TLS one (0: any free port), for clients with
    /// `tls.forLoginOnly` (`service-clear-std` names it).
    pub clear_port: Option<u32>,
}

impl From<ServerTlsOptions> for TlsConfig {
    fn from(o: ServerTlsOptions) -> TlsConfig {
        TlsConfig {
            ca: o.ca.map(|c| Pem::Bytes(c.into_bytes())),
            require_client_cert: o.require_client_cert.unwrap_or(false),
            name: o.name,
            clear_port: o.clear_port.map(|p| p as u16),
            ..TlsConfig::new(
                Pem::Bytes(o.cert.into_bytes()),
                Pem::Bytes(o.key.into_bytes()),
            )
        }
    }
}

/// `startServer({ security })`: the users there are at start and the session lifetime.
#[napi(object)]
pub struct SecurityOptions {
    /// Absent: one user, `admin`/`admin` with `user-admin`, as on a new Enterprise server.
    pub users: Option<Vec<SecurityUser>>,
    /// Seconds a session token stays valid (default a day).
    pub session_ttl: Option<u32>,
}

/// A user of [`SecurityOptions`], its password in clear (the server keeps only the hash).
#[napi(object)]
pub struct SecurityUser {
    pub user: String,
    pub password: String,
    pub roles: Vec<String>,
}

/// The server's security state for `options`. Hashing the users' passwords is a bcrypt round
/// each, so it runs off the runtime's worker threads.
async fn security(options: Option<SecurityOptions>) -> Result<Option<Arc<Security>>> {
    let Some(o) = options else {
        return Ok(None);
    };
    let mut config = SecurityConfig::default();
    if let Some(users) = o.users {
        config.users = users
            .into_iter()
            .map(|u| UserSpec {
                name: u.user,
                password: u.password,
                roles: u.roles,
            })
            .collect();
    }
    if let Some(ttl) = o.session_ttl {
        config.session_ttl = ttl;
    }
    let s = tokio::task::spawn_blocking(move || Security::new(config))
        .await
        .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
    Ok(Some(Arc::new(s)))
}

/// A running embedded server.
#[napi]
pub struct EmbeddedServer {
    host: String,
    port: u32,
    clear_port: Option<u32>,
    handle: Arc<Mutex<Option<ServerHandle>>>,
    faults: Arc<Faults>,
}

/// A fault to inject (see `server.faults.inject()` in the TypeScript facade).
#[napi(object)]
pub struct FaultSpec {
    /// 'delay' | 'hang' | 'close' | 'close-mid-response' | 'code' | 'garbage'
    pub kind: String,
    /// 'commands' (default) | 'info'
    pub target: Option<String>,
    /// How many requests it applies to; absent: until cleared.
    pub count: Option<u32>,
    /// Milliseconds for 'delay', the result code for 'code'.
    pub value: Option<u32>,
}

/// What the server has seen.
#[napi(object)]
pub struct ServerCounters {
    pub commands: f64,
    pub info_requests: f64,
    pub bytes_sent: f64,
}

/// Adds the fault rule `spec` describes to `faults`.
fn inject(faults: &Faults, spec: FaultSpec) -> Result<()> {
    let bad = |m: String| js_error(code::ERR_PARAM, false, m);
    let fault = match spec.kind.as_str() {
        "delay" => Fault::Delay(std::time::Duration::from_millis(
            spec.value
                .ok_or_else(|| bad("delay needs a value in ms".into()))? as u64,
        )),
        "hang" => Fault::Hang,
        "close" => Fault::Close,
        "close-mid-response" => Fault::CloseMidResponse,
        "code" => {
            let c = spec.value.ok_or_else(|| bad("code needs a value".into()))?;
            Fault::Code(u8::try_from(c).map_err(|_| bad(format!("result code out of range: {c}")))?)
        }
        "garbage" => Fault::Garbage,
        other => return Err(bad(format!("unknown fault kind: {other}"))),
    };
    let target = match spec.target.as_deref() {
        None | Some("commands") => Target::Commands,
        Some("info") => Target::Info,
        Some(other) => return Err(bad(format!("unknown fault target: {other}"))),
    };
    faults.inject(fault, target, spec.count.map(u64::from));
    Ok(())
}

/// Starts a server (see [`EmbeddedServer::start`]).
async fn start_server(options: Option<ServerOptions>) -> Result<EmbeddedServer> {
    let o = options.unwrap_or(ServerOptions {
        host: None,
        port: None,
        namespaces: None,
        default_ttl: None,
        cluster_name: None,
        build: None,
        security: None,
        tls: None,
    });
    let mut config = Config {
        security: security(o.security).await?,
        tls: o.tls.map(TlsConfig::from),
        ..Config::default()
    };
    if let Some(ns) = o.namespaces {
        if ns.is_empty() || ns.iter().any(|n| n.is_empty() || n.len() > 31) {
            return Err(js_error(
                code::ERR_PARAM,
                false,
                "namespace names must be 1 to 31 bytes",
            ));
        }
        config.namespaces = ns;
    }
    if let Some(t) = o.default_ttl {
        config.default_ttl = t;
    }
    if let Some(n) = o.cluster_name {
        config.cluster_name = n;
    }
    if let Some(b) = o.build {
        config.build = b;
    }
    let host = o.host.unwrap_or_else(|| "127.0.0.1".into());
    let port = o.port.unwrap_or(0);
    if port > 65535 {
        return Err(js_error(
            code::ERR_PARAM,
            false,
            format!("port out of range: {port}"),
        ));
    }
    let listener = aerospike_embedded_server::listen(&host, port as u16)
        .await
        .map_err(|e| {
            js_error(
                code::ERR_CLIENT,
                false,
                format!("cannot listen on {host}:{port}: {e}"),
            )
        })?;
    let faults = config.faults.clone();
    // With TLS, what `spawn` refuses is the certificate, key or CA given.
    let refused = if config.tls.is_some() {
        code::ERR_PARAM
    } else {
        code::ERR_CLIENT
    };
    let handle = spawn(listener, config).map_err(|e| js_error(refused, false, e.to_string()))?;
    let addr = handle.addr();
    Ok(EmbeddedServer {
        host: addr.ip().to_string(),
        port: addr.port() as u32,
        clear_port: handle.clear_addr().map(|a| a.port() as u32),
        handle: Arc::new(Mutex::new(Some(handle))),
        faults,
    })
}

#[napi]
impl EmbeddedServer {
    /// Starts a server; `port` 0 (the default) picks a free port.
    #[napi]
    pub fn start(
        env: &Env,
        options: Option<ServerOptions>,
    ) -> napi::Result<PromiseRaw<'_, EmbeddedServer>> {
        promise(env, start_server(options))
    }

    /// The address the server listens on.
    #[napi(getter)]
    pub fn host(&self) -> String {
        self.host.clone()
    }

    /// The port the server listens on.
    #[napi(getter)]
    pub fn port(&self) -> u32 {
        self.port
    }

    /// The plaintext port of a TLS server started with `tls.clearPort`.
    #[napi(getter)]
    pub fn clear_port(&self) -> Option<u32> {
        self.clear_port
    }

    /// Stops accepting connections and closes open ones. Idempotent.
    #[napi]
    pub fn stop<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let handle = self.handle.clone();
        promise(env, async move {
            let taken = handle.lock().await.take();
            if let Some(h) = taken {
                h.stop()
                    .await
                    .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
            }
            Ok(())
        })
    }

    /// Adds a fault rule.
    #[napi]
    pub fn inject_fault(&self, env: &Env, spec: FaultSpec) -> napi::Result<()> {
        inject(&self.faults, spec).map_err(|f| f.into_napi(env))
    }

    /// Removes every fault rule.
    #[napi]
    pub fn clear_faults(&self) {
        self.faults.clear();
    }

    /// Requests seen so far.
    #[napi]
    pub fn counters(&self) -> ServerCounters {
        ServerCounters {
            commands: self.faults.commands() as f64,
            info_requests: self.faults.info_requests() as f64,
            bytes_sent: self.faults.bytes_sent() as f64,
        }
    }

    /// Stops (false) or restarts (true) the listener on the same address; stopping drops every
    /// connection. The data stays.
    #[napi]
    pub fn set_listening(&self, on: bool) {
        self.faults.set_listening(on);
    }
}

/// Several embedded server nodes forming one cluster on loopback ports, sharing their data.
#[napi]
pub struct EmbeddedCluster {
    nodes: Arc<Nodes>,
}

/// The nodes of an [`EmbeddedCluster`], shared with the futures that start and stop them.
struct Nodes {
    config: Config,
    cluster: Arc<Cluster>,
    list: Mutex<Vec<Option<Node>>>,
}

/// A started node: its address and handle (`None` in the list once stopped).
type Node = (String, ServerHandle);

#[napi]
impl EmbeddedCluster {
    /// Starts `nodes` nodes (1 to 16) on free ports of 127.0.0.1; with `security`, every node
    /// shares one set of users, roles and sessions.
    #[napi]
    pub fn start(
        env: &Env,
        nodes: u32,
        namespaces: Option<Vec<String>>,
        security: Option<SecurityOptions>,
    ) -> napi::Result<PromiseRaw<'_, EmbeddedCluster>> {
        promise(env, async move {
            if !(1..=16).contains(&nodes) {
                return Err(js_error(
                    code::ERR_PARAM,
                    false,
                    "a cluster has 1 to 16 nodes",
                ));
            }
            let mut config = Config {
                security: self::security(security).await?,
                ..Config::default()
            };
            if let Some(ns) = namespaces {
                config.namespaces = ns;
            }
            let c = Nodes {
                cluster: Cluster::new(&config),
                config,
                list: Mutex::new(Vec::new()),
            };
            for _ in 0..nodes {
                c.add().await?;
            }
            Ok(EmbeddedCluster { nodes: Arc::new(c) })
        })
    }

    /// Starts one more node; resolves with its `host:port`. Clients discover it through peers.
    #[napi]
    pub fn add_node<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, String>> {
        let nodes = self.nodes.clone();
        promise(env, async move { nodes.add().await })
    }

    /// Stops node `index` (its partitions move to the others). Idempotent.
    #[napi]
    pub fn stop_node<'env>(
        &self,
        env: &'env Env,
        index: u32,
    ) -> napi::Result<PromiseRaw<'env, ()>> {
        let nodes = self.nodes.clone();
        promise(env, async move {
            let taken = nodes
                .list
                .lock()
                .await
                .get_mut(index as usize)
                .and_then(Option::take);
            stop_all(taken).await
        })
    }

    /// Addresses of every node started (`null` for stopped ones), in start order.
    #[napi]
    pub async fn addresses(&self) -> Vec<Option<String>> {
        self.nodes
            .list
            .lock()
            .await
            .iter()
            .map(|n| n.as_ref().map(|(a, _)| a.clone()))
            .collect()
    }

    /// Single-record commands that reached a node not owning their partition.
    #[napi]
    pub fn misrouted(&self) -> f64 {
        self.nodes.cluster.misrouted() as f64
    }

    /// The partition generation (moves with membership).
    #[napi]
    pub fn generation(&self) -> f64 {
        self.nodes.cluster.generation() as f64
    }

    /// Stops every node.
    #[napi]
    pub fn stop<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let nodes = self.nodes.clone();
        promise(env, async move {
            let all: Vec<_> = nodes
                .list
                .lock()
                .await
                .iter_mut()
                .filter_map(Option::take)
                .collect();
            stop_all(all).await
        })
    }
}

/// Stops these nodes, in turn.
async fn stop_all(nodes: impl IntoIterator<Item = Node>) -> Result<()> {
    for (_, h) in nodes {
        h.stop()
            .await
            .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
    }
    Ok(())
}

impl Nodes {
    async fn add(&self) -> Result<String> {
        let listener = aerospike_embedded_server::listen("127.0.0.1", 0)
            .await
            .map_err(|e| js_error(code::ERR_CLIENT, false, format!("cannot listen: {e}")))?;
        let before = self.cluster.generation();
        let h = spawn_node(listener, &self.config, &self.cluster)
            .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
        let addr = h.addr().to_string();
        self.list.lock().await.push(Some((addr.clone(), h)));
        // The node joins the cluster as its task starts: resolve once it has, so that the
        // partition map already counts it (bounded, should the task never start).
        for _ in 0..2000 {
            if self.cluster.generation() != before {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        Ok(addr)
    }
}

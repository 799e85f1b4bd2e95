//! An in-memory server that speaks the Aerospike wire protocol.
//!
//! Contract used by the rest of the workspace (keep these signatures stable):
//! - [`Config`] with `Default` (namespaces `test` and `bar`, cluster name `aerospike-napi`,
//!   build `8.0.0.0`).
//! - [`run`]`(listener, config, shutdown)`: serve an already-bound listener until `shutdown`
//!   completes.
//! - [`spawn`]`(listener, config)`: start serving on the current Tokio runtime and return a
//!   [`ServerHandle`] with the bound address and `stop()`.

use std::future::Future;
use std::net::SocketAddr;

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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            namespaces: vec!["test".into(), "bar".into()],
            default_ttl: 0,
            cluster_name: "aerospike-napi".into(),
            build: "8.0.0.0".into(),
        }
    }
}

/// Serve `listener` until `shutdown` resolves.
pub async fn run(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let _ = (listener, config);
    shutdown.await;
    Ok(())
}

/// A server running in the background on the current Tokio runtime.
pub struct ServerHandle {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl ServerHandle {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
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

/// Start serving `listener` in a background task of the current Tokio runtime.
pub fn spawn(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<ServerHandle> {
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(run(listener, config, async move {
        let _ = rx.await;
    }));
    Ok(ServerHandle { addr, stop: Some(tx), task })
}

//! `startServer()`: the embedded Aerospike-compatible server, run in-process on the addon's
//! runtime. Its threads belong to this process, so it can never outlive it, and it holds no
//! libuv handle, so it does not keep Node's event loop alive on its own.

use std::sync::Arc;

use aerospike_embedded_server::{spawn, Config, ServerHandle};
use napi_derive::napi;
use tokio::sync::Mutex;

use crate::errors::{code, js_error};

/// Options for `startServer()`.
#[napi(object)]
pub struct ServerOptions {
    pub host: Option<String>,
    pub port: Option<u32>,
    pub namespaces: Option<Vec<String>>,
    pub default_ttl: Option<u32>,
    pub cluster_name: Option<String>,
    pub build: Option<String>,
}

/// A running embedded server.
#[napi]
pub struct EmbeddedServer {
    host: String,
    port: u32,
    handle: Arc<Mutex<Option<ServerHandle>>>,
}

#[napi]
impl EmbeddedServer {
    /// Starts a server; `port` 0 (the default) picks a free port.
    #[napi(factory)]
    pub async fn start(options: Option<ServerOptions>) -> napi::Result<EmbeddedServer> {
        let o = options.unwrap_or(ServerOptions {
            host: None,
            port: None,
            namespaces: None,
            default_ttl: None,
            cluster_name: None,
            build: None,
        });
        let mut config = Config::default();
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
        let listener = tokio::net::TcpListener::bind((host.as_str(), port as u16))
            .await
            .map_err(|e| {
                js_error(
                    code::ERR_CLIENT,
                    false,
                    format!("cannot listen on {host}:{port}: {e}"),
                )
            })?;
        let handle = spawn(listener, config)
            .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
        let addr = handle.addr();
        Ok(EmbeddedServer {
            host: addr.ip().to_string(),
            port: addr.port() as u32,
            handle: Arc::new(Mutex::new(Some(handle))),
        })
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

    /// Stops accepting connections and closes open ones. Idempotent.
    #[napi]
    pub async fn stop(&self) -> napi::Result<()> {
        let handle = self.handle.lock().await.take();
        if let Some(h) = handle {
            h.stop()
                .await
                .map_err(|e| js_error(code::ERR_CLIENT, false, e.to_string()))?;
        }
        Ok(())
    }
}

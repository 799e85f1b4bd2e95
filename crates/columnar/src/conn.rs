//! The direct path's connections: plain TCP, or TLS with the very rustls configuration the
//! client crate's own connections use (the addon builds it once from `config.tls`; this path
//! takes the same `Arc` from the client policy, so roots, client certificate, protocols and
//! cipher suites cannot differ between the two paths).
//!
//! `forLoginOnly` (the official clients' `TlsPolicy.forLoginOnly`): TLS carries only the login;
//! the data travels over plain TCP to the node's clear address, and those connections
//! authenticate with the session token the TLS login returned, never with the password.
//! [`Dialer`] says which kind of connection each purpose gets. As in the client crate (and the
//! C client), a node of such a cluster is known by its clear address; its TLS address for the
//! login is what the node answers to `service-tls-std`, verified against the TLS name the seeds
//! give for that address (or, for a node no seed names, the seeds' TLS name: a cluster's nodes
//! normally share one).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use aerospike::{AdminPolicy, ClientPolicy, Host, Node, ToHosts};
use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// One open connection of the direct path.
pub enum Stream {
    Tcp(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Stream {
    /// Writes `buf` and pushes it to the socket. On TLS the flush is what sends it: rustls may
    /// hold the encrypted records of a completed `write_all` until then.
    pub async fn send(&mut self, buf: &[u8]) -> io::Result<()> {
        self.write_all(buf).await?;
        self.flush().await
    }

    /// Whether this connection is encrypted.
    pub fn is_tls(&self) -> bool {
        matches!(self, Stream::Tls(_))
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// How the direct path opens connections for one client: the client's TLS configuration (if
/// any) and whether TLS is for the login only.
#[derive(Clone)]
pub struct Dialer {
    tls: Option<Arc<ClientConfig>>,
    login_only: bool,
    /// The seed hosts as configured: their TLS names are the names of the login addresses.
    seeds: Vec<Host>,
    /// The name a node's certificate is checked against when its host names none (as the crate
    /// does: the cluster name).
    cluster_name: Option<String>,
}

impl Dialer {
    /// The dialer of `policy`, the client's own policy, seeded with `seeds`.
    pub fn of(policy: &ClientPolicy, seeds: &[Host]) -> Dialer {
        let tls = policy.tls_policy.as_ref();
        Dialer {
            tls: tls.map(|t| t.config.clone()),
            login_only: tls.is_some_and(|t| t.for_login_only),
            seeds: seeds.to_vec(),
            cluster_name: policy.cluster_name.clone(),
        }
    }

    /// Whether data connections speak TLS (TLS configured, and not for the login only).
    pub fn data_tls(&self) -> bool {
        self.tls.is_some() && !self.login_only
    }

    /// Whether the login has to run on a TLS connection of its own (`forLoginOnly`).
    pub fn login_only(&self) -> bool {
        self.tls.is_some() && self.login_only
    }

    /// Opens a data connection to `host`: TLS unless TLS is for the login only.
    pub async fn data(&self, host: &Host) -> io::Result<Stream> {
        self.open(host, self.data_tls()).await
    }

    /// Opens a connection to `host` for a login: always TLS when TLS is configured.
    pub async fn login(&self, host: &Host) -> io::Result<Stream> {
        self.open(host, self.tls.is_some()).await
    }

    /// Where `node` (known by its clear address) takes a login over TLS (`forLoginOnly`).
    pub async fn login_host(&self, node: &Node) -> io::Result<Host> {
        let answer = node
            .info(&AdminPolicy::default(), &["service-tls-std"])
            .await
            .map_err(|e| io::Error::other(e.to_string()))?;
        let listed = answer.get("service-tls-std").map_or("", String::as_str);
        let mut host = listed
            .split(';')
            .find_map(|entry| entry.to_hosts().ok()?.into_iter().next())
            .ok_or_else(|| io::Error::other("the node names no TLS address (service-tls-std)"))?;
        let named = self
            .seeds
            .iter()
            .find(|s| s.name == host.name && s.port == host.port && s.tls_name.is_some())
            .or_else(|| self.seeds.iter().find(|s| s.tls_name.is_some()));
        host.tls_name = named.and_then(|s| s.tls_name.clone());
        Ok(host)
    }

    async fn open(&self, host: &Host, tls: bool) -> io::Result<Stream> {
        let tcp = TcpStream::connect((host.name.as_str(), host.port)).await?;
        let _ = tcp.set_nodelay(true);
        let config = match &self.tls {
            Some(c) if tls => c.clone(),
            _ => return Ok(Stream::Tcp(tcp)),
        };
        let name = host
            .tls_name
            .clone()
            .or_else(|| self.cluster_name.clone())
            .unwrap_or_default();
        let name = ServerName::try_from(name)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("TLS name: {e}")))?;
        let tls = TlsConnector::from(config).connect(name, tcp).await?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}

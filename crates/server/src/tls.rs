//! TLS on the service port: the configuration ([`TlsConfig`]), the acceptor built from it once
//! when the server starts, and the handshake each connection runs in its own task.
//!
//! The handshake has a deadline, so a client that connects and never speaks TLS (a plain
//! client, a stalled one) costs one task for that long and never the accept loop. With a CA,
//! client certificates are verified against it (required or optional, as configured); the
//! common name of a verified one is what a PKI login names as its user.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::{Error as PemError, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// PEM text, given inline or as a file read when the server starts.
#[derive(Clone, PartialEq, Eq)]
pub enum Pem {
    Bytes(Vec<u8>),
    File(PathBuf),
}

// A key's bytes are never printed with a configuration.
impl std::fmt::Debug for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pem::Bytes(b) => write!(f, "Pem::Bytes({} bytes)", b.len()),
            Pem::File(p) => write!(f, "Pem::File({})", p.display()),
        }
    }
}

impl Pem {
    fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Pem::Bytes(b) => Ok(Cow::Borrowed(b)),
            Pem::File(p) => std::fs::read(p)
                .map(Cow::Owned)
                .map_err(|e| invalid(format!("{}: {e}", p.display()))),
        }
    }
}

/// TLS on the service port, as `tls-port`, `cert-file`, `key-file`, `ca-file` and `tls-name` of
/// a real server's `network.tls` context configure it (here the service port speaks only TLS).
#[derive(Debug, Clone)]
pub struct TlsConfig {
    /// The server's certificate chain, leaf first.
    pub cert: Pem,
    /// The private key of the leaf certificate (PKCS#8, PKCS#1 or SEC1).
    pub key: Pem,
    /// The CA that client certificates are verified against (`None`: none are asked for).
    pub ca: Option<Pem>,
    /// Refuse clients without a certificate signed by `ca` (mutual TLS).
    pub require_client_cert: bool,
    /// The TLS name this node advertises with its address (`service-tls-*`, `peers-tls-*`):
    /// the name clients verify the server certificate against.
    pub name: Option<String>,
    /// How long a new connection may take to complete its handshake.
    pub handshake_timeout: Duration,
    /// A plaintext service port next to the TLS one, on the same host (`Some(0)`: any free
    /// port), as a real server with both `port` and `tls-port` has. `service-clear-*` names it:
    /// clients with `forLoginOnly` log in over TLS and then send their commands there.
    pub clear_port: Option<u16>,
}

impl TlsConfig {
    /// TLS with `cert` and `key`, no client certificates, no TLS name, a 5 s handshake deadline.
    pub fn new(cert: Pem, key: Pem) -> Self {
        TlsConfig {
            cert,
            key,
            ca: None,
            require_client_cert: false,
            name: None,
            handshake_timeout: Duration::from_secs(5),
            clear_port: None,
        }
    }
}

impl TlsConfig {
    /// Reads the PEM and builds the server's TLS setup once, so a configuration that cannot work
    /// is reported before the server starts serving.
    pub fn check(&self) -> std::io::Result<()> {
        acceptor(self).map(drop)
    }
}

fn invalid(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidInput, msg.into())
}

/// The server side of TLS, built once from a [`TlsConfig`] and shared by every connection.
#[derive(Clone)]
pub(crate) struct Acceptor {
    inner: TlsAcceptor,
    deadline: Duration,
}

/// Builds the acceptor; a configuration that cannot work (unreadable or mismatched PEM, a
/// required client certificate without a CA) is an error here, at start, not per connection.
pub(crate) fn acceptor(cfg: &TlsConfig) -> std::io::Result<Acceptor> {
    let pem_err = |what: &'static str| move |e: PemError| invalid(format!("{what}: {e}"));
    let chain = CertificateDer::pem_slice_iter(&cfg.cert.read()?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(pem_err("tls cert"))?;
    if chain.is_empty() {
        return Err(invalid("tls cert: no certificate in the PEM"));
    }
    let key = PrivateKeyDer::from_pem_slice(&cfg.key.read()?).map_err(pem_err("tls key"))?;
    let provider = provider();
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("tls: {e}")))?;
    let builder = match &cfg.ca {
        None if cfg.require_client_cert => {
            return Err(invalid("tls: requiring client certificates needs a CA"))
        }
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(&ca.read()?) {
                roots
                    .add(cert.map_err(pem_err("tls ca"))?)
                    .map_err(|e| invalid(format!("tls ca: {e}")))?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
            let verifier = if cfg.require_client_cert {
                verifier
            } else {
                verifier.allow_unauthenticated()
            };
            builder.with_client_cert_verifier(
                verifier
                    .build()
                    .map_err(|e| invalid(format!("tls ca: {e}")))?,
            )
        }
    };
    let config = builder
        .with_single_cert(chain, key)
        .map_err(|e| invalid(format!("tls cert/key: {e}")))?;
    Ok(Acceptor {
        inner: TlsAcceptor::from(Arc::new(config)),
        deadline: cfg.handshake_timeout,
    })
}

/// *ring*, the provider the `aerospike` client's `tls` feature uses, so the tree builds one
/// (its lack of post-quantum key exchange is why rustls now deprecates it). Named here rather
/// than taken from the process default, which is ambiguous when more than one is compiled in.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

impl Acceptor {
    /// Runs the server side of the handshake within the configured deadline. Returns the
    /// stream and the common name of the client's certificate (verified against the CA by
    /// then), if it sent one.
    pub(crate) async fn handshake(
        &self,
        sock: TcpStream,
    ) -> std::io::Result<(TlsStream<TcpStream>, Option<String>)> {
        let stream = tokio::time::timeout(self.deadline, self.inner.accept(sock))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "tls handshake"))??;
        let name = stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .and_then(|leaf| common_name(leaf));
        Ok((stream, name))
    }
}

/// The first common name (CN) in a certificate's subject.
fn common_name(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let cn = cert.subject().iter_common_name().next()?;
    cn.as_str().ok().map(str::to_owned)
}

#[cfg(test)]
mod tests;

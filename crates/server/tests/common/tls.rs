//! Certificates generated when a test runs (no private key is committed) and a TLS client, for
//! tests/tls.rs and the unit tests of `tls` (each loads this file once, beside `common`).

use std::sync::Arc;

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// The TLS name in the test server certificates.
pub const TLS_NAME: &str = "embedded.test";

/// A certificate authority that issues test certificates.
pub struct Ca {
    cert: Certificate,
    key: KeyPair,
}

/// A certificate and its key, as PEM.
pub struct Issued {
    pub cert: String,
    pub key: String,
}

impl Ca {
    pub fn new(name: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    pub fn pem(&self) -> String {
        self.cert.pem()
    }

    /// A server certificate for 127.0.0.1 and [`TLS_NAME`].
    pub fn server(&self) -> Issued {
        self.issue("server", ExtendedKeyUsagePurpose::ServerAuth, false)
    }

    /// A client certificate whose subject's common name is `cn`.
    pub fn client(&self, cn: &str) -> Issued {
        self.issue(cn, ExtendedKeyUsagePurpose::ClientAuth, false)
    }

    /// A client certificate that expired in 2001.
    pub fn expired_client(&self, cn: &str) -> Issued {
        self.issue(cn, ExtendedKeyUsagePurpose::ClientAuth, true)
    }

    /// A server certificate that expired in 2001.
    pub fn expired_server(&self) -> Issued {
        self.issue("server", ExtendedKeyUsagePurpose::ServerAuth, true)
    }

    fn issue(&self, cn: &str, usage: ExtendedKeyUsagePurpose, expired: bool) -> Issued {
        let key = KeyPair::generate().unwrap();
        let names = vec!["127.0.0.1".to_string(), TLS_NAME.to_string()];
        let mut params = CertificateParams::new(names).unwrap();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.extended_key_usages = vec![usage];
        if expired {
            params.not_before = rcgen::date_time_ymd(2000, 1, 1);
            params.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        Issued {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }
}

/// A TLS client trusting `ca`, presenting `client` when given.
pub fn connector(ca: &Ca, client: Option<&Issued>) -> TlsConnector {
    TlsConnector::from(Arc::new(client_config(ca, client)))
}

/// The client side of TLS trusting `ca`, presenting `client` when given.
pub fn client_config(ca: &Ca, client: Option<&Issued>) -> rustls::ClientConfig {
    #[allow(deprecated)] // ring, as the server and the aerospike client use
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca.pem().as_bytes()).unwrap())
        .unwrap();
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    match client {
        None => builder.with_no_client_auth(),
        Some(c) => builder
            .with_client_auth_cert(
                CertificateDer::pem_slice_iter(c.cert.as_bytes())
                    .collect::<Result<_, _>>()
                    .unwrap(),
                PrivateKeyDer::from_pem_slice(c.key.as_bytes()).unwrap(),
            )
            .unwrap(),
    }
}

/// Connects to `addr` and runs the client handshake for [`TLS_NAME`].
pub async fn connect(
    connector: &TlsConnector,
    addr: std::net::SocketAddr,
) -> std::io::Result<TlsStream<TcpStream>> {
    let sock = TcpStream::connect(addr).await?;
    let name = ServerName::try_from(TLS_NAME).unwrap();
    connector.connect(name, sock).await
}

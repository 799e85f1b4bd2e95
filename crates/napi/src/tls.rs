//! `config.tls`: the official client's TLS settings, turned into the client crate's rustls
//! configuration.
//!
//! The official client hands these to OpenSSL; this client has rustls, which cannot do
//! everything OpenSSL can (TLS 1.0/1.1, encrypted key files, CRL lookups in a CA directory,
//! OpenSSL cipher-list expressions, the system trust store without extra crates). A setting
//! it cannot honour fails `connect()` with `ERR_PARAM` naming it: a connection that is less
//! protected than its configuration says must never be opened silently.

use std::sync::Arc;

use aerospike::TlsPolicy;
use napi_derive::napi;
#[allow(deprecated)]
use rustls::crypto::ring::{default_provider, ALL_CIPHER_SUITES};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore, SupportedCipherSuite, SupportedProtocolVersion};

use crate::error::{code, js_error, Failure, Result};

/// `config.tls`, named as in the official client.
#[napi(object)]
pub struct NativeTls {
    pub enable: Option<bool>,
    pub cafile: Option<String>,
    pub capath: Option<String>,
    pub protocols: Option<String>,
    pub cipher_suite: Option<String>,
    pub cert_blacklist: Option<String>,
    pub keyfile: Option<String>,
    pub keyfile_password: Option<String>,
    pub certfile: Option<String>,
    pub crl_check: Option<bool>,
    pub crl_check_all: Option<bool>,
    pub log_session_info: Option<bool>,
    pub for_login_only: Option<bool>,
}

fn refuse(message: impl std::fmt::Display) -> Failure {
    js_error(code::ERR_PARAM, false, format!("config.tls: {message}"))
}

/// The crate's TLS policy for `tls`, `None` when TLS is off (`enable: false`).
pub fn tls_policy(tls: &NativeTls) -> Result<Option<TlsPolicy>> {
    if tls.enable == Some(false) {
        return Ok(None);
    }
    if tls.keyfile_password.is_some() {
        return Err(refuse(
            "keyfilePassword is not supported (rustls reads only unencrypted keys); decrypt the key file",
        ));
    }
    if tls.crl_check == Some(true) || tls.crl_check_all == Some(true) {
        return Err(refuse("crlCheck and crlCheckAll are not supported"));
    }
    if tls.cert_blacklist.is_some() {
        return Err(refuse("certBlacklist is not supported"));
    }
    if tls.log_session_info == Some(true) {
        return Err(refuse("logSessionInfo is not supported"));
    }
    let roots = roots(tls)?;
    let versions = protocols(tls.protocols.as_deref())?;
    // ring is the provider the client crate is built with; its post-quantum key exchanges
    // (the reason for the deprecation) need aws-lc-rs, which this build does not carry.
    #[allow(deprecated)]
    let mut provider = default_provider();
    if let Some(list) = &tls.cipher_suite {
        provider.cipher_suites = cipher_suites(list)?;
    }
    let builder = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&versions)
        .map_err(|e| {
            refuse(format!(
                "protocols and cipherSuite do not fit together: {e}"
            ))
        })?
        .with_root_certificates(roots);
    let config = match (&tls.certfile, &tls.keyfile) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert, "certfile")?;
            let key = PrivateKeyDer::from_pem_slice(&read(key, "keyfile")?)
                .map_err(|e| refuse(format!("keyfile {key}: {e}")))?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| refuse(format!("certfile/keyfile: {e}")))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => return Err(refuse("certfile and keyfile go together")),
    };
    Ok(Some(
        TlsPolicy::new(config).with_login_only(tls.for_login_only == Some(true)),
    ))
}

fn read(path: &str, name: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| refuse(format!("{name} {path}: {e}")))
}

fn certificates(path: &str, name: &str) -> Result<Vec<CertificateDer<'static>>> {
    let certs = CertificateDer::pem_slice_iter(&read(path, name)?)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| refuse(format!("{name} {path}: {e}")))?;
    if certs.is_empty() {
        return Err(refuse(format!("{name} {path} holds no PEM certificate")));
    }
    Ok(certs)
}

/// The trusted CAs: `cafile`'s certificates and those of every file in `capath`.
fn roots(tls: &NativeTls) -> Result<RootCertStore> {
    let mut certs = Vec::new();
    if let Some(file) = &tls.cafile {
        certs.extend(certificates(file, "cafile")?);
    }
    if let Some(dir) = &tls.capath {
        let entries = std::fs::read_dir(dir).map_err(|e| refuse(format!("capath {dir}: {e}")))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                // Files that hold no certificate (CRLs, notes) are not CAs: skipped.
                if let Ok(bytes) = std::fs::read(&path) {
                    certs.extend(CertificateDer::pem_slice_iter(&bytes).flatten());
                }
            }
        }
    }
    if tls.cafile.is_none() && tls.capath.is_none() {
        return Err(refuse(
            "give cafile or capath: this client does not read the system's trust store",
        ));
    }
    let mut store = RootCertStore::empty();
    let (_, bad) = store.add_parsable_certificates(certs);
    if store.is_empty() {
        return Err(refuse("cafile/capath hold no usable CA certificate"));
    }
    if bad > 0 {
        return Err(refuse(format!(
            "{bad} certificate(s) of cafile/capath cannot be used as CAs"
        )));
    }
    Ok(store)
}

/// `protocols` in Apache's `SSLProtocol` syntax (`"-all +TLSv1.2"`, `"TLSv1.2 TLSv1.3"`; a
/// name without a sign is enabled): TLS 1.2 and 1.3 are possible; asking for SSLv3, TLSv1 or
/// TLSv1.1 is refused. Unset: both.
fn protocols(spec: Option<&str>) -> Result<Vec<&'static SupportedProtocolVersion>> {
    const NAMES: [&str; 5] = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
    let Some(spec) = spec else {
        return Ok(vec![&rustls::version::TLS13, &rustls::version::TLS12]);
    };
    let mut on = [false; 5];
    for token in spec.split_whitespace() {
        let (sign, name) = match token.as_bytes()[0] {
            b'+' => (Some(true), &token[1..]),
            b'-' => (Some(false), &token[1..]),
            _ => (None, token),
        };
        let which: Vec<usize> = if name.eq_ignore_ascii_case("all") {
            (0..NAMES.len()).collect()
        } else {
            match NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)) {
                Some(i) => vec![i],
                None => return Err(refuse(format!("unknown protocol {name:?} in protocols"))),
            }
        };
        for i in which {
            on[i] = sign.unwrap_or(true);
        }
    }
    if let Some(i) = (0..3).find(|&i| on[i]) {
        return Err(refuse(format!(
            "protocol {} is not supported (only TLSv1.2 and TLSv1.3)",
            NAMES[i]
        )));
    }
    let mut versions = Vec::new();
    if on[4] {
        versions.push(&rustls::version::TLS13);
    }
    if on[3] {
        versions.push(&rustls::version::TLS12);
    }
    if versions.is_empty() {
        return Err(refuse("protocols enables no protocol"));
    }
    Ok(versions)
}

/// OpenSSL's names of the suites rustls offers, in `ALL_CIPHER_SUITES` order.
const OPENSSL_NAMES: [&str; 9] = [
    "TLS_AES_256_GCM_SHA384",
    "TLS_AES_128_GCM_SHA256",
    "TLS_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-RSA-CHACHA20-POLY1305",
];

/// `cipherSuite` as a `:`-separated list of suite names (OpenSSL's or IANA's). OpenSSL's
/// keywords and operators (`HIGH`, `!aNULL`, `@STRENGTH`) are not understood: refused.
fn cipher_suites(list: &str) -> Result<Vec<SupportedCipherSuite>> {
    let mut out = Vec::new();
    for name in list.split([':', ',', ' ']).filter(|n| !n.is_empty()) {
        let found = ALL_CIPHER_SUITES.iter().zip(OPENSSL_NAMES).find(|(s, o)| {
            o.eq_ignore_ascii_case(name)
                || s.suite()
                    .as_str()
                    .is_some_and(|iana| iana.eq_ignore_ascii_case(name))
        });
        match found {
            Some((s, _)) => out.push(*s),
            None => {
                return Err(refuse(format!(
                    "cipher suite {name:?} is not supported (supported: {})",
                    OPENSSL_NAMES.join(":")
                )))
            }
        }
    }
    if out.is_empty() {
        return Err(refuse("cipherSuite names no suite"));
    }
    Ok(out)
}

//! `aerospike-embedded-server`: runs the in-memory Aerospike-compatible server.
//!
//! ```text
//! aerospike-embedded-server [--host 127.0.0.1] [--port 3000] [--namespaces test,bar]
//!                           [--default-ttl 0] [--cluster-name NAME] [--build 8.0.0.0]
//!                           [--security]
//!                           [--tls-cert PEM --tls-key PEM [--tls-ca PEM]
//!                            [--tls-require-client-cert] [--tls-name NAME]
//!                            [--tls-clear-port P]]
//! ```
//! `--security` turns security on as a new Enterprise server has it: one user, `admin` with
//! password `admin` and the `user-admin` role.
//! With `--tls-cert` and `--tls-key` the port speaks only TLS; `--tls-ca` verifies client
//! certificates, which `--tls-require-client-cert` makes mandatory (mutual TLS).
//! `--tls-clear-port` adds a plaintext port next to the TLS one (0: any free port), for clients
//! that use TLS for the login only (`forLoginOnly`).
//! Prints `listening on <addr>` once it accepts connections; stops on Ctrl-C / SIGTERM.

use std::path::PathBuf;
use std::sync::Arc;

use aerospike_embedded_server::{run, Config, Pem, Security, SecurityConfig, TlsConfig};

const USAGE: &str = "usage: aerospike-embedded-server [--host H] [--port P] [--namespaces a,b] [--default-ttl S] [--cluster-name N] [--build X.Y.Z.W] [--batch-max-requests N] [--security] [--tls-cert FILE --tls-key FILE [--tls-ca FILE] [--tls-require-client-cert] [--tls-name NAME] [--tls-clear-port P]]";

/// The `--tls-*` flags as given, checked together once all are read.
#[derive(Default)]
struct TlsFlags {
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    ca: Option<PathBuf>,
    name: Option<String>,
    require_client_cert: bool,
    clear_port: Option<u16>,
}

impl TlsFlags {
    fn config(self) -> Result<Option<TlsConfig>, String> {
        let (cert, key) = match (self.cert, self.key) {
            (Some(cert), Some(key)) => (cert, key),
            (None, None)
                if self.ca.is_none()
                    && self.name.is_none()
                    && !self.require_client_cert
                    && self.clear_port.is_none() =>
            {
                return Ok(None)
            }
            _ => return Err(format!("TLS needs both --tls-cert and --tls-key\n{USAGE}")),
        };
        if self.require_client_cert && self.ca.is_none() {
            return Err("--tls-require-client-cert needs --tls-ca".into());
        }
        Ok(Some(TlsConfig {
            ca: self.ca.map(Pem::File),
            require_client_cert: self.require_client_cert,
            name: self.name,
            clear_port: self.clear_port,
            ..TlsConfig::new(Pem::File(cert), Pem::File(key))
        }))
    }
}

fn parse_args() -> Result<(String, u16, Config), String> {
    let mut host = "127.0.0.1".to_string();
    let mut port = 3000u16;
    let mut config = Config::default();
    let mut tls = TlsFlags::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        if flag == "--security" {
            config.security = Some(Arc::new(Security::new(SecurityConfig::default())));
            continue;
        }
        if flag == "--tls-require-client-cert" {
            tls.require_client_cert = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("{flag}: {what}: {value}");
        match flag.as_str() {
            "--host" => host = value,
            "--port" => port = value.parse().map_err(|_| bad("not a port"))?,
            "--namespaces" => {
                config.namespaces = value
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                if config.namespaces.is_empty() || config.namespaces.iter().any(|n| n.len() > 31) {
                    return Err(bad("namespace names must be 1 to 31 bytes"));
                }
            }
            "--default-ttl" => {
                config.default_ttl = value.parse().map_err(|_| bad("not a number of seconds"))?
            }
            "--cluster-name" => config.cluster_name = value,
            "--build" => {
                if value.split('.').count() != 4
                    || value.split('.').any(|p| p.parse::<u32>().is_err())
                {
                    return Err(bad("build must have four numeric components"));
                }
                config.build = value
            }
            "--batch-max-requests" => {
                config.batch_max_requests = value.parse().map_err(|_| bad("not a number"))?
            }
            "--tls-cert" => tls.cert = Some(value.into()),
            "--tls-key" => tls.key = Some(value.into()),
            "--tls-ca" => tls.ca = Some(value.into()),
            "--tls-name" => tls.name = Some(value),
            "--tls-clear-port" => {
                tls.clear_port = Some(value.parse().map_err(|_| bad("not a port"))?)
            }
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    config.tls = tls.config()?;
    Ok((host, port, config))
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// mimalloc rather than the system allocator: a put allocates and frees a few small buffers per
/// record and per reply, and glibc's malloc was a fifth of the server's CPU under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let (host, port, config) = match parse_args() {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = rt.block_on(async move {
        if let Some(tls) = &config.tls {
            tls.check()?;
        }
        let listener = aerospike_embedded_server::listen(&host, port).await?;
        println!("listening on {}", listener.local_addr()?);
        run(listener, config, shutdown_signal()).await
    });
    if let Err(e) = result {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}

//! `aerospike-embedded-server`: runs the in-memory Aerospike-compatible server.
//!
//! ```text
//! aerospike-embedded-server [--host 127.0.0.1] [--port 3000] [--namespaces test,bar]
//!                           [--default-ttl 0] [--cluster-name NAME] [--build 8.0.0.0]
//!                           [--security]
//! ```
//! `--security` turns security on as a new Enterprise server has it: one user, `admin` with
//! password `admin` and the `user-admin` role.
//! Prints `listening on <addr>` once it accepts connections; stops on Ctrl-C / SIGTERM.

use std::sync::Arc;

use aerospike_embedded_server::{run, Config, Security, SecurityConfig};

const USAGE: &str = "usage: aerospike-embedded-server [--host H] [--port P] [--namespaces a,b] [--default-ttl S] [--cluster-name N] [--build X.Y.Z.W] [--batch-max-requests N] [--security]";

fn parse_args() -> Result<(String, u16, Config), String> {
    let mut host = "127.0.0.1".to_string();
    let mut port = 3000u16;
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        if flag == "--security" {
            config.security = Some(Arc::new(Security::new(SecurityConfig::default())));
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
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
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
        let listener = tokio::net::TcpListener::bind((host.as_str(), port)).await?;
        println!("listening on {}", listener.local_addr()?);
        run(listener, config, shutdown_signal()).await
    });
    if let Err(e) = result {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}

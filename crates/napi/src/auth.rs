//! Authentication at `connect()`: the official `authMode` and credentials turned into the
//! client crate's, and a refused login reported with the server's code.

use std::time::Duration;

use aerospike::{AuthMode, ClientPolicy, ToHosts};

use crate::error::{code, from_aerospike, js_error, Failure, Result};

/// The crate's authentication for `cfg`, as the official client chooses it: no user, no login
/// (except PKI, whose user is the client certificate); EXTERNAL sends the clear password, so
/// it needs TLS (EXTERNAL_INSECURE is the same without that check).
pub fn auth_mode(
    user: Option<&String>,
    password: Option<&String>,
    mode: Option<u32>,
    tls: bool,
) -> Result<AuthMode> {
    let bad = |m: &str| js_error(code::ERR_PARAM, false, m);
    let creds = match (user, password) {
        (Some(u), Some(p)) => Some((u.clone(), p.clone())),
        _ => None,
    };
    Ok(match (mode.unwrap_or(0), creds) {
        (3, _) if !tls => return Err(bad("authMode PKI needs TLS with a client certificate")),
        (3, _) => AuthMode::Pki,
        (_, None) => AuthMode::None,
        (0, Some((u, p))) => AuthMode::Internal(u, p),
        (1, Some(_)) if !tls => {
            return Err(bad(
                "authMode EXTERNAL sends the clear password, so it needs TLS (EXTERNAL_INSECURE does not)",
            ))
        }
        (1, Some((u, p))) => AuthMode::External(u, p),
        (2, Some((u, p))) => AuthMode::ExternalInsecure(u, p),
        (m, _) => return Err(bad(&format!("unknown authMode {m}"))),
    })
}

/// The error of a failed `Client::new`. The crate reports seeds that refused the login only
/// in its message, as a connection error; the official client reports the server's code
/// (INVALID_USER 60, INVALID_PASSWORD 62, NOT_AUTHENTICATED 80 without a login, …). So one
/// LOGIN (or, without a login, one info request) to the first seed, plain TCP only, finds out
/// whether, and why, it is refused. Over TLS (no plain probe possible) the code the crate's
/// message names for a seed (`Error 62, node=…`) is taken instead.
pub async fn connect_error(e: &aerospike::Error, policy: &ClientPolicy, hosts: &str) -> Failure {
    let fallback = from_aerospike(e);
    if !matches!(e.kind(), aerospike::ErrorKind::Connection) {
        return fallback;
    }
    if policy.tls_policy.is_some() {
        let text = e.to_string();
        return match seed_refusal(&text) {
            Some(code) => js_error(code, false, text),
            None => fallback,
        };
    }
    let Some(seed) = hosts.to_hosts().ok().and_then(|h| h.into_iter().next()) else {
        return fallback;
    };
    // The connection timeout: a node that refuses a login answers at once, and a host that
    // never answers must not add the (longer) login timeout to the failed connect.
    let limit = Duration::from_millis(match policy.timeout {
        0 => 1000,
        t => u64::from(t),
    });
    match aerospike_columnar::auth::refusal(&seed.name, seed.port, &policy.auth_mode, limit).await {
        Some(r) if r.code > 0 => js_error(r.code, false, e.to_string()),
        _ => fallback,
    }
}

/// The server code a seed refused the connection with, as the crate's message names it
/// (`Error <code>, node=<host>`); only positive codes (the server's own) count.
fn seed_refusal(text: &str) -> Option<i32> {
    text.match_indices("Error ").find_map(|(at, m)| {
        let rest = &text[at + m.len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let code: i32 = rest[..digits].parse().ok()?;
        (code > 0 && rest[digits..].starts_with(", node=")).then_some(code)
    })
}

//! Logging in on the direct path's own connections, as the client crate does on its own.
//!
//! The first connection to a node sends LOGIN (the user and the bcrypt hash of the password
//! every Aerospike client sends, plus the clear password for EXTERNAL modes); the server
//! answers with a session token and its lifetime, and that connection is authenticated. Every
//! later connection sends AUTHENTICATE with the token instead, which costs the server a
//! comparison, not a password check. The token is dropped a minute before the server would
//! expire it (or at half its life when that is shorter), so the next new connection logs in
//! again and no command ever meets an expired session.
//!
//! PKI logs in with no user and no password: over TLS, the server takes the user from the
//! client certificate the handshake verified; its AUTHENTICATE carries only the token.

use std::time::{Duration, Instant};

use aerospike::AuthMode;
use aerospike_cdt::result::client::{ERR_CLIENT, ERR_PARAM};
use aerospike_cdt::result::{OK, SECURITY_NOT_ENABLED};
use aerospike_cdt::wire::admin::{
    AUTHENTICATE, CLEAR_PASSWORD, CREDENTIAL, HEADER_LEN as ADMIN_HEADER, LOGIN, SESSION_TOKEN,
    SESSION_TTL, USER,
};
use aerospike_cdt::wire::proto;
use tokio::io::AsyncReadExt;

use crate::conn::Stream;
use crate::error::DirectError;

/// The salt and cost every Aerospike client hashes passwords with (`$2a$10$7EqJtq98hPqEX7fNZaFWoO`).
const CLIENT_SALT: [u8; 16] = [
    244, 107, 11, 190, 207, 254, 141, 27, 6, 103, 216, 79, 109, 193, 216, 169,
];
const CLIENT_COST: u32 = 10;

/// What a login sends: the user, the password's client hash, and the clear password for the
/// EXTERNAL modes; none of them for PKI (the TLS client certificate names the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    user: Option<String>,
    hash: Option<String>,
    clear: Option<String>,
}

impl Credentials {
    /// The credentials of `mode`; `Ok(None)` when it logs in with none (no security).
    pub fn of(mode: &AuthMode) -> Result<Option<Credentials>, DirectError> {
        let (user, password, clear) = match mode {
            AuthMode::None => return Ok(None),
            AuthMode::Internal(u, p) => (u, p, false),
            AuthMode::External(u, p) | AuthMode::ExternalInsecure(u, p) => (u, p, true),
            AuthMode::Pki => {
                return Ok(Some(Credentials {
                    user: None,
                    hash: None,
                    clear: None,
                }))
            }
        };
        let hash = bcrypt::hash_with_salt(password, CLIENT_COST, CLIENT_SALT)
            .map(|h| h.format_for_version(bcrypt::Version::TwoA))
            .map_err(|e| DirectError::new(ERR_PARAM, format!("password hash: {e}")))?;
        Ok(Some(Credentials {
            user: Some(user.clone()),
            hash: Some(hash),
            clear: clear.then(|| password.clone()),
        }))
    }
}

/// A session token and when this side stops using it.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: Vec<u8>,
    pub renew_at: Instant,
}

impl Session {
    pub fn is_fresh(&self) -> bool {
        Instant::now() < self.renew_at
    }
}

fn admin_message(command: u8, fields: &[(u8, &[u8])]) -> Vec<u8> {
    let len = ADMIN_HEADER + fields.iter().map(|(_, d)| 5 + d.len()).sum::<usize>();
    let mut m = Vec::with_capacity(proto::HEADER_LEN + len);
    m.extend_from_slice(&proto::header(proto::TYPE_ADMIN, len));
    m.extend_from_slice(&[0, 0, command, fields.len() as u8]);
    m.extend_from_slice(&[0; ADMIN_HEADER - 4]);
    for (id, data) in fields {
        m.extend_from_slice(&(data.len() as u32 + 1).to_be_bytes());
        m.push(*id);
        m.extend_from_slice(data);
    }
    m
}

/// Sends one admin message and reads the reply body (admin header and fields).
async fn round_trip(conn: &mut Stream, message: &[u8]) -> std::io::Result<Vec<u8>> {
    conn.send(message).await?;
    let mut h = [0u8; proto::HEADER_LEN];
    conn.read_exact(&mut h).await?;
    let (_, kind, len) = proto::split(&h);
    if kind != proto::TYPE_ADMIN || !(ADMIN_HEADER as u64..=1 << 20).contains(&len) {
        return Err(std::io::Error::other("bad admin reply"));
    }
    let mut body = vec![0u8; len as usize];
    conn.read_exact(&mut body).await?;
    Ok(body)
}

/// The fields of an admin reply body.
fn fields(body: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    let mut rest = &body[ADMIN_HEADER..];
    for _ in 0..body[3] {
        let Some(len) = rest
            .get(..4)
            .map(|l| u32::from_be_bytes([l[0], l[1], l[2], l[3]]))
        else {
            break;
        };
        let Some(field) = rest.get(4..4 + len as usize).filter(|f| !f.is_empty()) else {
            break;
        };
        out.push((field[0], &field[1..]));
        rest = &rest[4 + len as usize..];
    }
    out
}

fn refused(code: u8, what: &str) -> DirectError {
    DirectError::new(
        code as i32,
        format!("{what} refused by the server with code {code}"),
    )
}

/// Logs `conn` in. `Ok(None)`: the server has no security, nothing to remember.
pub async fn login(conn: &mut Stream, creds: &Credentials) -> Result<Option<Session>, DirectError> {
    let mut f: Vec<(u8, &[u8])> = Vec::with_capacity(3);
    if let (Some(user), Some(hash)) = (&creds.user, &creds.hash) {
        f.push((USER, user.as_bytes()));
        f.push((CREDENTIAL, hash.as_bytes()));
    }
    if let Some(clear) = &creds.clear {
        f.push((CLEAR_PASSWORD, clear.as_bytes()));
    }
    let body = round_trip(conn, &admin_message(LOGIN, &f))
        .await
        .map_err(io_error)?;
    match body[1] {
        OK => {}
        SECURITY_NOT_ENABLED => return Ok(None),
        code => return Err(refused(code, "login")),
    }
    let (mut token, mut ttl) = (None, None);
    for (id, data) in fields(&body) {
        match id {
            SESSION_TOKEN => token = Some(data.to_vec()),
            SESSION_TTL if data.len() >= 4 => {
                ttl = Some(u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as u64)
            }
            _ => {}
        }
    }
    let token =
        token.ok_or_else(|| DirectError::new(ERR_CLIENT, "login reply without a session token"))?;
    // As the crate: a token without a lifetime is kept an hour.
    let ttl = ttl.unwrap_or(3600);
    let margin = if ttl > 120 { 60 } else { ttl / 2 };
    Ok(Some(Session {
        token,
        renew_at: Instant::now() + Duration::from_secs(ttl - margin),
    }))
}

/// Authenticates `conn` with a session token. `Ok(false)`: the server refused the token (it
/// expired or its user changed); the caller logs in instead.
pub async fn authenticate(
    conn: &mut Stream,
    creds: &Credentials,
    session: &Session,
) -> Result<bool, DirectError> {
    let mut f: Vec<(u8, &[u8])> = Vec::with_capacity(2);
    if let Some(user) = &creds.user {
        f.push((USER, user.as_bytes()));
    }
    f.push((SESSION_TOKEN, &session.token));
    let body = round_trip(conn, &admin_message(AUTHENTICATE, &f))
        .await
        .map_err(io_error)?;
    Ok(matches!(body[1], OK | SECURITY_NOT_ENABLED))
}

/// Why `mode`'s login is refused by the node at `host:port`, if it is refused: `connect()`
/// reports a refused seed only as text, and the caller wants the server's code (INVALID_USER,
/// INVALID_PASSWORD, …) as the official client reports it. Without a login (`AuthMode::None`):
/// whether the node refuses an unauthenticated info request (a secured server answers
/// `ERROR:80:not authenticated`), and its code.
pub async fn refusal(
    host: &str,
    port: u16,
    mode: &AuthMode,
    limit: Duration,
) -> Option<DirectError> {
    let creds = Credentials::of(mode).ok()?;
    let run = async {
        let tcp = tokio::net::TcpStream::connect((host, port)).await.ok()?;
        let mut conn = Stream::Tcp(tcp);
        match creds {
            Some(creds) => login(&mut conn, &creds).await.err(),
            None => info_refusal(&mut conn).await,
        }
    };
    tokio::time::timeout(limit, run).await.ok()?
}

async fn info_refusal(conn: &mut Stream) -> Option<DirectError> {
    let ask = b"partition-generation\n";
    let mut m = proto::header(proto::TYPE_INFO, ask.len()).to_vec();
    m.extend_from_slice(ask);
    conn.send(&m).await.ok()?;
    let mut h = [0u8; proto::HEADER_LEN];
    conn.read_exact(&mut h).await.ok()?;
    let (_, _, len) = proto::split(&h);
    let mut body = vec![0u8; len.min(4096) as usize];
    conn.read_exact(&mut body).await.ok()?;
    let text = String::from_utf8_lossy(&body);
    let code: u8 = text
        .split("ERROR:")
        .nth(1)?
        .split(':')
        .next()?
        .trim()
        .parse()
        .ok()?;
    Some(refused(code, "info"))
}

fn io_error(e: std::io::Error) -> DirectError {
    DirectError::new(aerospike_cdt::result::client::ERR_CONNECTION, e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_carry_the_client_hash() {
        let c = Credentials::of(&AuthMode::Internal("u".into(), "password".into()))
            .unwrap()
            .unwrap();
        // The known answer every Aerospike client sends for "password".
        assert_eq!(
            c.hash.as_deref(),
            Some("$2a$10$7EqJtq98hPqEX7fNZaFWoOqUH6KN8IKy3Yk5Kz..RHGKNAUCoP/LG")
        );
        assert_eq!(c.clear, None);
        let e = Credentials::of(&AuthMode::ExternalInsecure("u".into(), "p".into()))
            .unwrap()
            .unwrap();
        assert_eq!(e.clear.as_deref(), Some("p"));
        assert!(Credentials::of(&AuthMode::None).unwrap().is_none());
        // PKI sends neither: the TLS client certificate names the user.
        let pki = Credentials::of(&AuthMode::Pki).unwrap().unwrap();
        assert_eq!((pki.user, pki.hash, pki.clear), (None, None, None));
    }

    #[test]
    fn admin_messages_are_framed_as_the_server_reads_them() {
        let m = admin_message(LOGIN, &[(USER, b"ab"), (CREDENTIAL, b"x")]);
        assert_eq!(&m[..2], &[proto::VERSION, proto::TYPE_ADMIN]);
        assert_eq!(m.len(), 8 + 16 + 7 + 6);
        assert_eq!(&m[8..12], &[0, 0, LOGIN, 2]);
        let mut reply = m[8..].to_vec();
        reply[1] = OK;
        assert_eq!(
            fields(&reply),
            vec![(USER, &b"ab"[..]), (CREDENTIAL, &b"x"[..])]
        );
        // A field count larger than the fields present stops at the end, never panics.
        reply[3] = 9;
        assert_eq!(fields(&reply).len(), 2);
    }
}

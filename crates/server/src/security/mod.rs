//! Security as Aerospike Enterprise does it, off unless configured: users who log in with
//! hashed credentials, session tokens that expire, and every command checked against the
//! privileges of the connection's user.
//!
//! - [`users`]: users and password hashes; [`roles`]: privileges, scopes and roles;
//!   [`registry`]: both, and what they add up to for one user;
//! - [`session`]: tokens; [`quotas`]: records per second; [`whitelist`]: client addresses;
//! - [`codec`]: the admin message; [`admin`]: the admin commands (login included);
//!   [`info`]: the privileges info commands need.
//!
//! A connection starts unauthenticated ([`Conn`]); LOGIN or AUTHENTICATE names its user. The
//! user is looked up again at every check, so a dropped user or a revoked role takes effect on
//! open connections at once.

pub mod admin;
mod codec;
pub mod info;
mod quotas;
mod registry;
pub mod roles;
mod session;
mod users;
mod whitelist;

use std::net::IpAddr;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::result as rc;
use registry::Registry;
pub use roles::Perm;
use users::User;

/// A user the server starts with.
#[derive(Debug, Clone)]
pub struct UserSpec {
    pub name: String,
    /// In clear; the server keeps only its hash.
    pub password: String,
    pub roles: Vec<String>,
}

/// How security starts.
#[derive(Debug, Clone)]
pub struct SecurityConfig {
    /// The users there are at start (default: `admin`/`admin` with `user-admin`, as on a new
    /// Enterprise server).
    pub users: Vec<UserSpec>,
    /// Seconds a session token is valid (the Enterprise default, a day).
    pub session_ttl: u32,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            users: vec![UserSpec {
                name: "admin".into(),
                password: "admin".into(),
                roles: vec!["user-admin".into()],
            }],
            session_ttl: 24 * 60 * 60,
        }
    }
}

/// The security state of a server (shared by the nodes of a cluster that share a config).
pub struct Security {
    registry: RwLock<Registry>,
    sessions: session::Sessions,
    quotas: quotas::Quotas,
    session_ttl: u32,
}

impl std::fmt::Debug for Security {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Security")
            .field("users", &self.read().users.len())
            .field("session_ttl", &self.session_ttl)
            .finish()
    }
}

/// What a connection has proven: its client's address, the common name of its verified TLS
/// client certificate (the user of a PKI login) and, once logged in, its user.
#[derive(Debug, Default, Clone)]
pub struct Conn {
    peer: Option<IpAddr>,
    cert_name: Option<String>,
    user: Option<String>,
}

impl Conn {
    /// An unauthenticated connection from `peer`, with its client certificate's name if any.
    pub fn new(peer: Option<IpAddr>, cert_name: Option<String>) -> Conn {
        Conn {
            peer,
            cert_name,
            user: None,
        }
    }
}

impl Security {
    pub fn new(config: SecurityConfig) -> Security {
        let mut registry = Registry::default();
        for u in config.users {
            let user = User {
                hash: users::client_hash(&u.password),
                name: u.name.clone(),
                roles: u.roles,
                generation: 0,
            };
            registry.users.insert(u.name, user);
        }
        Security {
            registry: RwLock::new(registry),
            sessions: session::Sessions::default(),
            quotas: quotas::Quotas::default(),
            session_ttl: config.session_ttl,
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Registry> {
        self.registry.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the connection's user may do `perm` on `namespace` and `set` now (`now_ns`:
    /// the server clock), counting it against the user's quota. The error is the result code.
    pub fn check(
        &self,
        conn: &Conn,
        perm: Perm,
        namespace: &[u8],
        set: &[u8],
        now_ns: u64,
    ) -> Result<(), u8> {
        let registry = self.read();
        let user = conn
            .user
            .as_ref()
            .and_then(|u| registry.users.get(u))
            .ok_or(rc::NOT_AUTHENTICATED)?;
        if !registry.allows(user, perm, namespace, set) {
            return Err(rc::ROLE_VIOLATION);
        }
        let write = match perm {
            Perm::Read => false,
            Perm::Write | Perm::ReadWrite | Perm::UdfWrite => true,
            _ => return Ok(()),
        };
        let quota = registry
            .roles_of(user)
            .iter()
            .map(|r| if write { r.write_quota } else { r.read_quota })
            .max()
            .unwrap_or(0);
        self.quotas
            .admit(&user.name, write, quota, now_ns / 1_000_000_000)
    }

    /// Whether the connection may send this info request; the refusal is the reply body.
    pub fn check_info(&self, conn: &Conn, body: &[u8], now_ns: u64) -> Result<(), Vec<u8>> {
        let text = String::from_utf8_lossy(body);
        let refused = |code| Err(info::refusal(body, code));
        if !conn
            .user
            .as_ref()
            .is_some_and(|u| self.read().users.contains_key(u))
        {
            return refused(rc::NOT_AUTHENTICATED);
        }
        for (perm, ns, set) in text.split('\n').filter_map(info::need) {
            if let Err(code) = self.check(conn, perm, ns.as_bytes(), set.as_bytes(), now_ns) {
                return refused(code);
            }
        }
        Ok(())
    }
}

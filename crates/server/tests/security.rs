//! Security over TCP, as a client sees it: login and session tokens, commands refused before
//! login or without the privilege (nothing written), the admin commands, quotas, whitelists,
//! and a flood of failed logins that leaves the server serving everyone else.

use std::sync::Arc;
use std::time::Duration;

use aerospike_embedded_server::{Clock, Config, Security, SecurityConfig, ServerHandle, UserSpec};
use tokio::net::TcpStream;

mod common;
use common::{call, field, key_fields, message, op, start, str_digest};

const LOGIN: u8 = 20;
const AUTHENTICATE: u8 = 0;
const CREATE_USER: u8 = 1;
const SET_PASSWORD: u8 = 3;
const GRANT_ROLES: u8 = 5;
const QUERY_USERS: u8 = 9;
const CREATE_ROLE: u8 = 10;
const DROP_ROLE: u8 = 11;
const DROP_USER: u8 = 2;
const SET_WHITELIST: u8 = 14;
const QUERY_ROLES: u8 = 16;

const USER: u8 = 0;
const PASSWORD: u8 = 1;
const CREDENTIAL: u8 = 3;
const CLEAR_PASSWORD: u8 = 4;
const SESSION_TOKEN: u8 = 5;
const SESSION_TTL: u8 = 6;
const ROLES: u8 = 10;
const ROLE: u8 = 11;
const PRIVILEGES: u8 = 12;
const WHITELIST: u8 = 13;
const WRITE_QUOTA: u8 = 15;

const OK: u8 = 0;
const QUERY_END: u8 = 50;
const INVALID_USER: u8 = 60;
const INVALID_PASSWORD: u8 = 62;
const INVALID_CREDENTIAL: u8 = 65;
const EXPIRED_SESSION: u8 = 66;
const INVALID_ROLE: u8 = 70;
const NOT_AUTHENTICATED: u8 = 80;
const ROLE_VIOLATION: u8 = 81;
const NOT_WHITELISTED: u8 = 82;
const QUOTA_EXCEEDED: u8 = 83;

/// The password hash every official client sends: bcrypt, cost 10, one fixed salt.
fn hash(password: &str) -> String {
    const SALT: [u8; 16] = [
        244, 107, 11, 190, 207, 254, 141, 27, 6, 103, 216, 79, 109, 193, 216, 169,
    ];
    bcrypt::hash_with_salt(password, 10, SALT)
        .unwrap()
        .format_for_version(bcrypt::Version::TwoA)
}

/// An admin message body: the 16-byte header, then the fields.
fn admin(command: u8, fields: &[(u8, &[u8])]) -> Vec<u8> {
    let mut v = vec![0, 0, command, fields.len() as u8];
    v.resize(16, 0);
    for (id, data) in fields {
        v.extend_from_slice(&field(*id, data));
    }
    v
}

/// Sends an admin command; returns the reply's result code and its fields.
async fn admin_call(s: &mut TcpStream, command: u8, fields: &[(u8, &[u8])]) -> (u8, Fields) {
    let body = call(s, 2, &admin(command, fields)).await;
    (body[1], blocks(&body).remove(0).1)
}

/// The fields of a reply block: id and data.
type Fields = Vec<(u8, Vec<u8>)>;

/// Every block of an admin reply: result and fields.
fn blocks(body: &[u8]) -> Vec<(u8, Fields)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 16 <= body.len() {
        let (result, n) = (body[at + 1], body[at + 3]);
        at += 16;
        let mut fields = Vec::new();
        for _ in 0..n {
            let len = u32::from_be_bytes(body[at..at + 4].try_into().unwrap()) as usize;
            fields.push((body[at + 4], body[at + 5..at + 4 + len].to_vec()));
            at += 4 + len;
        }
        out.push((result, fields));
    }
    out
}

fn roles_field(roles: &[&str]) -> Vec<u8> {
    let mut v = vec![roles.len() as u8];
    for r in roles {
        v.push(r.len() as u8);
        v.extend_from_slice(r.as_bytes());
    }
    v
}

/// A server with security on: `admin`/`admin` (user-admin) and `rw`/`pw` (read-write).
async fn secured(clock: &Clock, session_ttl: u32) -> ServerHandle {
    let mut security = SecurityConfig {
        session_ttl,
        ..SecurityConfig::default()
    };
    security.users.push(UserSpec {
        name: "rw".into(),
        password: "pw".into(),
        roles: vec!["read-write".into()],
    });
    start(Config {
        clock: clock.clone(),
        security: Some(Arc::new(Security::new(security))),
        ..Config::default()
    })
    .await
}

/// Sends LOGIN as an INTERNAL client does: the user and the hash of its password.
async fn try_login(s: &mut TcpStream, user: &[u8], credential: &str) -> (u8, Fields) {
    admin_call(
        s,
        LOGIN,
        &[(USER, user), (CREDENTIAL, credential.as_bytes())],
    )
    .await
}

/// Creates `user` with `password` and `roles`; returns the result code.
async fn create_user(s: &mut TcpStream, user: &str, password: &str, roles: &[&str]) -> u8 {
    let (hash, roles) = (hash(password), roles_field(roles));
    let fields = [
        (USER, user.as_bytes()),
        (PASSWORD, hash.as_bytes()),
        (ROLES, &roles[..]),
    ];
    admin_call(s, CREATE_USER, &fields).await.0
}

/// A new connection logged in as `user`; returns it and the session token.
async fn login(server: &ServerHandle, user: &str, password: &str) -> (TcpStream, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let (code, fields) = try_login(&mut s, user.as_bytes(), &hash(password)).await;
    assert_eq!(code, OK, "login as {user}");
    let token = fields.iter().find(|(id, _)| *id == SESSION_TOKEN).unwrap();
    (s, token.1.clone())
}

/// Writes bin `b` of key `key` in `set`; returns the result code.
async fn put(s: &mut TcpStream, set: &str, key: &str) -> u8 {
    let d = str_digest(set, key.as_bytes());
    let body = message(
        [0, 1, 0],
        0,
        0,
        &key_fields(set, &d),
        &[op(2, 3, "b", b"v")],
    );
    call(s, 3, &body).await[5]
}

/// Reads key `key` in `set`; returns the result code.
async fn get(s: &mut TcpStream, set: &str, key: &str) -> u8 {
    let d = str_digest(set, key.as_bytes());
    call(s, 3, &message([3, 0, 0], 0, 0, &key_fields(set, &d), &[])).await[5]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_served_before_login() {
    let server = secured(&Clock::system(), 3600).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    assert_eq!(put(&mut s, "s", "k").await, NOT_AUTHENTICATED);
    assert_eq!(get(&mut s, "s", "k").await, NOT_AUTHENTICATED);
    let info = call(&mut s, 1, b"namespaces\nbuild\n").await;
    assert_eq!(
        info,
        b"namespaces\tERROR:80:not authenticated\nbuild\tERROR:80:not authenticated\n"
    );
    let (code, _) = admin_call(&mut s, QUERY_USERS, &[]).await;
    assert_eq!(code, NOT_AUTHENTICATED);
    // Nothing was written.
    let (mut rw, _) = login(&server, "rw", "pw").await;
    assert_eq!(get(&mut rw, "s", "k").await, 2);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_gives_a_session_and_wrong_credentials_are_refused() {
    let server = secured(&Clock::system(), 3600).await;
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let wrong = hash("nope");
    let (code, _) = try_login(&mut s, b"rw", &wrong).await;
    assert_eq!(code, INVALID_PASSWORD);
    assert_eq!(put(&mut s, "s", "k").await, NOT_AUTHENTICATED);
    let right = hash("pw");
    let (code, _) = try_login(&mut s, b"nobody", &right).await;
    assert_eq!(code, INVALID_USER);
    // The same connection logs in once the credentials are right.
    let (code, fields) = try_login(&mut s, b"rw", &right).await;
    assert_eq!(code, OK);
    let ttl = fields.iter().find(|(id, _)| *id == SESSION_TTL).unwrap();
    assert_eq!(ttl.1, 3600u32.to_be_bytes());
    assert_eq!(put(&mut s, "s", "k").await, OK);
    assert_eq!(get(&mut s, "s", "k").await, OK);
    let info = call(&mut s, 1, b"namespaces\n").await;
    assert_eq!(info, b"namespaces\ttest;bar\n");
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_authenticate_new_connections_until_they_expire() {
    let clock = Clock::system();
    let server = secured(&clock, 600).await;
    let (_, token) = login(&server, "rw", "pw").await;
    let auth = |token: Vec<u8>| {
        let addr = server.addr();
        async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let code = admin_call(
                &mut s,
                AUTHENTICATE,
                &[(USER, b"rw"), (SESSION_TOKEN, &token)],
            )
            .await
            .0;
            (code, s)
        }
    };
    let (code, mut s) = auth(token.clone()).await;
    assert_eq!(code, OK);
    assert_eq!(put(&mut s, "s", "k").await, OK);

    let mut forged = token.clone();
    forged[3] ^= 1;
    let (code, mut s) = auth(forged).await;
    assert_eq!(code, INVALID_CREDENTIAL);
    assert_eq!(put(&mut s, "s", "k").await, NOT_AUTHENTICATED);
    assert_eq!(
        auth(b"0123456789abcdef0123456789abcdef".to_vec()).await.0,
        INVALID_CREDENTIAL
    );

    clock.advance_secs(601);
    let (code, mut s) = auth(token).await;
    assert_eq!(code, EXPIRED_SESSION);
    assert_eq!(get(&mut s, "s", "k").await, NOT_AUTHENTICATED);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_ends_old_sessions() {
    let server = secured(&Clock::system(), 600).await;
    let (_, token) = login(&server, "rw", "pw").await;
    let (mut admin_conn, _) = login(&server, "admin", "admin").await;
    let new = hash("pw2");
    let (code, _) = admin_call(
        &mut admin_conn,
        SET_PASSWORD,
        &[(USER, b"rw"), (PASSWORD, new.as_bytes())],
    )
    .await;
    assert_eq!(code, OK);
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let (code, _) = admin_call(
        &mut s,
        AUTHENTICATE,
        &[(USER, b"rw"), (SESSION_TOKEN, &token)],
    )
    .await;
    assert_eq!(code, INVALID_CREDENTIAL);
    login(&server, "rw", "pw2").await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_need_the_privilege_in_scope_and_nothing_is_written_without_it() {
    let server = secured(&Clock::system(), 600).await;
    let (mut admin_conn, _) = login(&server, "admin", "admin").await;
    // The admin of a new server administers users; it cannot touch data.
    assert_eq!(put(&mut admin_conn, "s", "k").await, ROLE_VIOLATION);

    // A role that reads all of `test` and writes only its set `a`.
    let privileges = [&[2u8, 10, 4][..], b"test", &[0, 13, 4], b"test", &[1], b"a"].concat();
    let (code, _) = admin_call(
        &mut admin_conn,
        CREATE_ROLE,
        &[(ROLE, b"a-writer"), (PRIVILEGES, &privileges)],
    )
    .await;
    assert_eq!(code, OK);
    let code = create_user(&mut admin_conn, "limited", "x", &["a-writer"]).await;
    assert_eq!(code, OK);

    let (mut limited, _) = login(&server, "limited", "x").await;
    assert_eq!(put(&mut limited, "a", "k").await, OK);
    assert_eq!(put(&mut limited, "b", "k").await, ROLE_VIOLATION);
    assert_eq!(
        get(&mut limited, "b", "k").await,
        2,
        "reads anywhere in test; nothing written"
    );
    // User admin commands need user-admin.
    let (code, _) = admin_call(&mut limited, CREATE_ROLE, &[(ROLE, b"mine")]).await;
    assert_eq!(code, ROLE_VIOLATION);
    // An admin info command needs its privilege.
    let info = call(&mut limited, 1, b"truncate:namespace=test;set=a\n").await;
    assert_eq!(
        info,
        b"truncate:namespace=test;set=a\tERROR:81:role violation\n"
    );

    // Dropping the role takes the privilege from the open connection.
    let (code, _) = admin_call(&mut admin_conn, DROP_ROLE, &[(ROLE, b"a-writer")]).await;
    assert_eq!(code, OK);
    assert_eq!(put(&mut limited, "a", "k2").await, ROLE_VIOLATION);
    let (mut rw, _) = login(&server, "rw", "pw").await;
    assert_eq!(get(&mut rw, "a", "k2").await, 2);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_and_roles_are_queried_as_blocks_ending_with_query_end() {
    let server = secured(&Clock::system(), 600).await;
    let (mut s, _) = login(&server, "admin", "admin").await;
    let read_test = [&[1u8, 10, 4][..], b"test", &[0]].concat();
    admin_call(
        &mut s,
        CREATE_ROLE,
        &[(ROLE, b"reader"), (PRIVILEGES, &read_test)],
    )
    .await;
    // As on the Enterprise server, a role that does not exist yet can be granted.
    let roles = roles_field(&["reader", "later"]);
    let (code, _) = admin_call(&mut s, GRANT_ROLES, &[(USER, b"rw"), (ROLES, &roles)]).await;
    assert_eq!(code, OK);
    let (code, _) = admin_call(&mut s, GRANT_ROLES, &[(USER, b"rw"), (ROLES, &[1, 0])]).await;
    assert_eq!(code, INVALID_ROLE, "an empty role name");

    let body = call(&mut s, 2, &admin(QUERY_USERS, &[(USER, b"rw")])).await;
    let b = blocks(&body);
    assert_eq!((b.len(), b[0].0, b[1].0), (2, OK, QUERY_END));
    assert!(b[0].1.contains(&(USER, b"rw".to_vec())));
    assert!(b[0]
        .1
        .contains(&(ROLES, roles_field(&["read-write", "reader", "later"]))));
    let body = call(&mut s, 2, &admin(QUERY_USERS, &[])).await;
    assert_eq!(blocks(&body).len(), 3, "admin, rw, then QUERY_END");

    let body = call(&mut s, 2, &admin(QUERY_ROLES, &[(ROLE, b"reader")])).await;
    let b = blocks(&body);
    assert!(b[0].1.contains(&(PRIVILEGES, read_test.clone())));
    let body = call(&mut s, 2, &admin(QUERY_ROLES, &[])).await;
    assert_eq!(
        blocks(&body).len(),
        10 + 1 + 1,
        "predefined, reader, QUERY_END"
    );
    let (code, _) = admin_call(&mut s, QUERY_ROLES, &[(ROLE, b"nope")]).await;
    assert_eq!(code, INVALID_ROLE);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_and_whitelists_are_enforced() {
    let server = secured(&Clock::system(), 600).await;
    let (mut s, _) = login(&server, "admin", "admin").await;
    let rw = [&[1u8, 11][..], &[0, 0]].concat();
    let quota = 5u32.to_be_bytes();
    admin_call(
        &mut s,
        CREATE_ROLE,
        &[(ROLE, b"slow"), (PRIVILEGES, &rw), (WRITE_QUOTA, &quota)],
    )
    .await;
    admin_call(
        &mut s,
        CREATE_ROLE,
        &[(ROLE, b"far"), (PRIVILEGES, &rw), (WHITELIST, b"10.9.9.9")],
    )
    .await;
    for user in ["slow", "far"] {
        assert_eq!(create_user(&mut s, user, "p", &[user]).await, OK);
    }
    let (mut slow, _) = login(&server, "slow", "p").await;
    let mut codes = Vec::new();
    for i in 0..20 {
        codes.push(put(&mut slow, "q", &i.to_string()).await);
    }
    // At most two seconds' worth pass, whatever the timing.
    assert!(
        codes.iter().filter(|c| **c == OK).count() <= 10,
        "{codes:?}"
    );
    assert!(codes.contains(&QUOTA_EXCEEDED), "{codes:?}");

    let mut far = TcpStream::connect(server.addr()).await.unwrap();
    let p = hash("p");
    let (code, _) = try_login(&mut far, b"far", &p).await;
    assert_eq!(code, NOT_WHITELISTED);
    let (code, _) = admin_call(
        &mut s,
        SET_WHITELIST,
        &[(ROLE, b"far"), (WHITELIST, b"10.0.0.0/8,127.0.0.1")],
    )
    .await;
    assert_eq!(code, OK);
    login(&server, "far", "p").await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_failed_logins_leave_the_server_serving_others() {
    let server = secured(&Clock::system(), 600).await;
    let (mut rw, _) = login(&server, "rw", "pw").await;
    let wrong = hash("guess");
    let started = std::time::Instant::now();
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    for i in 0..1000 {
        if i % 100 == 0 {
            // Some attempts on new connections, some on the same one.
            s = TcpStream::connect(server.addr()).await.unwrap();
        }
        let (code, _) = try_login(&mut s, b"rw", &wrong).await;
        assert_eq!(code, INVALID_PASSWORD);
        if i % 250 == 0 {
            let served = tokio::time::timeout(Duration::from_secs(2), put(&mut rw, "s", "k")).await;
            assert_eq!(served.unwrap(), OK);
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    login(&server, "rw", "pw").await;
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_reads_and_writes_needs_both() {
    let server = secured(&Clock::system(), 600).await;
    let (mut s, _) = login(&server, "admin", "admin").await;
    assert_eq!(create_user(&mut s, "w", "p", &["write"]).await, OK);
    assert_eq!(
        create_user(&mut s, "r-and-w", "p", &["read", "write"]).await,
        OK
    );
    let d = str_digest("o", b"k");
    let operate = message(
        [1, 1, 0],
        0,
        0,
        &key_fields("o", &d),
        &[op(2, 3, "b", b"v"), op(1, 0, "b", b"")],
    );
    let (mut w, _) = login(&server, "w", "p").await;
    assert_eq!(put(&mut w, "o", "k").await, OK, "a plain write");
    assert_eq!(call(&mut w, 3, &operate).await[5], ROLE_VIOLATION);
    let (mut rw, _) = login(&server, "r-and-w", "p").await;
    assert_eq!(
        call(&mut rw, 3, &operate).await[5],
        OK,
        "two privileges together"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn external_logins_and_dropped_users() {
    let server = secured(&Clock::system(), 600).await;
    // EXTERNAL (no LDAP here): the clear password is checked against the stored hash.
    let mut s = TcpStream::connect(server.addr()).await.unwrap();
    let fields = [(USER, &b"rw"[..]), (CLEAR_PASSWORD, b"nope")];
    assert_eq!(admin_call(&mut s, LOGIN, &fields).await.0, INVALID_PASSWORD);
    let fields = [(USER, &b"rw"[..]), (CLEAR_PASSWORD, b"pw")];
    assert_eq!(admin_call(&mut s, LOGIN, &fields).await.0, OK);
    assert_eq!(put(&mut s, "s", "k").await, OK);
    // A dropped user's open connections and sessions stop at once.
    let (mut admin_conn, _) = login(&server, "admin", "admin").await;
    let (_, token) = login(&server, "rw", "pw").await;
    assert_eq!(
        admin_call(&mut admin_conn, DROP_USER, &[(USER, b"rw")])
            .await
            .0,
        OK
    );
    assert_eq!(put(&mut s, "s", "k2").await, NOT_AUTHENTICATED);
    let mut t = TcpStream::connect(server.addr()).await.unwrap();
    let fields = [(USER, &b"rw"[..]), (SESSION_TOKEN, &token[..])];
    assert_eq!(
        admin_call(&mut t, AUTHENTICATE, &fields).await.0,
        INVALID_CREDENTIAL
    );
    assert_eq!(
        admin_call(&mut admin_conn, DROP_USER, &[(USER, b"rw")])
            .await
            .0,
        INVALID_USER
    );
    server.stop().await.unwrap();
}

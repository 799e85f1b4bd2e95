//! The direct columnar path against an embedded server with security on: it logs in on its own
//! connections (no fallback to the crate), reports a missing privilege with the server's code,
//! and logs in again once its session is over.

use std::sync::Arc;
use std::time::Duration;

use aerospike::{AuthMode, BatchPolicy, Bin, Client, ClientPolicy, Key, Value, WritePolicy};
use aerospike_columnar::direct::DirectReader;
use aerospike_columnar::ColumnType;
use aerospike_embedded_server::{spawn, Config, Security, SecurityConfig, ServerHandle, UserSpec};
use tokio::net::TcpListener;

const ROLE_VIOLATION: i32 = 81;

fn user(name: &str, roles: &[&str]) -> UserSpec {
    UserSpec {
        name: name.into(),
        password: format!("{name}-pw"),
        roles: roles.iter().map(|r| r.to_string()).collect(),
    }
}

async fn secured(session_ttl: u32) -> ServerHandle {
    let security = Security::new(SecurityConfig {
        users: vec![user("rw", &["read-write"]), user("w", &["write"])],
        session_ttl,
    });
    let config = Config {
        security: Some(Arc::new(security)),
        ..Config::default()
    };
    spawn(TcpListener::bind("127.0.0.1:0").await.unwrap(), config).unwrap()
}

async fn connect(server: &ServerHandle, name: &str) -> Client {
    let policy = ClientPolicy {
        auth_mode: AuthMode::Internal(name.into(), format!("{name}-pw")),
        ..ClientPolicy::default()
    };
    Client::new(&policy, &server.addr().to_string())
        .await
        .unwrap()
}

fn keys() -> Vec<Key> {
    (0..20)
        .map(|i| Key::new("test", "sec", Value::from(i)).unwrap())
        .collect()
}

fn spec() -> Vec<(String, ColumnType)> {
    vec![("n".into(), ColumnType::I64)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_in_and_renews_its_session() {
    // A 2-second session: the path stops using its token after one.
    let server = secured(2).await;
    let client = connect(&server, "rw").await;
    for (i, k) in keys().iter().enumerate() {
        let bin = Bin::new("n", Value::from(i as i64));
        client
            .put(&WritePolicy::default(), k, &[bin])
            .await
            .unwrap();
    }
    let reader = DirectReader::default();
    let (policy, spec, keys) = (BatchPolicy::default(), spec(), keys());
    let read = || reader.read(&client, &policy, &spec, &keys);
    let cols = read().await.unwrap().expect("the direct path logs in");
    assert!(cols.status.iter().all(|s| *s == 0));
    // New connections after the session is over log in again.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    reader.close();
    let cols = read().await.unwrap().expect("a new session");
    assert!(cols.status.iter().all(|s| *s == 0));
    // And while the token is fresh, new connections present it.
    reader.close();
    let cols = read().await.unwrap().expect("the token");
    assert!(cols.status.iter().all(|s| *s == 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_read_gets_role_violation() {
    let server = secured(60).await;
    let client = connect(&server, "w").await;
    let reader = DirectReader::default();
    let err = reader
        .read(&client, &BatchPolicy::default(), &spec(), &keys())
        .await
        .expect_err("no read privilege");
    assert_eq!(err.code, ROLE_VIOLATION, "{err:?}");
}

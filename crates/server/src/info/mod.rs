//! The info protocol: newline-separated text commands, each answered `command\tvalue\n` in
//! request order. Clients read some answers positionally, so every command gets exactly one
//! line, and errors are values (`ERROR:<code>:<message>`), never a dropped line.

use base64::Engine;

use crate::record::PARTITIONS;
use crate::State;

pub mod sindex;

const FEATURES: &str = "batch-any;batch-index;blob-bits;cdt-index;cdt-list;cdt-map;cluster-stable;float;geo;sindex-exists;peers;pipelining;pquery;pscans;query-show;relaxed-sc;replicas;replicas-all;replicas-master;replicas-max;truncate-namespace;udf";

const UNRECOGNIZED: &str = "ERROR:4:unrecognized command";

/// Answers an info request body.
pub fn handle(state: &State, body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    if text.trim().is_empty() {
        for name in [
            "features",
            "node",
            "edition",
            "build",
            "version",
            "statistics",
            "services-alumni",
            "services",
            "partition-generation",
        ] {
            line(&mut out, name, &answer(state, name));
        }
        return out.into_bytes();
    }
    // Text after the last newline is not a complete command; the real server ignores it.
    let complete = match text.rfind('\n') {
        Some(i) => &text[..i],
        None => return Vec::new(),
    };
    for cmd in complete.split('\n') {
        line(&mut out, cmd, &answer(state, cmd));
    }
    out.into_bytes()
}

fn line(out: &mut String, cmd: &str, value: &str) {
    out.push_str(cmd);
    out.push('\t');
    // Values must never break the line structure.
    out.extend(
        value
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c }),
    );
    out.push('\n');
}

/// Splits `name:k=v;k=v` / `name/a/b` into the name and the rest.
fn split(cmd: &str) -> (&str, &str) {
    match cmd.find([':', '/', ';']) {
        Some(i) => (&cmd[..i], &cmd[i + 1..]),
        None => (cmd, ""),
    }
}

/// Parses `k=v;k=v` parameters.
fn params(rest: &str) -> Vec<(&str, &str)> {
    rest.split(';')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect()
}

fn param<'a>(ps: &[(&'a str, &'a str)], names: &[&str]) -> Option<&'a str> {
    ps.iter()
        .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .map(|(_, v)| *v)
}

/// The bitmap of partitions this node owns (all of them when standalone): 4096 bits, base64.
fn ownership_bitmap(state: &State) -> String {
    let engine = &base64::engine::general_purpose::STANDARD;
    match &state.config.cluster {
        Some(c) => engine.encode(c.bitmap(&state.node_id)),
        None => engine.encode([0xffu8; PARTITIONS / 8]),
    }
}

/// The partition / peers generation: 1 standalone; in a cluster it moves with membership.
fn generation(state: &State) -> u64 {
    state.config.cluster.as_ref().map_or(1, |c| c.generation())
}

/// `peers-*`: `generation,default port,[[id,tls name,[address:port]],…]`, the other nodes
/// reachable the way the command asks (`peers-tls-*`: those serving TLS, with their TLS name;
/// `peers-clear-*`: the plaintext ones), as a real cluster lists its `tls-port` or `port`.
fn peers(state: &State, port: u16, tls: bool) -> String {
    let others = match &state.config.cluster {
        Some(c) => c
            .members()
            .into_iter()
            .filter(|m| m.id != state.node_id && m.tls_name.is_some() == tls)
            .map(|m| {
                let name = m.tls_name.unwrap_or_default();
                format!("[{},{name},[{}]]", m.id, m.addr)
            })
            .collect::<Vec<_>>()
            .join(","),
        None => String::new(),
    };
    format!("{},{port},[{others}]", generation(state))
}

fn address(state: &State) -> String {
    format!("{}:{}", state.addr.ip(), state.addr.port())
}

/// `service-*`: this node's address when it serves the way the command asks (for plaintext on
/// a TLS node: its clear port, if it has one), else empty.
fn service(state: &State, tls: bool) -> String {
    if let (false, Some(clear)) = (tls, state.clear_addr) {
        clear.to_string()
    } else if state.config.tls.is_some() == tls {
        address(state)
    } else {
        String::new()
    }
}

fn answer(state: &State, cmd: &str) -> String {
    let (name, rest) = split(cmd);
    let cfg = &state.config;
    let port = state.addr.port();
    let nss = || state.store.namespaces.iter().map(|n| n.name.as_str());
    // One `;`-separated entry per namespace.
    let per_ns = |entry: &dyn Fn(&str) -> String| nss().map(entry).collect::<Vec<_>>().join(";");
    match name {
        "node" => state.node_id.clone(),
        "build" => cfg.build.clone(),
        "version" => format!("Aerospike Community Edition build {}", cfg.build),
        "edition" => "Aerospike Community Edition".into(),
        "release" => format!(
            "edition=Aerospike Community Edition;version={};os=linux;arch=x86_64;sha=0",
            cfg.build
        ),
        "build_os" => "linux".into(),
        "build_arch" => "x86_64".into(),
        "compatibility-id" => "1".into(),
        "features" => FEATURES.into(),
        "cluster-name" => cfg.cluster_name.clone(),
        "partition-generation" | "rebalance-generation" | "peers-generation" => {
            generation(state).to_string()
        }
        "partitions" => PARTITIONS.to_string(),
        "peers-clear-std" | "peers-clear-alt" | "alumni-clear-std" => peers(state, port, false),
        "peers-tls-std" | "peers-tls-alt" | "alumni-tls-std" => peers(state, port, true),
        "service-clear-std" | "service-clear-alt" => service(state, false),
        "service-tls-std" | "service-tls-alt" => service(state, true),
        "service" => address(state),
        "services" | "services-alternate" | "services-alumni" | "services-alumni-reset" => {
            String::new()
        }
        "replicas" | "replicas-all" | "replicas-master" => {
            let b = ownership_bitmap(state);
            // Regime and replica count before the bitmap, as each command's format has them.
            let before = match name {
                "replicas" => "0,1,",
                "replicas-all" => "1,",
                _ => "",
            };
            per_ns(&|n| format!("{n}:{before}{b}"))
        }
        "rack-ids" => per_ns(&|n| format!("{n}:0")),
        "namespaces" => nss().collect::<Vec<_>>().join(";"),
        "namespace" => namespace_info(state, rest),
        "get-config" => get_config(state, rest),
        "sets" => sets(state, rest),
        "statistics" => statistics(state),
        "status" => "ok".into(),
        "user-agent-set" => "ok".into(),
        "cluster-stable" => format!("A1B2C3D4{:04X}", generation(state)),
        "truncate" | "truncate-namespace" => truncate(state, name, rest),
        "truncate-undo" | "truncate-namespace-undo" => "ok".into(),
        "sindex-list" => {
            let ps = params(rest);
            state.catalog.sindex_list(param(&ps, &["ns", "namespace"]))
        }
        "sindex" => match rest.split_once('/') {
            Some((ns, name)) => sindex::stat(state, ns, name),
            None => state
                .catalog
                .sindex_list(Some(rest).filter(|r| !r.is_empty())),
        },
        "sindex-stat" => {
            let ps = params(rest);
            match (param(&ps, &["ns", "namespace"]), param(&ps, &["indexname"])) {
                (Some(ns), Some(name)) => sindex::stat(state, ns, name),
                _ => "ERROR:4:ns and indexname required".into(),
            }
        }
        "sindex-exists" => state.catalog.sindex_exists(rest),
        "sindex-create" => sindex::create(state, rest),
        "sindex-delete" => sindex::delete(state, rest),
        "udf-put" => state.catalog.udf_put(rest),
        "udf-list" => state.catalog.udf_list(),
        "udf-get" => state.catalog.udf_get(rest),
        "udf-remove" => state.catalog.udf_remove(rest),
        "query-show" | "scan-show" | "jobs" => state.jobs.show(rest),
        "query-abort" | "scan-abort" | "query-abort-all" | "scan-abort-all" => "ok".into(),
        "latencies" | "latency" => String::new(),
        _ => UNRECOGNIZED.into(),
    }
}

fn ns_config(state: &State, ns: &crate::store::Namespace) -> String {
    let _ = state;
    format!(
        "replication-factor=1;default-ttl={};nsup-period=10;allow-ttl-without-nsup=true;strong-consistency=false;storage-engine=memory;max-record-size=1048576;single-bin=false;conflict-resolution-policy=generation",
        ns.default_ttl
    )
}

fn namespace_info(state: &State, ns_name: &str) -> String {
    let Some(ns) = state.store.namespace(ns_name.as_bytes()) else {
        return "type=unknown".into();
    };
    let mut objects = 0usize;
    ns.for_each(state.clock.now_cl(), |_, _| objects += 1);
    format!(
        "ns_cluster_size=1;effective_replication_factor=1;objects={objects};tombstones=0;master_objects={objects};stop_writes=false;{}",
        ns_config(state, ns)
    )
}

fn get_config(state: &State, rest: &str) -> String {
    let ps = params(rest);
    match param(&ps, &["context"]) {
        Some("namespace") => {
            let id = param(&ps, &["id", "namespace"]).unwrap_or("");
            match state.store.namespace(id.as_bytes()) {
                Some(ns) => ns_config(state, ns),
                None => format!("ERROR:20:namespace {id} not found"),
            }
        }
        Some("service") | None => format!(
            "cluster-name={};proto-fd-idle-ms=0;proto-fd-max=15000;batch-max-requests={};transaction-pending-limit=20",
            state.config.cluster_name, state.config.batch_max_requests
        ),
        Some(_) => String::new(),
    }
}

fn sets(state: &State, rest: &str) -> String {
    let mut parts = rest.split('/').filter(|s| !s.is_empty());
    let only_ns = parts.next();
    let only_set = parts.next();
    let now = state.clock.now_cl();
    let mut out = String::new();
    for ns in &state.store.namespaces {
        if only_ns.is_some_and(|n| n != ns.name) {
            continue;
        }
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        ns.for_each(now, |_, r| {
            if !r.set.is_empty() {
                *counts.entry(r.set.to_string()).or_default() += 1;
            }
        });
        for (set, n) in counts {
            if only_set.is_some_and(|s| s != set) {
                continue;
            }
            let head = if only_set.is_some() {
                String::new()
            } else {
                format!("ns={}:set={set}:", ns.name)
            };
            out.push_str(&format!(
                "{head}objects={n}:tombstones=0:data_used_bytes=0:truncate_lut=0:sindexes=0:index_populating=false:truncating=false:default-read-touch-ttl-pct=0:default-ttl=0:disable-eviction=false:enable-index=false:stop-writes-count=0:stop-writes-size=0;"
            ));
        }
    }
    out
}

fn statistics(state: &State) -> String {
    let now = state.clock.now_cl();
    let objects: usize = state
        .store
        .namespaces
        .iter()
        .map(|ns| {
            let mut n = 0;
            ns.for_each(now, |_, _| n += 1);
            n
        })
        .sum();
    format!(
        "cluster_size=1;cluster_key=A1B2C3D4E5F6;cluster_integrity=true;cluster_is_member=true;uptime={};objects={objects};client_connections={}",
        state.started.elapsed().as_secs(),
        state.connections.load(std::sync::atomic::Ordering::Relaxed)
    )
}

fn truncate(state: &State, name: &str, rest: &str) -> String {
    let ps = params(rest);
    let Some(ns_name) = param(&ps, &["namespace", "ns"]) else {
        return "ERROR:4:namespace required".into();
    };
    let Some(ns) = state.store.namespace(ns_name.as_bytes()) else {
        return format!("ERROR:20:namespace {ns_name} not found");
    };
    let set = if name == "truncate" {
        param(&ps, &["set"])
    } else {
        None
    };
    let now = state.clock.now_ns();
    let cutoff = match param(&ps, &["lut"]) {
        Some(v) => match v.parse::<u64>() {
            Ok(l) if l <= now => l,
            Ok(_) => return "ERROR:4:lut is in the future".into(),
            Err(_) => return "ERROR:4:bad lut".into(),
        },
        None => u64::MAX,
    };
    ns.truncate(set, cutoff);
    "ok".into()
}

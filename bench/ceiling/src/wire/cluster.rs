//! Which node masters which partition, learned the way clients learn it: the seeds' peer lists
//! (`peers-clear-std`) name every node, and each node's `replicas` bitmap says which partitions
//! of the namespace it masters. A single embedded server answers with itself and all 4,096.
//! The map is the workload's namespace's (a scan of `bar` goes by `bar`'s masters).

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::TcpStream;

use base64::Engine;

use super::encode::{body_len, info_request};

/// Number of partitions of every namespace.
pub const PARTITIONS: usize = 4096;

/// The nodes and the master of every partition.
#[derive(Debug)]
pub struct Cluster {
    /// One `host:port` per node.
    pub nodes: Vec<String>,
    /// `owner[p]` = index in `nodes` of partition `p`'s master.
    pub owner: Vec<usize>,
}

impl Cluster {
    /// Discovers the cluster from `seeds`. Fails unless every partition of `namespace` has a
    /// master.
    pub fn discover(seeds: &[String], namespace: &str) -> io::Result<Cluster> {
        let mut addresses: Vec<String> = seeds.to_vec();
        // Node name → (address, master bitmap); a node reached under two addresses counts once.
        let mut found: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
        let mut i = 0;
        while i < addresses.len() {
            let addr = addresses[i].clone();
            i += 1;
            let reply = info(&addr, &["node", "replicas", "peers-clear-std"])?;
            let value = |name: &str| reply.get(name).cloned().unwrap_or_default();
            for peer in peer_addresses(&value("peers-clear-std")) {
                if !addresses.contains(&peer) {
                    addresses.push(peer);
                }
            }
            let bitmap = master_bitmap(&value("replicas"), namespace).ok_or_else(|| {
                invalid(format!(
                    "{addr}: no replicas bitmap for namespace {namespace}"
                ))
            })?;
            found.entry(value("node")).or_insert((addr, bitmap));
        }
        let mut owner = vec![usize::MAX; PARTITIONS];
        let mut nodes = Vec::new();
        for (addr, bitmap) in found.into_values() {
            for (p, slot) in owner.iter_mut().enumerate() {
                if bitmap[p >> 3] & (0x80 >> (p & 7)) != 0 {
                    *slot = nodes.len();
                }
            }
            nodes.push(addr);
        }
        match owner.iter().filter(|&&o| o == usize::MAX).count() {
            0 => Ok(Cluster { nodes, owner }),
            n => Err(invalid(format!(
                "{n} partitions of {namespace} have no master"
            ))),
        }
    }
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg)
}

/// Sends one info request to `addr` and returns its `name → value` lines.
pub fn info(addr: &str, commands: &[&str]) -> io::Result<BTreeMap<String, String>> {
    let mut s = TcpStream::connect(addr)?;
    s.write_all(&info_request(commands))?;
    let mut header = [0u8; 8];
    s.read_exact(&mut header)?;
    let mut body = vec![0u8; body_len(&header)];
    s.read_exact(&mut body)?;
    Ok(String::from_utf8_lossy(&body)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// The master column of namespace `ns` in a `replicas` value
/// (`<ns>:<regime>,<n>,<bitmap_0>,…` entries joined by `;`), decoded to 512 bytes.
fn master_bitmap(replicas: &str, ns: &str) -> Option<Vec<u8>> {
    let entry = replicas
        .split(';')
        .find_map(|e| e.strip_prefix(ns)?.strip_prefix(':'))?;
    let b64 = entry.split(',').nth(2)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    (bytes.len() == PARTITIONS / 8).then_some(bytes)
}

/// The peers' addresses in a `peers-clear-std` value: `<gen>,<port>,[[<id>,<tls>,[<host>[:<port>],…]],…]`.
/// A host without a port uses the default port. (IPv6 literals are not handled: the benchmark
/// runs on IPv4 loopback.)
fn peer_addresses(value: &str) -> Vec<String> {
    let mut parts = value.splitn(3, ',');
    let (_, port, list) = (
        parts.next(),
        parts.next().unwrap_or("3000"),
        parts.next().unwrap_or(""),
    );
    let mut out = Vec::new();
    let (mut depth, mut hosts) = (0, String::new());
    for c in list.chars() {
        match c {
            '[' => depth += 1,
            ']' => {
                if depth == 3 {
                    for h in hosts.split(',').filter(|h| !h.is_empty()) {
                        out.push(if h.contains(':') {
                            h.to_string()
                        } else {
                            format!("{h}:{port}")
                        });
                    }
                    hosts.clear();
                }
                depth -= 1;
            }
            _ if depth == 3 => hosts.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_name_every_host() {
        let v = "5,3000,[[BB9,,[127.0.0.1:3210]],[BB8,,[127.0.0.1,127.0.0.2:3001]]]";
        assert_eq!(
            peer_addresses(v),
            ["127.0.0.1:3210", "127.0.0.1:3000", "127.0.0.2:3001"]
        );
        assert!(peer_addresses("1,3000,[]").is_empty());
    }

    #[test]
    fn the_master_column_of_the_namespace() {
        let all = format!("{}//8=", "////".repeat(170));
        let none = format!("{}AAA=", "AAAA".repeat(170));
        let v = format!("bar:0,1,{none};test:0,2,{all},{none}");
        assert!(master_bitmap(&v, "test")
            .unwrap()
            .iter()
            .all(|&b| b == 0xFF));
        assert!(master_bitmap(&v, "bar").unwrap().iter().all(|&b| b == 0));
        assert!(master_bitmap("bar:0,1,x", "bar").is_none());
    }
}

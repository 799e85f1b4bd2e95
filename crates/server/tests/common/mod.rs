//! Request builders shared by the wire-level tests: proto frames, message fields and ops, in the
//! byte layouts of the Aerospike wire protocol.
#![allow(dead_code)]

use aerospike_embedded_server::{spawn, Clock, Config, ServerHandle};
use ripemd::{Digest, Ripemd160};
use tokio::io::{AsyncRead, AsyncWrite};

/// An embedded server with `config` on a free loopback port.
pub async fn start(config: Config) -> ServerHandle {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    spawn(listener, config).unwrap()
}

/// An embedded server with the default configuration and a clock the test can advance.
pub async fn start_with_clock() -> (ServerHandle, Clock) {
    let clock = Clock::system();
    let config = Config {
        clock: clock.clone(),
        ..Config::default()
    };
    (start(config).await, clock)
}

/// A record digest: RIPEMD-160 of set, key particle type and key bytes.
pub fn digest(set: &str, key_type: u8, key: &[u8]) -> [u8; 20] {
    let mut h = Ripemd160::new();
    h.update(set.as_bytes());
    h.update([key_type]);
    h.update(key);
    h.finalize().into()
}

/// The partition of a digest, as every client computes it: the first two bytes little-endian,
/// low 12 bits.
pub fn partition_of(d: &[u8; 20]) -> usize {
    (u16::from_le_bytes([d[0], d[1]]) & 4095) as usize
}

/// The digest of a string key.
pub fn str_digest(set: &str, key: &[u8]) -> [u8; 20] {
    digest(set, 3, key)
}

/// A proto frame: version 2, `kind`, 48-bit body length, then the body.
pub fn proto(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut v = ((2u64 << 56) | ((kind as u64) << 48) | body.len() as u64)
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(body);
    v
}

/// A message field: `u32 size (type + data), u8 type, data`.
pub fn field(kind: u8, data: &[u8]) -> Vec<u8> {
    let mut v = ((data.len() + 1) as u32).to_be_bytes().to_vec();
    v.push(kind);
    v.extend_from_slice(data);
    v
}

/// A message op: `u32 size, u8 op, u8 particle type, u8 version, u8 name length, name, value`.
pub fn op(code: u8, particle: u8, name: &str, value: &[u8]) -> Vec<u8> {
    let mut v = ((4 + name.len() + value.len()) as u32)
        .to_be_bytes()
        .to_vec();
    v.extend_from_slice(&[code, particle, 0, name.len() as u8]);
    v.extend_from_slice(name.as_bytes());
    v.extend_from_slice(value);
    v
}

/// An AS_MSG body: the 22-byte header (info1..3, generation, record ttl, a 1,000 ms transaction
/// ttl, field and op counts), then the fields and ops.
pub fn message(info: [u8; 3], gen: u32, ttl: u32, fields: &[Vec<u8>], ops: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![22, info[0], info[1], info[2], 0, 0];
    v.extend_from_slice(&gen.to_be_bytes());
    v.extend_from_slice(&ttl.to_be_bytes());
    v.extend_from_slice(&1000u32.to_be_bytes());
    v.extend_from_slice(&(fields.len() as u16).to_be_bytes());
    v.extend_from_slice(&(ops.len() as u16).to_be_bytes());
    v.extend(fields.iter().flatten());
    v.extend(ops.iter().flatten());
    v
}

/// Reads one proto from `s`: its type and body.
pub async fn read_frame<S: AsyncRead + Unpin>(s: &mut S) -> (u8, Vec<u8>) {
    use tokio::io::AsyncReadExt;
    let mut h = [0u8; 8];
    s.read_exact(&mut h).await.unwrap();
    assert_eq!(h[0], 2, "proto version");
    let len = u64::from_be_bytes([0, 0, h[2], h[3], h[4], h[5], h[6], h[7]]) as usize;
    let mut body = vec![0; len];
    s.read_exact(&mut body).await.unwrap();
    (h[1], body)
}

/// Reads one proto from `s` and returns its body.
pub async fn read_proto<S: AsyncRead + Unpin>(s: &mut S) -> Vec<u8> {
    read_frame(s).await.1
}

/// The namespace (`test`), set and DIGEST fields of a single-record command.
pub fn key_fields(set: &str, d: &[u8; 20]) -> Vec<Vec<u8>> {
    vec![field(0, b"test"), field(1, set.as_bytes()), field(4, d)]
}

/// Sends one proto of `kind` and returns the body of the reply proto.
pub async fn call<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S, kind: u8, body: &[u8]) -> Vec<u8> {
    use tokio::io::AsyncWriteExt;
    s.write_all(&proto(kind, body)).await.unwrap();
    // A TLS stream may hold the request until flushed.
    s.flush().await.unwrap();
    read_frame(s).await.1
}

/// A 22-byte reply header.
pub fn reply(result: u8, gen: u32, void: u32, n_ops: u16) -> Vec<u8> {
    let mut v = vec![22, 0, 0, 0, 0, result];
    v.extend_from_slice(&gen.to_be_bytes());
    v.extend_from_slice(&void.to_be_bytes());
    v.extend_from_slice(&0u32.to_be_bytes());
    v.extend_from_slice(&0u16.to_be_bytes());
    v.extend_from_slice(&n_ops.to_be_bytes());
    v
}

/// One message of a reply body: its 22-byte header, then its fields (`id | data`) and ops
/// (`op | particle | version | name length | name | value`), each without its u32 size.
pub struct Msg<'a> {
    pub header: &'a [u8],
    pub fields: Vec<&'a [u8]>,
    pub ops: Vec<&'a [u8]>,
}

impl Msg<'_> {
    pub fn result(&self) -> u8 {
        self.header[5]
    }

    pub fn info3(&self) -> u8 {
        self.header[3]
    }

    /// Whether this is the LAST message of a stream.
    pub fn last(&self) -> bool {
        self.info3() & 1 != 0
    }

    /// The ops as bins: (name, particle type, value).
    pub fn bins(&self) -> Vec<(String, u8, Vec<u8>)> {
        self.ops
            .iter()
            .map(|o| {
                let name = &o[4..4 + o[3] as usize];
                let value = &o[4 + name.len()..];
                (
                    String::from_utf8(name.to_vec()).unwrap(),
                    o[1],
                    value.to_vec(),
                )
            })
            .collect()
    }

    /// The transaction-ttl slot: a batch reply's row index.
    pub fn index(&self) -> u32 {
        u32::from_be_bytes(self.header[14..18].try_into().unwrap())
    }
}

/// The messages of a reply proto body, in order.
pub fn messages(mut body: &[u8]) -> Vec<Msg<'_>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let (header, mut rest) = body.split_at(22);
        let mut items = |n: u16| -> Vec<&[u8]> {
            (0..n)
                .map(|_| {
                    let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
                    let (item, after) = rest[4..].split_at(len);
                    rest = after;
                    item
                })
                .collect()
        };
        let fields = items(u16::from_be_bytes([header[18], header[19]]));
        let ops = items(u16::from_be_bytes([header[20], header[21]]));
        out.push(Msg {
            header,
            fields,
            ops,
        });
        body = rest;
    }
    out
}

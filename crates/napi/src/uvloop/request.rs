//! A single-record request of the facade (`codec.rs` format) as Aerospike wire bytes, for the
//! commands this path handles; anything else (`None`) takes the crate's path.
//!
//! Handled: get (all bins, named bins, header), put, exists, remove, and operate with scalar
//! operations (write, read, incr, append, prepend, touch, delete, read all, read header), with
//! keys and bin values of the scalar types. Not handled: filter expressions, list and map values
//! in requests, CDT/bit/HLL/expression/path operations. The flags follow the crate's encoding of
//! the same policy (`aerospike-core` `commands/buffer.rs`), so the server sees the same request.

use aerospike::{Bins, GenerationPolicy, Key, RecordExistsAction, Value, WritePolicy};
use aerospike_cdt::wire::msg::{self, put_field, Header};
use aerospike_cdt::wire::{op, particle, proto};

use crate::cdt_ops::Report;
use crate::client::{read_bin_selection, read_key, OpList};
use crate::codec::Reader;
use crate::policy::{self, Decode};

/// How a reply becomes the command's answer.
pub enum Shape {
    Get(Decode),
    Put,
    Exists,
    Remove,
    Operate(OpList, Decode),
}

/// A request ready to send, and what its reply needs.
pub struct Request {
    pub key: Key,
    /// Proto header included.
    pub wire: Vec<u8>,
    pub shape: Shape,
    pub is_write: bool,
    /// Client-side limits (ms, 0 = none) and retries, as the crate reads the policy.
    pub socket_ms: u32,
    pub total_ms: u32,
    pub retries: usize,
    /// Where the policy starts in the request bytes (`policy.rs`: `i32 totalTimeout, i32
    /// socketTimeout, i32 maxRetries, …`), to hand the crate what is left of them.
    pub policy_at: usize,
}

const INFO2_DURABLE_DELETE: u8 = 0x10;

/// The wire request for `kind` (the facade's command kinds) from its request bytes.
pub fn encode(kind: u8, req: &[u8]) -> Option<Request> {
    let mut r = Reader::new(req);
    let key = read_key(&mut r).ok()?;
    let policy_at = req.len() - r.remaining();
    let mut h = Header::default();
    let mut ops = Vec::new();
    let mut n_ops = 0u16;
    let (shape, base, send_key) = match kind {
        0 | 2 => {
            let (p, decode) = policy::read(&mut r).ok()?;
            h.info1 = msg::INFO1_READ;
            if kind == 2 {
                h.info1 |= msg::INFO1_GET_NO_BINS;
            } else {
                match read_bin_selection(&mut r).ok()? {
                    Bins::All => h.info1 |= msg::INFO1_GET_ALL,
                    Bins::None => {
                        // A header read names no bin in one read op, as the crate sends it.
                        h.info1 |= msg::INFO1_GET_NO_BINS;
                        put_op(&mut ops, op::READ, "", &Value::Nil)?;
                        n_ops = 1;
                    }
                    Bins::Some(names) => {
                        for name in &names {
                            put_op(&mut ops, op::READ, name, &Value::Nil)?;
                        }
                        n_ops = names.len() as u16;
                    }
                }
            }
            h.ttl = u32::from(p.base_policy.read_touch_ttl);
            let shape = if kind == 2 {
                Shape::Exists
            } else {
                Shape::Get(decode)
            };
            (shape, p.base_policy, false)
        }
        1 | 3 => {
            let p = policy::write(&mut r).ok()?;
            if kind == 1 {
                let n = r.count().ok()?;
                for _ in 0..n {
                    let name = r.str().ok()?;
                    put_op(&mut ops, op::WRITE, name, &r.value().ok()?)?;
                }
                n_ops = n as u16;
                write_header(&mut h, &p, msg::INFO2_WRITE);
            } else {
                write_header(&mut h, &p, msg::INFO2_WRITE | msg::INFO2_DELETE);
            }
            // A remove never sends the user key (the crate's `set_delete`).
            let (shape, send_key) = match kind {
                1 => (Shape::Put, p.send_key),
                _ => (Shape::Remove, false),
            };
            (shape, p.base_policy.clone(), send_key)
        }
        4 => {
            let (p, decode) = policy::write_decode(&mut r).ok()?;
            let (list, read, write) = operate_ops(r, &mut ops)?;
            n_ops = list.bins.len() as u16;
            let has_write = write != 0;
            if has_write {
                write_header(&mut h, &p, write);
                // Every op answers in its slot, unless a read-all asks for the whole record.
                if read & msg::INFO1_GET_ALL == 0 {
                    h.info2 |= msg::INFO2_RESPOND_ALL_OPS;
                }
            } else {
                // A read-only operate carries the read-touch percent where a write has its TTL.
                h.ttl = u32::from(p.base_policy.read_touch_ttl);
            }
            h.info1 |= read;
            (
                Shape::Operate(list, decode),
                p.base_policy.clone(),
                p.send_key && has_write,
            )
        }
        _ => return None,
    };
    if base.filter_expression.is_some() {
        return None;
    }
    let is_write = h.info2 & msg::INFO2_WRITE != 0;
    // As the crate: an attempt waits the smaller of the two limits; the server is told it only
    // when there is a total limit.
    let socket_ms = match (base.socket_timeout, base.total_timeout) {
        (0, t) | (t, 0) => t,
        (s, t) => s.min(t),
    };
    h.txn_ttl = if base.total_timeout > 0 { socket_ms } else { 0 };
    h.n_ops = n_ops;
    let wire = frame(&key, h, send_key, &ops)?;
    Some(Request {
        key,
        wire,
        shape,
        is_write,
        socket_ms,
        total_ms: base.total_timeout,
        retries: base.max_retries,
        policy_at,
    })
}

/// The flags and metadata of a write (`write_header_with_policy` in the crate).
fn write_header(h: &mut Header, p: &WritePolicy, info2: u8) {
    h.info2 |= info2;
    match p.record_exists_action {
        RecordExistsAction::Update => {}
        RecordExistsAction::UpdateOnly => h.info3 |= msg::INFO3_UPDATE_ONLY,
        RecordExistsAction::Replace => h.info3 |= msg::INFO3_CREATE_OR_REPLACE,
        RecordExistsAction::ReplaceOnly => h.info3 |= msg::INFO3_REPLACE_ONLY,
        RecordExistsAction::CreateOnly => h.info2 |= msg::INFO2_CREATE_ONLY,
    }
    match p.generation_policy {
        GenerationPolicy::None => {}
        GenerationPolicy::ExpectGenEqual => {
            h.generation = p.generation;
            h.info2 |= msg::INFO2_GENERATION;
        }
        GenerationPolicy::ExpectGenGreater => {
            h.generation = p.generation;
            h.info2 |= msg::INFO2_GENERATION_GT;
        }
    }
    if p.durable_delete {
        h.info2 |= INFO2_DURABLE_DELETE;
    }
    h.ttl = u32::from(p.expiration);
}

/// Wire ops of an operate's scalar operations (the facade's kinds 0–8); `None` for any other.
/// Returns how its answers are shaped (as `client::read_ops` reads the same operations, without
/// the crate's operations) and its read and write flags.
fn operate_ops(mut r: Reader<'_>, out: &mut Vec<u8>) -> Option<(OpList, u8, u8)> {
    let (mut read, mut write) = (0u8, 0u8);
    let n = r.count().ok()?;
    let mut list = OpList {
        ops: Vec::new(),
        bins: Vec::with_capacity(n),
        report: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let kind = r.u8().ok()?;
        let (bin, report) = match kind {
            0 | 2 | 3 | 4 => {
                let name = r.str().ok()?;
                let code = [op::WRITE, 0, op::INCR, op::APPEND, op::PREPEND][kind as usize];
                put_op(out, code, name, &r.value().ok()?)?;
                write = msg::INFO2_WRITE;
                (Some(name.to_owned()), Report::Silent)
            }
            1 => {
                let name = r.str().ok()?;
                put_op(out, op::READ, name, &Value::Nil)?;
                read |= msg::INFO1_READ;
                (Some(name.to_owned()), Report::Value)
            }
            5 | 6 => {
                let code = if kind == 5 { op::TOUCH } else { op::DELETE_ALL };
                put_op(out, code, "", &Value::Nil)?;
                write = msg::INFO2_WRITE;
                (None, Report::Silent)
            }
            7 => {
                put_op(out, op::READ, "", &Value::Nil)?;
                read |= msg::INFO1_READ | msg::INFO1_GET_ALL;
                (None, Report::Value)
            }
            8 => {
                put_op(out, op::READ, "", &Value::Nil)?;
                read |= msg::INFO1_READ | msg::INFO1_GET_NO_BINS;
                (None, Report::Value)
            }
            _ => return None,
        };
        list.bins.push(bin);
        list.report.push(report);
    }
    Some((list, read, write))
}

/// The particle of a scalar value; `None` for the types this path does not encode.
fn particle_of(v: &Value) -> Option<(u8, ParticleBytes<'_>)> {
    Some(match v {
        Value::Nil => (particle::NULL, ParticleBytes::Slice(&[])),
        Value::Int(i) => (particle::INTEGER, ParticleBytes::Eight(i.to_be_bytes())),
        Value::Float(f) => (
            particle::FLOAT,
            ParticleBytes::Eight(f64::from(f).to_be_bytes()),
        ),
        Value::String(s) => (particle::STRING, ParticleBytes::Slice(s.as_bytes())),
        Value::Blob(b) => (particle::BLOB, ParticleBytes::Slice(b)),
        Value::Bool(b) => (particle::BOOL, ParticleBytes::One([*b as u8])),
        _ => return None,
    })
}

enum ParticleBytes<'a> {
    Slice(&'a [u8]),
    Eight([u8; 8]),
    One([u8; 1]),
}

impl ParticleBytes<'_> {
    fn as_slice(&self) -> &[u8] {
        match self {
            ParticleBytes::Slice(s) => s,
            ParticleBytes::Eight(b) => b,
            ParticleBytes::One(b) => b,
        }
    }
}

/// Appends one op; bin names over 15 bytes are left to the crate (which refuses them).
fn put_op(out: &mut Vec<u8>, code: u8, name: &str, v: &Value) -> Option<()> {
    if name.len() > 15 {
        return None;
    }
    let (pt, bytes) = particle_of(v)?;
    let bytes = bytes.as_slice();
    out.extend_from_slice(&msg::op_head(code, pt, name.len(), bytes.len()));
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(bytes);
    Some(())
}

/// Proto header, message header, key fields and ops.
fn frame(key: &Key, mut h: Header, send_key: bool, ops: &[u8]) -> Option<Vec<u8>> {
    let user_key = match (key.user_key(), send_key) {
        (Some(v), true) => Some(particle_of(v)?),
        _ => None,
    };
    let set = key.set_name();
    h.n_fields = 2 + !set.is_empty() as u16 + user_key.is_some() as u16;
    let mut buf = Vec::with_capacity(96 + ops.len());
    buf.extend_from_slice(&[0; proto::HEADER_LEN]);
    buf.extend_from_slice(&h.encode());
    put_field(
        &mut buf,
        msg::FIELD_NAMESPACE,
        &[key.namespace().as_bytes()],
    );
    if !set.is_empty() {
        put_field(&mut buf, msg::FIELD_SET, &[set.as_bytes()]);
    }
    put_field(&mut buf, msg::FIELD_DIGEST, &[&key.digest()]);
    if let Some((pt, bytes)) = &user_key {
        put_field(&mut buf, msg::FIELD_KEY, &[&[*pt], bytes.as_slice()]);
    }
    buf.extend_from_slice(ops);
    let body = buf.len() - proto::HEADER_LEN;
    buf[..proto::HEADER_LEN].copy_from_slice(&proto::header(proto::TYPE_MSG, body));
    Some(buf)
}

#[cfg(test)]
mod tests {
    use crate::client::read_ops;
    use crate::codec::{Reader, Writer, INT, STR};

    /// A value as the facade writes it into a request.
    enum Value {
        Int(i64),
        Str(&'static str),
    }

    /// The facade's operations of every kind this path encodes: `(kind, bin, value)`.
    fn request(ops: &[(u8, &str, Option<Value>)]) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(ops.len() as u32);
        for (kind, bin, value) in ops {
            w.u8(*kind);
            if matches!(kind, 0..=4) {
                w.str(bin);
            }
            match value {
                Some(Value::Int(i)) => {
                    w.u8(INT);
                    w.buf.extend_from_slice(&i.to_le_bytes());
                }
                Some(Value::Str(t)) => {
                    w.u8(STR);
                    w.str(t);
                }
                None => {}
            }
        }
        w.buf
    }

    #[test]
    fn shapes_answers_as_the_crate_paths_operations() {
        let req = request(&[
            (0, "w", Some(Value::Int(1))),
            (1, "r", None),
            (2, "i", Some(Value::Int(2))),
            (3, "a", Some(Value::Str("x"))),
            (4, "p", Some(Value::Str("y"))),
            (5, "", None),
            (6, "", None),
            (7, "", None),
            (8, "", None),
        ]);
        let mut ops = Vec::new();
        let (list, _, _) = super::operate_ops(Reader::new(&req), &mut ops).expect("scalar ops");
        let full = read_ops(&mut Reader::new(&req)).expect("the crate path reads them");
        assert_eq!(list.bins, full.bins);
        assert_eq!(list.report, full.report);
        assert_eq!(full.ops.len(), list.bins.len());
    }
}

//! A small AS_MSG encoder, just enough for the benchmark's requests (the layout is in
//! shared/docs/aerospike-wire-protocol.md §1.2 and §3; the constants are the server's).

use ripemd::{Digest, Ripemd160};

/// Proto types in the 8-byte header.
pub const PROTO_INFO: u8 = 1;
pub const PROTO_MSG: u8 = 3;

// Header flags.
pub const INFO1_READ: u8 = 0x01;
pub const INFO1_GET_ALL: u8 = 0x02;
pub const INFO1_BATCH: u8 = 0x08;
pub const INFO2_WRITE: u8 = 0x01;
pub const INFO3_LAST: u8 = 0x01;
pub const INFO3_PARTITION_DONE: u8 = 0x04;

// Field types.
pub const FIELD_NAMESPACE: u8 = 0;
pub const FIELD_SET: u8 = 1;
pub const FIELD_DIGEST: u8 = 4;
pub const FIELD_TRID: u8 = 7;
pub const FIELD_PID_ARRAY: u8 = 11;
pub const FIELD_INDEX_RANGE: u8 = 22;
pub const FIELD_BATCH_INDEX: u8 = 41;

// Op codes and particle types.
pub const OP_READ: u8 = 1;
pub const OP_WRITE: u8 = 2;
pub const OP_INCR: u8 = 5;
pub const PARTICLE_NULL: u8 = 0;
pub const PARTICLE_INTEGER: u8 = 1;
pub const PARTICLE_FLOAT: u8 = 2;
pub const PARTICLE_STRING: u8 = 3;

/// Length of the AS_MSG header that follows the proto header.
pub const MSG_HEADER_LEN: usize = 22;

/// The fixed part of a request (the rest of the 22 bytes are zero).
#[derive(Debug, Clone, Copy, Default)]
pub struct Head {
    pub info1: u8,
    pub info2: u8,
    pub info3: u8,
    pub record_ttl: u32,
    /// Server-side timeout in milliseconds.
    pub txn_ttl: u32,
}

/// One op: code, particle type, bin name, value bytes.
#[derive(Debug, Clone, Copy)]
pub struct Op<'a> {
    pub code: u8,
    pub particle: u8,
    pub bin: &'a str,
    pub value: &'a [u8],
}

/// The 8-byte proto header: version 2, `kind`, 48-bit body length.
pub fn proto_header(kind: u8, body_len: usize) -> [u8; 8] {
    ((2u64 << 56) | ((kind as u64) << 48) | body_len as u64).to_be_bytes()
}

/// The body length a proto header announces.
pub fn body_len(header: &[u8]) -> usize {
    let mut b = [0u8; 8];
    b.copy_from_slice(&header[..8]);
    (u64::from_be_bytes(b) & 0xFFFF_FFFF_FFFF) as usize
}

/// A whole type-3 proto: header, fields `(type, data)`, ops.
pub fn message(head: Head, fields: &[(u8, &[u8])], ops: &[Op]) -> Vec<u8> {
    let mut out = vec![0u8; 8];
    out.extend_from_slice(&[
        MSG_HEADER_LEN as u8,
        head.info1,
        head.info2,
        head.info3,
        0,
        0,
    ]);
    out.extend_from_slice(&0u32.to_be_bytes()); // generation
    out.extend_from_slice(&head.record_ttl.to_be_bytes());
    out.extend_from_slice(&head.txn_ttl.to_be_bytes());
    out.extend_from_slice(&(fields.len() as u16).to_be_bytes());
    out.extend_from_slice(&(ops.len() as u16).to_be_bytes());
    for (kind, data) in fields {
        put_field(&mut out, *kind, data);
    }
    for op in ops {
        put_op(&mut out, op);
    }
    let header = proto_header(PROTO_MSG, out.len() - 8);
    out[..8].copy_from_slice(&header);
    out
}

/// Appends one field: size (of type and data), type, data.
pub fn put_field(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32 + 1).to_be_bytes());
    out.push(kind);
    out.extend_from_slice(data);
}

/// Appends one op: size (of what follows it), op code, particle type, version, name length,
/// name, value.
pub fn put_op(out: &mut Vec<u8>, op: &Op) {
    let size = 4 + op.bin.len() + op.value.len();
    out.extend_from_slice(&(size as u32).to_be_bytes());
    out.extend_from_slice(&[op.code, op.particle, 0, op.bin.len() as u8]);
    out.extend_from_slice(op.bin.as_bytes());
    out.extend_from_slice(op.value);
}

/// An info request: `\n`-terminated commands in one type-1 proto.
pub fn info_request(commands: &[&str]) -> Vec<u8> {
    let body: String = commands.iter().map(|c| format!("{c}\n")).collect();
    let mut out = proto_header(PROTO_INFO, body.len()).to_vec();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The digest of a string key in `set`: RIPEMD-160 over set name, particle type, key bytes.
pub fn string_key_digest(set: &str, key: &str) -> [u8; 20] {
    Ripemd160::new()
        .chain_update(set)
        .chain_update([PARTICLE_STRING])
        .chain_update(key)
        .finalize()
        .into()
}

/// The partition a digest falls in: the low 12 bits of its first two bytes, little-endian.
pub fn partition_of(digest: &[u8; 20]) -> usize {
    (u16::from_le_bytes([digest[0], digest[1]]) & 4095) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn digest_matches_the_protocol_test_vector() {
        let d = string_key_digest("demo", "key1");
        assert_eq!(hex(&d), "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960");
        assert_eq!(partition_of(&d), 492);
    }

    #[test]
    fn a_get_encodes_as_the_protocol_example() {
        let d = string_key_digest("demo", "key1");
        let head = Head {
            info1: INFO1_READ | INFO1_GET_ALL,
            txn_ttl: 1000,
            ..Head::default()
        };
        let fields: [(u8, &[u8]); 3] = [
            (FIELD_NAMESPACE, b"test"),
            (FIELD_SET, b"demo"),
            (FIELD_DIGEST, &d),
        ];
        let m = message(head, &fields, &[]);
        assert_eq!(
            hex(&m[..30]),
            "02030000000000411603000000000000000000000000000003e800030000"
        );
        assert_eq!(body_len(&m), m.len() - 8);
    }
}

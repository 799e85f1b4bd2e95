//! The AS_MSG header: its layout, its info bits and the field types that follow it.

/// Length of the AS_MSG header (its first byte says so too).
pub const HEADER_LEN: usize = 22;

// info1 flags.
pub const INFO1_READ: u8 = 0x01;
pub const INFO1_GET_ALL: u8 = 0x02;
pub const INFO1_BATCH: u8 = 0x08;
pub const INFO1_GET_NO_BINS: u8 = 0x20;
// info2 flags.
pub const INFO2_WRITE: u8 = 0x01;
pub const INFO2_DELETE: u8 = 0x02;
pub const INFO2_GENERATION: u8 = 0x04;
pub const INFO2_GENERATION_GT: u8 = 0x08;
pub const INFO2_CREATE_ONLY: u8 = 0x20;
pub const INFO2_RESPOND_ALL_OPS: u8 = 0x80;
// info3 flags.
pub const INFO3_LAST: u8 = 0x01;
pub const INFO3_PARTITION_DONE: u8 = 0x04;
pub const INFO3_UPDATE_ONLY: u8 = 0x08;
pub const INFO3_CREATE_OR_REPLACE: u8 = 0x10;
pub const INFO3_REPLACE_ONLY: u8 = 0x20;

// Field types.
pub const FIELD_NAMESPACE: u8 = 0;
pub const FIELD_SET: u8 = 1;
pub const FIELD_KEY: u8 = 2;
pub const FIELD_DIGEST: u8 = 4;
pub const FIELD_MRT_ID: u8 = 5;
pub const FIELD_TRID: u8 = 7;
pub const FIELD_SOCKET_TIMEOUT: u8 = 9;
pub const FIELD_PID_ARRAY: u8 = 11;
pub const FIELD_DIGEST_ARRAY: u8 = 12;
pub const FIELD_MAX_RECORDS: u8 = 13;
/// BVAL_ARRAY: int64 little-endian index values, one per DIGEST_ARRAY entry of an index query
/// resumed after those records (and one in each record of an index query's reply).
pub const FIELD_BVAL_ARRAY: u8 = 15;
pub const FIELD_INDEX_NAME: u8 = 21;
pub const FIELD_INDEX_RANGE: u8 = 22;
pub const FIELD_INDEX_CONTEXT: u8 = 23;
pub const FIELD_INDEX_EXPRESSION: u8 = 24;
pub const FIELD_INDEX_TYPE: u8 = 26;
pub const FIELD_UDF_FILENAME: u8 = 30;
pub const FIELD_UDF_FUNCTION: u8 = 31;
pub const FIELD_UDF_ARGLIST: u8 = 32;
pub const FIELD_UDF_OP: u8 = 33;
pub const FIELD_BATCH_INDEX: u8 = 41;
pub const FIELD_BATCH_INDEX_WITH_SET: u8 = 42;
pub const FIELD_FILTER_EXP: u8 = 43;

/// The fixed part of a request or reply. In a batch reply `txn_ttl` carries the row's index,
/// and `ttl` a record's void time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Header {
    pub info1: u8,
    pub info2: u8,
    pub info3: u8,
    pub info4: u8,
    pub result: u8,
    pub generation: u32,
    pub ttl: u32,
    pub txn_ttl: u32,
    pub n_fields: u16,
    pub n_ops: u16,
}

impl Header {
    /// Reads the fixed 22 bytes (the caller checks the size byte, `b[0]`).
    pub fn decode(b: &[u8; HEADER_LEN]) -> Header {
        let be32 = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Header {
            info1: b[1],
            info2: b[2],
            info3: b[3],
            info4: b[4],
            result: b[5],
            generation: be32(6),
            ttl: be32(10),
            txn_ttl: be32(14),
            n_fields: u16::from_be_bytes([b[18], b[19]]),
            n_ops: u16::from_be_bytes([b[20], b[21]]),
        }
    }

    /// The 22 bytes on the wire.
    #[inline]
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut b = [0u8; HEADER_LEN];
        b[0] = HEADER_LEN as u8;
        b[1..6].copy_from_slice(&[self.info1, self.info2, self.info3, self.info4, self.result]);
        b[6..10].copy_from_slice(&self.generation.to_be_bytes());
        b[10..14].copy_from_slice(&self.ttl.to_be_bytes());
        b[14..18].copy_from_slice(&self.txn_ttl.to_be_bytes());
        b[18..20].copy_from_slice(&self.n_fields.to_be_bytes());
        b[20..22].copy_from_slice(&self.n_ops.to_be_bytes());
        b
    }
}

/// Appends one field whose data is the concatenation of `parts`: `size (4) | type | data`.
pub fn put_field(buf: &mut Vec<u8>, kind: u8, parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    buf.extend_from_slice(&((len + 1) as u32).to_be_bytes());
    buf.push(kind);
    for p in parts {
        buf.extend_from_slice(p);
    }
}

/// The 8 bytes in front of an op's name: `size (4) | op type | particle | flags | name length`.
pub fn op_head(code: u8, particle: u8, name_len: usize, value_len: usize) -> [u8; 8] {
    let mut head = [0u8; 8];
    head[..4].copy_from_slice(&((4 + name_len + value_len) as u32).to_be_bytes());
    head[4..].copy_from_slice(&[code, particle, 0, name_len as u8]);
    head
}

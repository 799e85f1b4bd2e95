//! Request builders shared by the wire-level tests: proto frames, message fields and ops, in the
//! byte layouts of the Aerospike wire protocol.
#![allow(dead_code)]

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

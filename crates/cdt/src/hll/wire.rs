//! The form in which HLL elements are hashed.
//!
//! HLL elements are hashed as their msgpack bytes, so they are taken from the payload as bytes
//! (then compacted as the server compacts them) rather than decoded into values.

use crate::msgpack::write::{ext_header, int, str_header, uint};
use crate::msgpack::Reader;

/// Rewrites one scalar into the form the server hashes. Integers take their smallest encoding
/// (non-negative ones as unsigned). Strings, bins and exts get the smallest header that the
/// server's compaction picks; like the server, a `bin 8` longer than 31 bytes (and a longer
/// `bin 16` / `bin 32`) keeps its header, and bins become strings when rewritten.
pub(super) fn compact(raw: &[u8]) -> Vec<u8> {
    let v = Reader::new(raw).int().unwrap_or(0);
    let b = raw[0];
    let mut out = Vec::with_capacity(raw.len());
    match b {
        0xcc..=0xcf => uint(v as u64, &mut out),
        0xd0..=0xd3 => int(v, &mut out),
        0xc4..=0xc6 | 0xd9..=0xdb => {
            let width = 1usize << ((b - if b >= 0xd9 { 0xd9 } else { 0xc4 }) as usize);
            let len = raw.len() - 1 - width;
            let max = [0x1f, 0xff, 0xffff][width.trailing_zeros() as usize];
            if len > max {
                return raw.to_vec();
            }
            str_header(len, &mut out);
            out.extend_from_slice(&raw[1 + width..]);
        }
        0xc7..=0xc9 => {
            let width = 1usize << (b - 0xc7);
            let len = raw.len() - 2 - width;
            let rewrite = match b {
                0xc7 => matches!(len, 1 | 2 | 4 | 8 | 16),
                0xc8 => len <= 0xff,
                _ => len <= 0xffff,
            };
            if !rewrite {
                return raw.to_vec();
            }
            ext_header(len, raw[1 + width], &mut out);
            out.extend_from_slice(&raw[2 + width..]);
        }
        _ => return raw.to_vec(),
    }
    out
}

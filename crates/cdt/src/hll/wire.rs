//! Raw msgpack reading for HLL op payloads.
//!
//! HLL elements are hashed as their msgpack bytes, so they are taken from the payload as bytes
//! (then compacted as the server compacts them) rather than decoded into values.

/// A read position in a msgpack buffer. Every read returns `None` on a type mismatch or a
/// truncated buffer.
pub(super) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(buf: &'a [u8]) -> Self {
        Cursor { buf, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn be(&mut self, n: usize) -> Option<u64> {
        Some(
            self.take(n)?
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        )
    }

    /// Whether the next value is a list header.
    pub(super) fn at_list(&self) -> bool {
        matches!(self.peek(), Some(0x90..=0x9f | 0xdc | 0xdd))
    }

    /// Whether the next value is a list or a map.
    pub(super) fn at_collection(&self) -> bool {
        matches!(self.peek(), Some(0x80..=0x9f | 0xdc..=0xdf))
    }

    /// A list header's element count.
    pub(super) fn list_len(&mut self) -> Option<usize> {
        let b = self.peek()?;
        let n = match b {
            0x90..=0x9f => {
                self.pos += 1;
                u64::from(b & 0x0f)
            }
            0xdc | 0xdd => {
                self.pos += 1;
                self.be(if b == 0xdc { 2 } else { 4 })?
            }
            _ => return None,
        };
        Some(n as usize)
    }

    /// Any integer as a u64 (negative values two's complement), as the server reads op
    /// parameters.
    pub(super) fn uint(&mut self) -> Option<u64> {
        let b = self.peek()?;
        let start = self.pos;
        self.pos += 1;
        let v = match b {
            0x00..=0x7f => u64::from(b),
            0xe0..=0xff => b as i8 as i64 as u64,
            0xcc..=0xcf => self.be(1 << (b - 0xcc))?,
            0xd0..=0xd3 => {
                let n = 1usize << (b - 0xd0);
                let raw = self.be(n)?;
                let shift = 64 - 8 * n as u32;
                ((raw << shift) as i64 >> shift) as u64
            }
            _ => {
                self.pos = start;
                return None;
            }
        };
        Some(v)
    }

    /// A string or bin payload (with its leading particle-type byte).
    pub(super) fn bin(&mut self) -> Option<&'a [u8]> {
        let b = self.peek()?;
        self.pos += 1;
        let n = match b {
            0xa0..=0xbf => u64::from(b & 0x1f),
            0xc4 | 0xd9 => self.be(1)?,
            0xc5 | 0xda => self.be(2)?,
            0xc6 | 0xdb => self.be(4)?,
            _ => return None,
        };
        self.take(n as usize)
    }

    /// The raw bytes of the next scalar value (lists and maps are refused by the caller first).
    pub(super) fn scalar(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        let b = self.peek()?;
        self.pos += 1;
        let body = match b {
            0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => 0,
            0xa0..=0xbf => usize::from(b & 0x1f),
            0xcc | 0xd0 => 1,
            0xcd | 0xd1 => 2,
            0xca | 0xce | 0xd2 => 4,
            0xcb | 0xcf | 0xd3 => 8,
            0xc4 | 0xd9 => self.be(1)? as usize,
            0xc5 | 0xda => self.be(2)? as usize,
            0xc6 | 0xdb => self.be(4)? as usize,
            0xd4 => 2,
            0xd5 => 3,
            0xd6 => 5,
            0xd7 => 9,
            0xd8 => 17,
            0xc7 => self.be(1)? as usize + 1,
            0xc8 => self.be(2)? as usize + 1,
            0xc9 => self.be(4)? as usize + 1,
            _ => return None,
        };
        self.take(body)?;
        Some(&self.buf[start..self.pos])
    }
}

/// Rewrites one scalar into the form the server hashes. Integers take their smallest encoding
/// (non-negative ones as unsigned). Strings, bins and exts get the smallest header that the
/// server's compaction picks; like the server, a `bin 8` longer than 31 bytes (and a longer
/// `bin 16` / `bin 32`) keeps its header, and bins become strings when rewritten.
pub(super) fn compact(raw: &[u8]) -> Vec<u8> {
    let mut c = Cursor::new(raw);
    let b = raw[0];
    let mut out = Vec::with_capacity(raw.len());
    match b {
        0xcc..=0xcf => pack_uint(c.uint().unwrap_or(0), &mut out),
        0xd0..=0xd3 => {
            let v = c.uint().unwrap_or(0) as i64;
            if v >= 0 {
                pack_uint(v as u64, &mut out);
            } else {
                pack_neg(v, &mut out);
            }
        }
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

fn pack_uint(v: u64, out: &mut Vec<u8>) {
    if v < 0x80 {
        out.push(v as u8);
    } else if v <= 0xff {
        out.extend_from_slice(&[0xcc, v as u8]);
    } else if v <= 0xffff {
        out.push(0xcd);
        out.extend_from_slice(&(v as u16).to_be_bytes());
    } else if v <= 0xffff_ffff {
        out.push(0xce);
        out.extend_from_slice(&(v as u32).to_be_bytes());
    } else {
        out.push(0xcf);
        out.extend_from_slice(&v.to_be_bytes());
    }
}

fn pack_neg(v: i64, out: &mut Vec<u8>) {
    if v >= -32 {
        out.push(v as u8);
    } else if v >= i64::from(i8::MIN) {
        out.extend_from_slice(&[0xd0, v as u8]);
    } else if v >= i64::from(i16::MIN) {
        out.push(0xd1);
        out.extend_from_slice(&(v as i16).to_be_bytes());
    } else if v >= i64::from(i32::MIN) {
        out.push(0xd2);
        out.extend_from_slice(&(v as i32).to_be_bytes());
    } else {
        out.push(0xd3);
        out.extend_from_slice(&v.to_be_bytes());
    }
}

fn str_header(len: usize, out: &mut Vec<u8>) {
    if len < 32 {
        out.push(0xa0 | len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0xd9, len as u8]);
    } else if len < 0x1_0000 {
        out.push(0xda);
        out.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(len as u32).to_be_bytes());
    }
}

fn ext_header(len: usize, ty: u8, out: &mut Vec<u8>) {
    match len {
        1 => out.push(0xd4),
        2 => out.push(0xd5),
        4 => out.push(0xd6),
        8 => out.push(0xd7),
        16 => out.push(0xd8),
        0..=0xff => out.extend_from_slice(&[0xc7, len as u8]),
        _ => {
            out.push(0xc8);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
    }
    out.push(ty);
}

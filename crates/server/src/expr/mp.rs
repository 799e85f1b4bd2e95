//! A bounds-checked msgpack cursor over an expression's bytes: it reads headers and scalars one
//! at a time and can step over a whole element, returning its raw bytes. Expressions are
//! parsed from this shape (arrays whose first element is an op code), so the builder needs the
//! exact element boundaries that a decoded value tree would lose.

/// What the next element is, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Nil,
    Bool,
    Int,
    Float,
    /// str or bin family.
    Bytes,
    Array,
    Map,
    /// ext family (wildcard, infinity, ordering markers).
    Ext,
    Invalid,
}

/// A reader over msgpack bytes.
pub struct Mp<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Mp<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Mp { buf, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn be(&mut self, n: usize) -> Option<u64> {
        Some(self.take(n)?.iter().fold(0u64, |a, &b| (a << 8) | b as u64))
    }

    /// The kind of the next element (without consuming it).
    pub fn peek(&self) -> Kind {
        match self.buf.get(self.pos) {
            None => Kind::Invalid,
            Some(&b) => kind_of(b),
        }
    }

    /// Consumes an array header and returns its element count.
    pub fn array(&mut self) -> Option<usize> {
        let save = self.pos;
        let n = match self.take(1)?[0] {
            b @ 0x90..=0x9f => Some((b & 0x0f) as usize),
            0xdc => self.be(2).map(|n| n as usize),
            0xdd => self.be(4).map(|n| n as usize),
            _ => None,
        };
        if n.is_none() {
            self.pos = save;
        }
        n
    }

    /// Reads any integer as i64 (unsigned values above `i64::MAX` wrap, as the server's reader
    /// does).
    pub fn int(&mut self) -> Option<i64> {
        let save = self.pos;
        let b = self.take(1)?[0];
        let v = match b {
            0x00..=0x7f => Some(b as i64),
            0xe0..=0xff => Some(b as i8 as i64),
            0xcc => self.be(1).map(|v| v as i64),
            0xcd => self.be(2).map(|v| v as i64),
            0xce => self.be(4).map(|v| v as i64),
            0xcf => self.be(8).map(|v| v as i64),
            0xd0 => self.be(1).map(|v| v as u8 as i8 as i64),
            0xd1 => self.be(2).map(|v| v as u16 as i16 as i64),
            0xd2 => self.be(4).map(|v| v as u32 as i32 as i64),
            0xd3 => self.be(8).map(|v| v as i64),
            _ => None,
        };
        if v.is_none() {
            self.pos = save;
        }
        v
    }

    /// Reads a non-negative integer.
    pub fn uint(&mut self) -> Option<u64> {
        let save = self.pos;
        match self.int() {
            Some(v) if v >= 0 || matches!(self.buf.get(save), Some(0xcf)) => Some(v as u64),
            _ => {
                self.pos = save;
                None
            }
        }
    }

    /// Reads a float (float32 or float64).
    pub fn float(&mut self) -> Option<f64> {
        let save = self.pos;
        let v = match self.take(1)?[0] {
            0xca => self.be(4).map(|b| f32::from_bits(b as u32) as f64),
            0xcb => self.be(8).map(f64::from_bits),
            _ => None,
        };
        if v.is_none() {
            self.pos = save;
        }
        v
    }

    /// Reads a bool.
    pub fn bool(&mut self) -> Option<bool> {
        match self.buf.get(self.pos) {
            Some(0xc2) => {
                self.pos += 1;
                Some(false)
            }
            Some(0xc3) => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// Reads a str or bin payload (raw, particle prefix included).
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let save = self.pos;
        let n = match self.take(1)?[0] {
            b @ 0xa0..=0xbf => Some((b & 0x1f) as usize),
            0xc4 | 0xd9 => self.be(1).map(|n| n as usize),
            0xc5 | 0xda => self.be(2).map(|n| n as usize),
            0xc6 | 0xdb => self.be(4).map(|n| n as usize),
            _ => None,
        };
        let out = n.and_then(|n| self.take(n));
        if out.is_none() {
            self.pos = save;
        }
        out
    }

    /// Steps over one whole element and returns its bytes.
    pub fn skip(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        let mut pending: u64 = 1;
        while pending > 0 {
            pending -= 1;
            let b = self.take(1)?[0];
            let (len, children): (u64, u64) = match b {
                0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, 0),
                0x80..=0x8f => (0, 2 * (b & 0x0f) as u64),
                0x90..=0x9f => (0, (b & 0x0f) as u64),
                0xa0..=0xbf => ((b & 0x1f) as u64, 0),
                0xc4 | 0xd9 => (self.be(1)?, 0),
                0xc5 | 0xda => (self.be(2)?, 0),
                0xc6 | 0xdb => (self.be(4)?, 0),
                0xc7 => (self.be(1)? + 1, 0),
                0xc8 => (self.be(2)? + 1, 0),
                0xc9 => (self.be(4)? + 1, 0),
                0xca => (4, 0),
                0xcb => (8, 0),
                0xcc | 0xd0 => (1, 0),
                0xcd | 0xd1 => (2, 0),
                0xce | 0xd2 => (4, 0),
                0xcf | 0xd3 => (8, 0),
                0xd4 => (2, 0),
                0xd5 => (3, 0),
                0xd6 => (5, 0),
                0xd7 => (9, 0),
                0xd8 => (17, 0),
                0xdc => (0, self.be(2)?),
                0xdd => (0, self.be(4)?),
                0xde => (0, 2 * self.be(2)?),
                0xdf => (0, 2 * self.be(4)?),
                _ => return None, // 0xc1 is never used
            };
            self.take(len as usize)?;
            // Every element takes at least one byte: a count the buffer cannot hold is a lie.
            pending = pending.checked_add(children)?;
            if pending > (self.buf.len() - self.pos) as u64 {
                return None;
            }
        }
        Some(&self.buf[start..self.pos])
    }
}

fn kind_of(b: u8) -> Kind {
    match b {
        0xc0 => Kind::Nil,
        0xc2 | 0xc3 => Kind::Bool,
        0x00..=0x7f | 0xe0..=0xff | 0xcc..=0xcf | 0xd0..=0xd3 => Kind::Int,
        0xca | 0xcb => Kind::Float,
        0xa0..=0xbf | 0xc4..=0xc6 | 0xd9..=0xdb => Kind::Bytes,
        0x90..=0x9f | 0xdc | 0xdd => Kind::Array,
        0x80..=0x8f | 0xde | 0xdf => Kind::Map,
        0xc7..=0xc9 | 0xd4..=0xd8 => Kind::Ext,
        _ => Kind::Invalid,
    }
}

/// Appends a msgpack array header.
pub fn array_header(n: usize, out: &mut Vec<u8>) {
    if n < 16 {
        out.push(0x90 | n as u8);
    } else if n <= 0xffff {
        out.push(0xdc);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(0xdd);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
}

/// Appends a msgpack str whose payload is a particle type byte and `data`.
pub fn typed_bytes(particle: u8, data: &[u8], out: &mut Vec<u8>) {
    let n = data.len() + 1;
    if n < 32 {
        out.push(0xa0 | n as u8);
    } else if n <= 0xff {
        out.extend_from_slice(&[0xd9, n as u8]);
    } else if n <= 0xffff {
        out.push(0xda);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else {
        out.push(0xdb);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    }
    out.push(particle);
    out.extend_from_slice(data);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_whole_elements() {
        // [1, {"a": [2, 3]}, ext] then a trailing 7.
        let buf = [0x93, 1, 0x81, 0xa1, b'a', 0x92, 2, 3, 0xd4, 0xff, 1, 7];
        let mut mp = Mp::new(&buf);
        assert_eq!(mp.skip().map(|s| s.len()), Some(11));
        assert_eq!(mp.int(), Some(7));
        assert!(mp.at_end());
    }

    #[test]
    fn refuses_lies_and_truncation() {
        assert!(Mp::new(&[0xdd, 0xff, 0xff, 0xff, 0xff]).skip().is_none());
        assert!(Mp::new(&[0xa5, 1]).skip().is_none());
        assert!(Mp::new(&[0xc1]).skip().is_none());
        let mut mp = Mp::new(&[0xcd, 1]);
        assert_eq!(mp.int(), None);
        assert_eq!(mp.peek(), Kind::Int);
    }

    #[test]
    fn reads_scalars() {
        let mut mp = Mp::new(&[0xd0, 0xfe, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc3]);
        assert_eq!(mp.int(), Some(-2));
        assert_eq!(mp.float(), Some(1.5));
        assert_eq!(mp.bool(), Some(true));
        let mut out = Vec::new();
        typed_bytes(3, b"hi", &mut out);
        assert_eq!(Mp::new(&out).bytes(), Some(&[3, b'h', b'i'][..]));
    }
}

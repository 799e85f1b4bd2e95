//! The msgpack reader: a bounds-checked cursor that reads one header or scalar at a time.
//! A read that does not match the next element's type leaves the cursor where it was.

use super::{kind_of, Kind};
use crate::bytes::Cursor;

/// A reader over msgpack bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    c: Cursor<'a>,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader {
            c: Cursor::new(buf),
        }
    }

    pub fn at_end(&self) -> bool {
        self.c.at_end()
    }

    /// Bytes not read yet (every element takes at least one, so counts are checked against
    /// it).
    pub fn remaining(&self) -> usize {
        self.c.remaining()
    }

    /// The kind of the next element (without consuming it).
    pub fn peek(&self) -> Kind {
        self.c.peek().map_or(Kind::Invalid, kind_of)
    }

    /// Runs `read`; when it fails, the cursor goes back to where it was.
    fn atomic<T>(&mut self, read: impl FnOnce(&mut Cursor<'a>) -> Option<T>) -> Option<T> {
        let save = self.c.position();
        let v = read(&mut self.c);
        if v.is_none() {
            self.c.rewind(save);
        }
        v
    }

    /// Consumes a nil.
    pub fn nil(&mut self) -> Option<()> {
        self.atomic(|c| (c.u8()? == 0xc0).then_some(()))
    }

    /// Consumes an array header and returns its element count.
    pub fn array(&mut self) -> Option<usize> {
        self.count(0x90, 0xdc)
    }

    /// Consumes a map header and returns its pair count.
    pub fn map(&mut self) -> Option<usize> {
        self.count(0x80, 0xde)
    }

    /// Consumes a count header: a fix form (`fix` plus up to 15), or `wide` / `wide + 1`
    /// followed by a 16- / 32-bit count.
    fn count(&mut self, fix: u8, wide: u8) -> Option<usize> {
        self.atomic(|c| match c.u8()? {
            b if b & 0xf0 == fix => Some((b & 0x0f) as usize),
            b if b == wide => c.be(2).map(|n| n as usize),
            b if b == wide + 1 => c.be(4).map(|n| n as usize),
            _ => None,
        })
    }

    /// Reads any integer as i64 (unsigned values above `i64::MAX` wrap, as the server's reader
    /// does; `as u64` gives them back).
    pub fn int(&mut self) -> Option<i64> {
        self.atomic(|c| {
            let b = c.u8()?;
            match b {
                0x00..=0x7f => Some(b as i64),
                0xe0..=0xff => Some(b as i8 as i64),
                0xcc..=0xcf => c.be(1 << (b - 0xcc)).map(|v| v as i64),
                0xd0..=0xd3 => {
                    let n = 1usize << (b - 0xd0);
                    let shift = 64 - 8 * n as u32;
                    c.be(n).map(|raw| (raw << shift) as i64 >> shift)
                }
                _ => None,
            }
        })
    }

    /// Reads a non-negative integer (or a uint64 above `i64::MAX`).
    pub fn uint(&mut self) -> Option<u64> {
        let unsigned64 = self.c.peek() == Some(0xcf);
        let save = self.c.position();
        match self.int() {
            Some(v) if v >= 0 || unsigned64 => Some(v as u64),
            _ => {
                self.c.rewind(save);
                None
            }
        }
    }

    /// Reads a float (float32 or float64).
    pub fn float(&mut self) -> Option<f64> {
        self.atomic(|c| match c.u8()? {
            0xca => c.be(4).map(|b| f32::from_bits(b as u32) as f64),
            0xcb => c.be(8).map(f64::from_bits),
            _ => None,
        })
    }

    /// Reads a bool.
    pub fn bool(&mut self) -> Option<bool> {
        self.atomic(|c| match c.u8()? {
            0xc2 => Some(false),
            0xc3 => Some(true),
            _ => None,
        })
    }

    /// Reads a str or bin payload (raw, particle prefix included).
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        self.atomic(|c| {
            let n = match c.u8()? {
                b @ 0xa0..=0xbf => (b & 0x1f) as u64,
                0xc4 | 0xd9 => c.be(1)?,
                0xc5 | 0xda => c.be(2)?,
                0xc6 | 0xdb => c.be(4)?,
                _ => return None,
            };
            c.take(n as usize)
        })
    }

    /// Reads an ext: its type and data.
    pub fn ext(&mut self) -> Option<(i8, &'a [u8])> {
        self.atomic(|c| {
            let n = match c.u8()? {
                b @ 0xd4..=0xd8 => 1u64 << (b - 0xd4),
                0xc7 => c.be(1)?,
                0xc8 => c.be(2)?,
                0xc9 => c.be(4)?,
                _ => return None,
            };
            let t = c.u8()? as i8;
            Some((t, c.take(n as usize)?))
        })
    }

    /// Steps over one whole element and returns its bytes.
    pub fn skip(&mut self) -> Option<&'a [u8]> {
        self.atomic(|c| {
            let start = c.position();
            let mut pending: u64 = 1;
            while pending > 0 {
                pending -= 1;
                let (len, children) = element_size(c)?;
                c.take(len as usize)?;
                // Every element takes at least one byte: a count the buffer cannot hold is a
                // lie.
                pending = pending.checked_add(children)?;
                if pending > c.remaining() as u64 {
                    return None;
                }
            }
            Some(c.since(start))
        })
    }
}

/// Reads an element's header: how many body bytes follow it and how many child elements.
fn element_size(c: &mut Cursor<'_>) -> Option<(u64, u64)> {
    let b = c.u8()?;
    Some(match b {
        0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => (0, 0),
        0x80..=0x8f => (0, 2 * (b & 0x0f) as u64),
        0x90..=0x9f => (0, (b & 0x0f) as u64),
        0xa0..=0xbf => ((b & 0x1f) as u64, 0),
        0xc4 | 0xd9 => (c.be(1)?, 0),
        0xc5 | 0xda => (c.be(2)?, 0),
        0xc6 | 0xdb => (c.be(4)?, 0),
        0xc7 => (c.be(1)? + 1, 0),
        0xc8 => (c.be(2)? + 1, 0),
        0xc9 => (c.be(4)? + 1, 0),
        0xca => (4, 0),
        0xcb => (8, 0),
        0xcc | 0xd0 => (1, 0),
        0xcd | 0xd1 => (2, 0),
        0xce | 0xd2 => (4, 0),
        0xcf | 0xd3 => (8, 0),
        0xd4..=0xd8 => ((1u64 << (b - 0xd4)) + 1, 0),
        0xdc => (0, c.be(2)?),
        0xdd => (0, c.be(4)?),
        0xde => (0, 2 * c.be(2)?),
        0xdf => (0, 2 * c.be(4)?),
        _ => return None, // 0xc1 is never used
    })
}

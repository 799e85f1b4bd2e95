//! A bounds-checked read position in a byte buffer: the one place that checks a length against
//! what is left. Every read is `None` past the end, so a truncated or lying message is an
//! error for the caller to name, never a panic or a huge allocation.

/// Reads a byte buffer front to back.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Cursor { buf, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// How far the cursor has read.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Moves back to a position returned by [`Cursor::position`].
    pub fn rewind(&mut self, pos: usize) {
        self.pos = pos.min(self.buf.len());
    }

    /// The bytes between an earlier position and here.
    pub fn since(&self, start: usize) -> &'a [u8] {
        &self.buf[start.min(self.pos)..self.pos]
    }

    /// The next byte, not consumed.
    pub fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    pub fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// A big-endian unsigned integer of `n` (at most 8) bytes.
    pub fn be(&mut self, n: usize) -> Option<u64> {
        Some(self.take(n)?.iter().fold(0u64, |a, &b| (a << 8) | b as u64))
    }

    /// A little-endian unsigned integer of `n` (at most 8) bytes (the client glue's request
    /// format is little-endian).
    pub fn le(&mut self, n: usize) -> Option<u64> {
        Some(
            self.take(n)?
                .iter()
                .rev()
                .fold(0u64, |a, &b| (a << 8) | b as u64),
        )
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.be(2).map(|v| v as u16)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.be(4).map(|v| v as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn reads_both_byte_orders_and_stops_at_the_end() {
        let mut c = Cursor::new(&[1, 2, 1, 2, 3]);
        assert_eq!(c.u16(), Some(0x0102));
        assert_eq!(c.le(2), Some(0x0201));
        assert_eq!(c.u32(), None, "past the end");
        assert_eq!(c.position(), 4, "a failed read takes nothing");
        assert_eq!(c.u8(), Some(3));
        assert!(c.at_end());
        assert_eq!(c.since(2), &[1, 2, 3]);
    }
}

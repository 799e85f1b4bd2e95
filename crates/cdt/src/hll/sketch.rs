//! The stored HyperMinHash sketch: layout, registers, adding elements, union and intersection.
//!
//! Layout (the bytes of an HLL particle): `flags` (always 0), `index_bits`, `minhash_bits`, an
//! 8-byte cached count (host order on the server, i.e. little-endian; 0 = not cached), then
//! `2^index_bits` registers of `6 + minhash_bits` bits each, packed most significant bit first.
//! A register holds the HLL value (1 + trailing zeros of the second hash half) above the
//! element's minhash bits.

use super::murmur::hash128;

/// Bytes before the registers.
pub(super) const HEADER_SIZE: usize = 11;
/// Bits of the HLL value in each register.
pub(super) const HLL_BITS: u32 = 6;

/// Size of the register area.
pub(super) fn registers_size(index_bits: u8, minhash_bits: u8) -> usize {
    ((HLL_BITS as usize + usize::from(minhash_bits)) << index_bits).div_ceil(8)
}

/// Size of a whole sketch.
pub(super) fn required_size(index_bits: u8, minhash_bits: u8) -> usize {
    HEADER_SIZE + registers_size(index_bits, minhash_bits)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sketch {
    pub index_bits: u8,
    pub minhash_bits: u8,
    /// The count stored by REFRESH_COUNT; 0 when unknown.
    pub cache: u64,
    regs: Vec<u8>,
}

impl Sketch {
    /// An empty sketch.
    pub(super) fn new(index_bits: u8, minhash_bits: u8) -> Sketch {
        Sketch {
            index_bits,
            minhash_bits,
            cache: 0,
            regs: vec![0; registers_size(index_bits, minhash_bits)],
        }
    }

    /// Reads a sketch whose size the caller has checked against its header.
    pub(super) fn from_bytes(b: &[u8]) -> Sketch {
        Sketch {
            index_bits: b[1],
            minhash_bits: b[2],
            cache: u64::from_le_bytes(b[3..HEADER_SIZE].try_into().unwrap()),
            regs: b[HEADER_SIZE..].to_vec(),
        }
    }

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_SIZE + self.regs.len());
        out.extend_from_slice(&[0, self.index_bits, self.minhash_bits]);
        out.extend_from_slice(&self.cache.to_le_bytes());
        out.extend_from_slice(&self.regs);
        out
    }

    pub(super) fn n_registers(&self) -> usize {
        1 << self.index_bits
    }

    fn width(&self) -> usize {
        HLL_BITS as usize + usize::from(self.minhash_bits)
    }

    /// The bytes holding register `r`, as a big-endian word, and the number of bits after the
    /// register in that word. A register spans at most 8 bytes (57 bits + 7 bits of offset).
    fn window(&self, r: usize) -> (usize, usize, u64, u32) {
        let w = self.width();
        let first_bit = w * r;
        let first = first_bit / 8;
        let last = (first_bit + w - 1) / 8;
        let word = self.regs[first..=last]
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let after = ((last + 1) * 8 - (first_bit + w)) as u32;
        (first, last, word, after)
    }

    fn mask(&self) -> u64 {
        (1u64 << self.width()) - 1
    }

    pub(super) fn get(&self, r: usize) -> u64 {
        let (_, _, word, after) = self.window(r);
        (word >> after) & self.mask()
    }

    /// Stores the low `width` bits of `value` in register `r`.
    pub(super) fn set(&mut self, r: usize, value: u64) {
        let (first, last, word, after) = self.window(r);
        let mask = self.mask() << after;
        let mut word = (word & !mask) | ((value << after) & mask);
        for b in self.regs[first..=last].iter_mut().rev() {
            *b = word as u8;
            word >>= 8;
        }
    }

    /// The HLL value of a register (the bits above the minhash bits).
    pub(super) fn hll_value(&self, register: u64) -> u8 {
        (register >> self.minhash_bits) as u8
    }

    /// The register an element falls in and the value it would store there.
    fn hash(&self, element: &[u8]) -> (usize, u64) {
        let (h1, h2) = hash128(element);
        let index = (h1 & ((1u64 << self.index_bits) - 1)) as usize;
        let minhash = (h1 >> self.index_bits) & ((1u64 << self.minhash_bits) - 1);
        // trailing_zeros is 64 for 0, as the server's lsb helper.
        let hll = u64::from((h2.trailing_zeros() + 1) as u8);
        (index, (hll << self.minhash_bits) | minhash)
    }

    /// Adds an element (its compacted msgpack bytes); true when a register changed.
    pub(super) fn add(&mut self, element: &[u8]) -> bool {
        let (r, value) = self.hash(element);
        if self.get(r) < value {
            self.set(r, value);
            self.cache = 0;
            true
        } else {
            false
        }
    }

    /// Whether the element's register is already at least what the element would store.
    pub(super) fn may_contain(&self, element: &[u8]) -> bool {
        let (r, value) = self.hash(element);
        value <= self.get(r)
    }

    /// Merges `other` (with at least as many index bits) into this sketch: register-wise maximum
    /// of whole registers when this sketch keeps minhash bits, of HLL values otherwise.
    pub(super) fn union_in(&mut self, other: &Sketch) {
        let mask = self.n_registers() - 1;
        if self.minhash_bits == 0 {
            for r in 0..other.n_registers() {
                let v0 = self.hll_value(self.get(r & mask));
                let v1 = other.hll_value(other.get(r));
                if v0 < v1 {
                    self.set(r & mask, u64::from(v1));
                }
            }
            return;
        }
        for r in 0..other.n_registers() {
            let v1 = other.get(r);
            if self.get(r & mask) < v1 {
                self.set(r & mask, v1);
            }
        }
        self.cache = 0;
    }

    /// Keeps only the registers equal in both sketches (this one has at most as many).
    pub(super) fn intersect_in(&mut self, other: &Sketch) {
        let mask = self.n_registers() - 1;
        for r in 0..other.n_registers() {
            let v0 = self.get(r & mask);
            let v1 = other.get(r);
            self.set(r & mask, if v0 == v1 { v0 } else { 0 });
        }
    }

    pub(super) fn used_registers(&self) -> usize {
        (0..self.n_registers())
            .filter(|&r| self.get(r) != 0)
            .count()
    }

    /// The server's emptiness test: it looks at the first `2^index_bits` bytes of the registers
    /// only (used for sketches with minhash bits, whose register area is larger than that).
    pub(super) fn has_data(&self) -> bool {
        let n = self.n_registers().min(self.regs.len());
        self.regs[..n].iter().any(|&b| b != 0)
    }
}

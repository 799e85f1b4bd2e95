//! Bit-level work on a blob: where an op lands, single bits, big-endian bit fields, and the
//! bitwise and integer ops over them.

use super::codes::*;
use super::parse::Op;
use crate::rc;

/// Where an op lands in the blob: first byte, bit within it, and how many bytes it spans.
pub(super) struct Span {
    pub(super) byte: u64,
    pub(super) bit: u64,
    pub(super) n_bytes: u64,
}

impl Span {
    /// Absolute bit position of the op's first bit.
    pub(super) fn start(&self) -> u64 {
        self.byte * 8 + self.bit
    }
}

/// Resolves a (possibly negative) offset against a blob of `len` bytes.
pub(super) fn locate(op: &Op, len: u64, exists: bool) -> Result<Span, u8> {
    let mut offset = op.offset;
    if offset < 0 {
        if !exists || offset.unsigned_abs() > len * 8 {
            return Err(rc::PARAMETER);
        }
        offset += (len * 8) as i64;
    }
    let offset = offset as u64;
    let bit = offset % 8;
    Ok(Span {
        byte: offset / 8,
        bit,
        n_bytes: (bit + op.size).div_ceil(8),
    })
}

pub(super) fn get_bit(b: &[u8], i: u64) -> bool {
    (b[(i / 8) as usize] >> (7 - i % 8)) & 1 != 0
}

pub(super) fn put_bit(b: &mut [u8], i: u64, v: bool) {
    let m = 0x80u8 >> (i % 8);
    let byte = &mut b[(i / 8) as usize];
    if v {
        *byte |= m;
    } else {
        *byte &= !m;
    }
}

/// Reads `size` (≤ 64) bits at bit `start` as an unsigned big-endian integer.
pub(super) fn load(b: &[u8], start: u64, size: u64) -> u64 {
    (0..size).fold(0, |acc, i| (acc << 1) | get_bit(b, start + i) as u64)
}

/// Writes the low `size` bits of `v` at bit `start`.
pub(super) fn store(b: &mut [u8], start: u64, size: u64, v: u64) {
    for i in 0..size {
        put_bit(b, start + i, (v >> (size - 1 - i)) & 1 != 0);
    }
}

pub(super) fn mask(size: u64) -> u64 {
    u64::MAX >> (64 - size)
}

pub(super) fn sign_extend(v: u64, size: u64) -> i64 {
    let lead = 64 - size;
    ((v << lead) as i64) >> lead
}

/// SET / OR / XOR / AND / NOT / LSHIFT / RSHIFT over `op.size` bits at bit `start`.
pub(super) fn bit_op(op: &Op, start: u64, old: &[u8], new: &mut [u8]) {
    let size = op.size;
    let n = op.value;
    for i in 0..size {
        let cur = get_bit(old, start + i);
        let arg = || get_bit(op.buf, i);
        let bit = match op.code {
            SET => arg(),
            OR => cur | arg(),
            XOR => cur ^ arg(),
            AND => cur & arg(),
            NOT => !cur,
            LSHIFT => i + n < size && get_bit(old, start + i + n),
            // RSHIFT
            _ => i >= n && get_bit(old, start + i - n),
        };
        put_bit(new, start + i, bit);
    }
}

/// ADD / SUBTRACT / SET_INT on a loaded value; `None` on a refused overflow.
pub(super) fn int_op(op: &Op, loaded: u64) -> Option<u64> {
    let size = op.size;
    let m = mask(size);
    let value = op.value & m;
    let signed = op.subflags & SIGNED != 0;
    let saturate = op.subflags & SATURATE != 0;
    let wrap = op.subflags & WRAP != 0;
    let (result, operand) = match op.code {
        SET_INT => return Some(value),
        ADD => (loaded.wrapping_add(value) & m, value),
        _ => (loaded.wrapping_sub(value) & m, value.wrapping_neg()),
    };
    if wrap {
        return Some(result);
    }
    if signed {
        let (l, v, r) = (
            sign_extend(loaded, size),
            sign_extend(operand, size),
            sign_extend(result, size),
        );
        // As the server does it: an overflow is two operands of one sign giving a result
        // strictly of the other sign.
        if l < 0 && v < 0 && r > 0 {
            return saturate.then_some(1u64 << (size - 1));
        }
        if l > 0 && v > 0 && r < 0 {
            return saturate.then_some(m >> 1);
        }
        return Some(result);
    }
    let overflow = if op.code == ADD {
        result < loaded
    } else {
        result > loaded
    };
    if !overflow {
        Some(result)
    } else if saturate {
        Some(if op.code == ADD { m } else { 0 })
    } else {
        None
    }
}

pub(super) fn check_size(n: u64) -> Result<(), u8> {
    if n >= PROTO_SIZE_MAX {
        Err(rc::PARAMETER)
    } else {
        Ok(())
    }
}

//! Bit operations on blob bins, with the semantics of the Aerospike server.
//!
//! Offsets and sizes are in bits (bytes for RESIZE / INSERT / REMOVE). Bits are numbered from the
//! most significant bit of the first byte. A negative offset counts back from the end of the
//! blob. Modify ops return no result; read ops return a blob (GET) or an integer.

mod bits;
mod codes;
mod parse;

use crate::params::Params;
use crate::{particle, rc, Kind, Outcome, Particle};
use bits::{bit_op, check_size, get_bit, int_op, load, locate, put_bit, sign_extend, store};
use codes::*;
use parse::{parse, Op};

/// Applies one bit op (`[op_code, params…]`) to a bin: `current` is its particle type and bytes,
/// `None` when the bin is missing.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    let current = current.filter(|(pt, _)| *pt != particle::NULL);
    let read = kind.is_read();
    if read && current.is_none() {
        // The server skips read ops on a missing bin without looking at them.
        return Ok(Outcome::default());
    }
    let params = Params::decode(op)?;
    let op = parse(&params, read)?;
    if read {
        let (pt, data) = current.expect("checked above");
        if pt != particle::BLOB {
            return Err(rc::INCOMPATIBLE_TYPE);
        }
        let result = read_op(&op, data)?;
        return Ok(Outcome {
            new_value: None,
            result: Some(result),
        });
    }
    let old = match current {
        Some((pt, data)) => {
            if op.flags & CREATE_ONLY != 0 {
                return skip_or(&op, rc::BIN_EXISTS);
            }
            if pt != particle::BLOB {
                return Err(rc::INCOMPATIBLE_TYPE);
            }
            Some(data)
        }
        None => {
            if !matches!(op.code, INSERT | RESIZE) || op.flags & UPDATE_ONLY != 0 {
                return skip_or(&op, rc::BIN_NOT_FOUND);
            }
            None
        }
    };
    Ok(Outcome {
        new_value: modify(op, old)?.map(|data| {
            Some(Particle {
                particle: particle::BLOB,
                data,
            })
        }),
        result: None,
    })
}

/// A refused modify: nothing happens under NO_FAIL, otherwise the error.
fn skip_or(op: &Op, code: u8) -> Result<Outcome, u8> {
    op.fail::<()>(code).map(|_| Outcome::default())
}

/// Applies a modify op; `Ok(None)` leaves the bin as it is.
fn modify(mut op: Op, old: Option<&[u8]>) -> Result<Option<Vec<u8>>, u8> {
    let old_data = old.unwrap_or(&[]);
    let len = old_data.len() as u64;
    let span = locate(&op, len, old.is_some())?;
    let (byte, n_bytes) = (span.byte as usize, span.n_bytes as usize);

    let new = match op.code {
        RESIZE => {
            let target = span.n_bytes as usize;
            let from_front = op.subflags & FROM_FRONT != 0;
            if target < old_data.len() {
                if op.subflags & GROW_ONLY != 0 {
                    return op.fail(rc::PARAMETER);
                }
                if from_front {
                    old_data[old_data.len() - target..].to_vec()
                } else {
                    old_data[..target].to_vec()
                }
            } else if target > old_data.len() {
                if op.subflags & SHRINK_ONLY != 0 {
                    return op.fail(rc::PARAMETER);
                }
                check_size(target as u64)?;
                let mut v = vec![0; target];
                if from_front {
                    v[target - old_data.len()..].copy_from_slice(old_data);
                } else {
                    v[..old_data.len()].copy_from_slice(old_data);
                }
                v
            } else {
                return Ok(None);
            }
        }
        INSERT => {
            let head = byte.min(old_data.len());
            check_size(span.byte.max(len) + op.buf.len() as u64)?;
            let mut v = Vec::with_capacity(byte.max(old_data.len()) + op.buf.len());
            v.extend_from_slice(&old_data[..head]);
            v.resize(byte, 0);
            v.extend_from_slice(op.buf);
            v.extend_from_slice(&old_data[head..]);
            v
        }
        REMOVE => {
            if span.byte >= len {
                return op.fail(rc::PARAMETER);
            }
            let end = if span.byte + span.n_bytes > len {
                if !op.partial() {
                    return op.fail(rc::PARAMETER);
                }
                old_data.len()
            } else {
                byte + n_bytes
            };
            let mut v = old_data[..byte].to_vec();
            v.extend_from_slice(&old_data[end..]);
            v
        }
        ADD | SUBTRACT | SET_INT => {
            if span.byte >= len || span.byte + span.n_bytes > len {
                return op.fail(rc::OP_NOT_APPLICABLE);
            }
            let mut v = old_data.to_vec();
            let Some(value) = int_op(&op, load(old_data, span.start(), op.size)) else {
                return op.fail(rc::OP_NOT_APPLICABLE);
            };
            store(&mut v, span.start(), op.size, value);
            v
        }
        _ => {
            // SET, OR, XOR, AND, NOT, LSHIFT, RSHIFT: overwrite bits in place.
            if span.byte >= len {
                return op.fail(rc::OP_NOT_APPLICABLE);
            }
            if span.byte + span.n_bytes > len {
                if !op.partial() {
                    return op.fail(rc::OP_NOT_APPLICABLE);
                }
                op.size = len * 8 - span.start();
            }
            let mut v = old_data.to_vec();
            bit_op(&op, span.start(), old_data, &mut v);
            v
        }
    };
    check_size(new.len() as u64)?;
    Ok(Some(new))
}

fn int_result(i: i64) -> Particle {
    Particle {
        particle: particle::INTEGER,
        data: i.to_be_bytes().to_vec(),
    }
}

fn read_op(op: &Op, data: &[u8]) -> Result<Particle, u8> {
    let len = data.len() as u64;
    let span = locate(op, len, true)?;
    if span.byte >= len || span.byte + span.n_bytes > len {
        return Err(rc::OP_NOT_APPLICABLE);
    }
    let start = span.start();
    let size = op.size;
    Ok(match op.code {
        GET => {
            let mut out = vec![0u8; size.div_ceil(8) as usize];
            for i in 0..size {
                put_bit(&mut out, i, get_bit(data, start + i));
            }
            Particle {
                particle: particle::BLOB,
                data: out,
            }
        }
        COUNT => int_result((0..size).filter(|&i| get_bit(data, start + i)).count() as i64),
        LSCAN => {
            let want = op.value != 0;
            let found = (0..size).find(|&i| get_bit(data, start + i) == want);
            int_result(found.map_or(-1, |i| i as i64))
        }
        RSCAN => {
            // The server's backward scan does not stop at the op's first bit: it also looks at
            // the bits before it in the first byte, answering a negative offset if one matches.
            let want = op.value != 0;
            let first = span.byte * 8;
            let found = (first..start + size)
                .rev()
                .find(|&p| get_bit(data, p) == want);
            int_result(found.map_or(-1, |p| p as i64 - start as i64))
        }
        // GET_INT
        _ => {
            let v = load(data, start, size);
            int_result(if op.subflags & SIGNED != 0 {
                sign_extend(v, size)
            } else {
                v as i64
            })
        }
    })
}

#[cfg(test)]
mod tests;

//! Applying the ops of a command to a record: reads, writes, increments, appends, and the
//! collection (list/map), bit and HyperLogLog operations delegated to the `aerospike-cdt` crate.

use crate::command::OutBin;
use crate::record::{normalize, particle, Record, Value, MAX_BIN_NAME};
use crate::result as rc;

// Op codes on the wire.
pub use aerospike_cdt::wire::op::*;

/// Whether an op only reads.
pub fn is_read(code: u8) -> bool {
    matches!(code, READ | CDT_READ | EXP_READ | BIT_READ | HLL_READ)
}

/// Whether an op changes an existing bin in place (not allowed with the replace policies).
pub fn is_modify(code: u8) -> bool {
    matches!(
        code,
        CDT_MODIFY
            | INCR
            | APPEND
            | PREPEND
            | TOUCH
            | BIT_MODIFY
            | DELETE_ALL
            | HLL_MODIFY
            | EXP_MODIFY
    )
}

/// Checks a bin name from the wire.
pub fn bin_name(name: &[u8]) -> Result<&str, u8> {
    if name.len() > MAX_BIN_NAME {
        return Err(rc::BIN_NAME);
    }
    std::str::from_utf8(name).map_err(|_| rc::BIN_NAME)
}

/// Result of a read op against a record: the bins it returns.
pub fn read_op(
    rec: &Record,
    code: u8,
    name: &[u8],
    value: &[u8],
    respond_all: bool,
    out: &mut Vec<OutBin>,
) -> Result<(), u8> {
    match code {
        READ if name.is_empty() => {
            out.extend(rec.bins.iter().map(|(n, v)| OutBin {
                code: READ,
                name: n.as_bytes().to_vec(),
                value: Some(v.clone()),
            }));
        }
        READ => match rec.bin(name) {
            Some(v) => out.push(OutBin {
                code,
                name: name.to_vec(),
                value: Some(v.clone()),
            }),
            None if respond_all => out.push(OutBin {
                code,
                name: name.to_vec(),
                value: None,
            }),
            None => {}
        },
        CDT_READ | BIT_READ | HLL_READ => {
            let current = rec.bin(name);
            let outcome = collection_op(code, current, value)?;
            if outcome.result.is_some() || respond_all {
                out.push(OutBin {
                    code,
                    name: name.to_vec(),
                    value: outcome.result,
                });
            }
        }
        _ => return Err(rc::PARAMETER),
    }
    Ok(())
}

/// Applies one write-side op to the working copy of a record. Returns the op's result value
/// (for ops that have one).
pub fn write_op(
    rec: &mut Record,
    code: u8,
    particle_type: u8,
    name: &[u8],
    value: &[u8],
) -> Result<Option<Value>, u8> {
    match code {
        WRITE => {
            let name = bin_name(name)?;
            if name.is_empty() {
                return Err(rc::BIN_NAME);
            }
            if particle_type == particle::NULL {
                rec.set_bin(name, None);
            } else {
                let v = normalize(particle_type, value).ok_or(rc::PARAMETER)?;
                rec.set_bin(name, Some(v));
            }
            Ok(None)
        }
        INCR => {
            let name = bin_name(name)?;
            let delta = normalize(particle_type, value).ok_or(rc::PARAMETER)?;
            let new = match (rec.bin(name.as_bytes()), delta.particle) {
                (None, particle::INTEGER | particle::FLOAT) => delta,
                (Some(cur), particle::INTEGER) => {
                    let a = cur.as_int().ok_or(rc::INCOMPATIBLE_TYPE)?;
                    Value::int(a.wrapping_add(delta.as_int().unwrap_or(0)))
                }
                (Some(cur), particle::FLOAT) => {
                    let a = cur.as_float().ok_or(rc::INCOMPATIBLE_TYPE)?;
                    let b = delta.as_float().unwrap_or(0.0);
                    Value {
                        particle: particle::FLOAT,
                        data: (a + b).to_be_bytes().to_vec(),
                    }
                }
                _ => return Err(rc::PARAMETER),
            };
            rec.set_bin(name, Some(new));
            Ok(None)
        }
        APPEND | PREPEND => {
            let name = bin_name(name)?;
            if !matches!(particle_type, particle::STRING | particle::BLOB) {
                return Err(rc::PARAMETER);
            }
            let new = match rec.bin(name.as_bytes()) {
                None => Value {
                    particle: particle_type,
                    data: value.to_vec(),
                },
                Some(cur) if cur.particle == particle_type => {
                    let data = if code == APPEND {
                        [&cur.data[..], value].concat()
                    } else {
                        [value, &cur.data[..]].concat()
                    };
                    Value {
                        particle: particle_type,
                        data,
                    }
                }
                Some(_) => return Err(rc::INCOMPATIBLE_TYPE),
            };
            rec.set_bin(name, Some(new));
            Ok(None)
        }
        TOUCH => Ok(None),
        DELETE_ALL => {
            rec.bins.clear();
            Ok(None)
        }
        CDT_MODIFY | BIT_MODIFY | HLL_MODIFY => {
            let name = bin_name(name)?;
            let outcome = collection_op(code, rec.bin(name.as_bytes()), value)?;
            if let Some(new) = outcome.new_value {
                rec.set_bin(name, new);
            }
            Ok(outcome.result)
        }
        _ => Err(rc::PARAMETER),
    }
}

/// What a collection (CDT / bit / HLL) op did.
pub struct CollectionOutcome {
    /// `None`: bin unchanged; `Some(None)`: bin removed; `Some(Some(v))`: bin replaced.
    pub new_value: Option<Option<Value>>,
    /// The op's result for the client.
    pub result: Option<Value>,
}

/// Runs a list/map, bit or HyperLogLog op through the `aerospike-cdt` crate.
pub fn collection_op(
    code: u8,
    current: Option<&Value>,
    op: &[u8],
) -> Result<CollectionOutcome, u8> {
    use aerospike_cdt::Kind;
    let kind = match code {
        CDT_READ => Kind::CdtRead,
        CDT_MODIFY => Kind::CdtModify,
        BIT_READ => Kind::BitRead,
        BIT_MODIFY => Kind::BitModify,
        HLL_READ => Kind::HllRead,
        HLL_MODIFY => Kind::HllModify,
        _ => return Err(rc::PARAMETER),
    };
    let out = aerospike_cdt::apply(kind, current.map(|v| (v.particle, &v.data[..])), op)?;
    let conv = |p: aerospike_cdt::Particle| Value {
        particle: p.particle,
        data: p.data,
    };
    Ok(CollectionOutcome {
        new_value: out.new_value.map(|o| o.map(conv)),
        result: out.result.map(conv),
    })
}

//! Aerospike's msgpack value model and collection (CDT) operations: lists, maps, bits and
//! HyperLogLogs, applied to a bin's stored bytes exactly as the server applies them.
//!
//! The entry point is [`apply`]: given the op kind, the bin's current value (particle type and
//! bytes) and the op's msgpack payload, it returns the bin's new value (if it changed) and the
//! op's result, or an Aerospike result code.
//!
//! The crate is also the workspace's one home of protocol knowledge: [`wire`] (AS_MSG
//! constants and layouts), [`result`] (result codes), [`msgpack`] (the msgpack reader and
//! writer every other module builds on) and [`context`] (CDT context paths).

pub mod bit;
pub mod bytes;
pub mod context;
pub mod heap;
pub mod hll;
pub mod list;
pub mod map;
pub mod msgpack;
pub mod params;
pub mod result;
pub mod select;
pub mod value;
pub mod wire;

pub use value::{compare, decode, encode, Value};

/// Result codes these operations return (the crate's one table, under its old name).
pub use result as rc;
/// Particle types of bin values on the wire.
pub use wire::particle;

/// Which family an op belongs to (the wire op code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CdtRead,
    CdtModify,
    BitRead,
    BitModify,
    HllRead,
    HllModify,
}

impl Kind {
    pub fn is_read(self) -> bool {
        matches!(self, Kind::CdtRead | Kind::BitRead | Kind::HllRead)
    }
}

/// A bin value as stored: particle type and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Particle {
    pub particle: u8,
    pub data: Vec<u8>,
}

/// What an op did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// `None`: bin unchanged; `Some(None)`: bin removed; `Some(Some(v))`: bin replaced.
    pub new_value: Option<Option<Particle>>,
    /// The op's result for the client (`None`: no result).
    pub result: Option<Particle>,
}

/// Applies one op to a bin.
pub fn apply(kind: Kind, current: Option<(u8, &[u8])>, op: &[u8]) -> Result<Outcome, u8> {
    match kind {
        Kind::CdtRead | Kind::CdtModify => context::apply(kind, current, op),
        Kind::BitRead | Kind::BitModify => bit::apply(kind, current, op),
        Kind::HllRead | Kind::HllModify => hll::apply(kind, current, op),
    }
}

/// Converts a msgpack value into the particle form the server returns as an op result.
pub fn to_particle(v: &Value) -> Option<Particle> {
    let (particle, data) = match v {
        Value::Nil => return None,
        Value::Int(i) => (particle::INTEGER, i.to_be_bytes().to_vec()),
        Value::Float(f) => (particle::FLOAT, f.to_be_bytes().to_vec()),
        Value::Bool(b) => (particle::BOOL, vec![*b as u8]),
        Value::Bytes(pt, d) => (*pt, d.clone()),
        Value::List(_) => (particle::LIST, encode(v)),
        Value::Map(_) => (particle::MAP, encode(v)),
        Value::Ext(..) | Value::Wildcard | Value::Infinity => (particle::BLOB, Vec::new()),
    };
    Some(Particle { particle, data })
}

/// Converts a stored bin into a msgpack value (scalars become their msgpack equivalents).
pub fn from_particle(particle: u8, data: &[u8]) -> Result<Value, u8> {
    Ok(match particle {
        particle::LIST | particle::MAP => decode(data).map_err(|_| rc::PARAMETER)?,
        particle::INTEGER => Value::Int(i64::from_be_bytes(
            data.try_into().map_err(|_| rc::PARAMETER)?,
        )),
        particle::FLOAT => Value::Float(f64::from_be_bytes(
            data.try_into().map_err(|_| rc::PARAMETER)?,
        )),
        particle::BOOL => Value::Bool(data.first().copied().unwrap_or(0) != 0),
        pt => Value::Bytes(pt, data.to_vec()),
    })
}

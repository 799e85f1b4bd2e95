//! Decoding the policy section of a request into the `aerospike` crate's policies.
//!
//! Layout written by `src/policy.ts` (`-1`/`255` = not set, keep the crate's default):
//! base: `i32 totalTimeout, i32 socketTimeout, i32 maxRetries, u8 replica`, `u8 hasReadTouch`
//! (then `i32 readTouchTtlPercent`: 0 server default, -1 never, 1-100), `u8 deserialize` (0: list
//! and map bins of the answer as their msgpack bytes, see [`Decode`]), then the filter
//! expression (`u8 0`, or `u8 1` and its packed bytes, see `exp.rs`);
//! write kinds add `u8 exists, u8 gen, u8 key, u8 durableDelete, u8 hasTtl, i64 ttl,
//! u8 hasGen, u32 generation`.

use aerospike::{
    BasePolicy, BatchPolicy, Expiration, GenerationPolicy, ReadPolicy, ReadTouchTtl,
    RecordExistsAction, Replica, WritePolicy,
};

use crate::codec::{CodecError, Reader};

const UNSET: u8 = 255;

/// How the bins of an answer reach JavaScript: decoded, or (`deserialize: false`) with list and
/// map bins as the msgpack bytes the server keeps (see `raw.rs`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Decode {
    Values,
    RawCdt,
}

pub(crate) fn base(r: &mut Reader<'_>, p: &mut BasePolicy) -> Result<Decode, CodecError> {
    let total = r.i32()?;
    let socket = r.i32()?;
    let retries = r.i32()?;
    let replica = r.u8()?;
    if let Some(touch) = read_touch(r)? {
        p.read_touch_ttl = touch;
    }
    let decode = match r.u8()? {
        0 => Decode::RawCdt,
        _ => Decode::Values,
    };
    p.filter_expression = crate::exp::read_filter(r)?;
    if total >= 0 {
        p.total_timeout = total as u32;
    }
    if socket >= 0 {
        p.socket_timeout = socket as u32;
    }
    if retries >= 0 {
        p.max_retries = retries as usize;
    }
    if replica != UNSET {
        // The official client's numbering: MASTER 0, ANY 1, SEQUENCE 2, PREFER_RACK 3, RANDOM 4.
        p.replica = match replica {
            0 => Replica::Master,
            1 => Replica::MasterProles,
            2 => Replica::Sequence,
            3 => Replica::PreferRack,
            4 => Replica::Random,
            _ => return Err(CodecError("replica")),
        };
    }
    Ok(decode)
}

/// An optional `readTouchTtlPercent`: `u8 0`, or `u8 1, i32` (0 server default, -1 never, 1-100).
pub(crate) fn read_touch(r: &mut Reader<'_>) -> Result<Option<ReadTouchTtl>, CodecError> {
    if r.u8()? != 1 {
        return Ok(None);
    }
    Ok(Some(match r.i32()? {
        0 => ReadTouchTtl::ServerDefault,
        -1 => ReadTouchTtl::DontReset,
        pct @ 1..=100 => ReadTouchTtl::Percent(pct as u8),
        _ => return Err(CodecError("readTouchTtlPercent")),
    }))
}

/// A read policy, and how its answer's bins are decoded.
pub fn read(r: &mut Reader<'_>) -> Result<(ReadPolicy, Decode), CodecError> {
    let mut p = ReadPolicy::default();
    let decode = base(r, &mut p.base_policy)?;
    Ok((p, decode))
}

/// A batch policy, and how the records of its answer are decoded.
pub fn batch(r: &mut Reader<'_>) -> Result<(BatchPolicy, Decode), CodecError> {
    let mut p = BatchPolicy::default();
    let decode = base(r, &mut p.base_policy)?;
    let respond_all_keys = r.u8()?;
    if respond_all_keys != UNSET {
        p.respond_all_keys = respond_all_keys == 1;
    }
    let allow_inline = r.u8()?;
    if allow_inline != UNSET {
        p.allow_inline = allow_inline == 1;
    }
    match r.u8()? {
        UNSET => {}
        0 => p.concurrency = aerospike::Concurrency::Sequential,
        _ => p.concurrency = aerospike::Concurrency::Parallel,
    }
    Ok((p, decode))
}

/// Maps the official TTL convention onto the crate's expiration.
pub fn expiration(ttl: i64) -> Result<Expiration, CodecError> {
    Ok(match ttl {
        0 => Expiration::NamespaceDefault,
        -1 => Expiration::Never,
        -2 => Expiration::DontUpdate,
        t if t > 0 && t <= u32::MAX as i64 => Expiration::Seconds(t as u32),
        _ => return Err(CodecError("ttl")),
    })
}

/// A write policy with the record metadata (ttl, expected generation) folded in.
pub fn write(r: &mut Reader<'_>) -> Result<WritePolicy, CodecError> {
    write_decode(r).map(|(p, _)| p)
}

/// A write policy, and how the bins of its answer (`operate`) are decoded.
pub fn write_decode(r: &mut Reader<'_>) -> Result<(WritePolicy, Decode), CodecError> {
    let mut p = WritePolicy::default();
    let decode = base(r, &mut p.base_policy)?;
    let exists = r.u8()?;
    let gen = r.u8()?;
    let key = r.u8()?;
    let durable = r.u8()?;
    if exists != UNSET {
        // Official numbering: IGNORE 0, CREATE 1, UPDATE 2, REPLACE 3, CREATE_OR_REPLACE 4.
        p.record_exists_action = match exists {
            0 => RecordExistsAction::Update,
            1 => RecordExistsAction::CreateOnly,
            2 => RecordExistsAction::UpdateOnly,
            3 => RecordExistsAction::ReplaceOnly,
            4 => RecordExistsAction::Replace,
            _ => return Err(CodecError("exists policy")),
        };
    }
    if gen != UNSET {
        p.generation_policy = match gen {
            0 => GenerationPolicy::None,
            1 => GenerationPolicy::ExpectGenEqual,
            2 => GenerationPolicy::ExpectGenGreater,
            _ => return Err(CodecError("gen policy")),
        };
    }
    if key != UNSET {
        p.send_key = key == 1;
    }
    if durable != UNSET {
        p.durable_delete = durable == 1;
    }
    if r.u8()? == 1 {
        p.expiration = expiration(r.i64()?)?;
    }
    if r.u8()? == 1 {
        p.generation = r.u32()?;
    }
    Ok((p, decode))
}

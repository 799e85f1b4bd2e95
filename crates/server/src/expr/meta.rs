//! Record metadata: user key, set name, TTL and void time, last update, sizes, digest modulo.

use super::ast::Meta;
use super::env::Env;
use super::value::{Ty, Val};
use crate::clock::CITRUSLEAF_EPOCH;
use crate::record::particle;

const NS_PER_SEC: u64 = 1_000_000_000;
const NS_PER_MS: u64 = 1_000_000;

/// Evaluates a metadata op.
pub fn eval(m: Meta, env: &Env<'_>) -> Val {
    let rec = env.rec;
    match m {
        // In-memory namespaces store nothing on a device.
        Meta::DeviceSize => Val::Int(0),
        Meta::MemorySize | Meta::RecordSize => Val::Int(rec.size() as i64),
        // The server keeps last-update times in milliseconds.
        Meta::LastUpdate => Val::Int((rec.last_update_ns / NS_PER_MS * NS_PER_MS) as i64),
        Meta::SinceUpdate => {
            let now = env.now_ns / NS_PER_MS;
            let lut = rec.last_update_ns / NS_PER_MS;
            Val::Int(now.saturating_sub(lut) as i64)
        }
        Meta::VoidTime => Val::Int(if rec.void_time == 0 {
            -1
        } else {
            ((CITRUSLEAF_EPOCH + rec.void_time as u64) * NS_PER_SEC) as i64
        }),
        Meta::Ttl => Val::Int(if rec.void_time == 0 {
            -1
        } else {
            // A record past its void time but not yet removed still reports one second.
            let now = (env.now_ns / NS_PER_SEC).saturating_sub(CITRUSLEAF_EPOCH);
            (rec.void_time as u64).saturating_sub(now).max(1) as i64
        }),
        Meta::SetName => Val::Str(rec.set.as_bytes().to_vec()),
        Meta::KeyExists => Val::Bool(rec.key.is_some()),
        Meta::IsTombstone => Val::Bool(false),
    }
}

/// The digest's last four bytes (little-endian) modulo `m`.
pub fn digest_modulo(m: i64, env: &Env<'_>) -> Val {
    let d = env.digest;
    let v = u32::from_le_bytes([d[16], d[17], d[18], d[19]]) as i64;
    Val::Int(v % m)
}

/// The stored user key, when it has the requested type.
pub fn key(ty: Ty, env: &Env<'_>) -> Val {
    let Some(k) = &env.rec.key else {
        return Val::Unknown;
    };
    match (ty, k.particle) {
        (Ty::Int, particle::INTEGER) => k.as_int().map_or(Val::Unknown, Val::Int),
        (Ty::Str, particle::STRING) => Val::Str(k.data.clone()),
        (Ty::Blob, particle::BLOB) => Val::Blob(k.data.clone()),
        _ => Val::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Record, Value};

    #[test]
    fn metadata_values() {
        let rec = Record {
            set: "s".into(),
            key: Some(Value::int(7)),
            void_time: 1000,
            last_update_ns: 5 * NS_PER_SEC + 123,
            ..Default::default()
        };
        let mut digest = [0u8; 20];
        digest[16] = 10;
        let now_ns = (CITRUSLEAF_EPOCH + 990) * NS_PER_SEC;
        let env = Env {
            rec: &rec,
            digest: &digest,
            now_ns,
        };
        assert_eq!(eval(Meta::Ttl, &env), Val::Int(10));
        assert_eq!(
            eval(Meta::VoidTime, &env),
            Val::Int(((CITRUSLEAF_EPOCH + 1000) * NS_PER_SEC) as i64)
        );
        assert_eq!(
            eval(Meta::LastUpdate, &env),
            Val::Int((5 * NS_PER_SEC) as i64)
        );
        assert_eq!(eval(Meta::SetName, &env), Val::Str(b"s".to_vec()));
        assert_eq!(eval(Meta::KeyExists, &env), Val::Bool(true));
        assert_eq!(digest_modulo(3, &env), Val::Int(1));
        assert_eq!(key(Ty::Int, &env), Val::Int(7));
        assert_eq!(key(Ty::Str, &env), Val::Unknown);
        let forever = Record::default();
        let env = Env {
            rec: &forever,
            digest: &digest,
            now_ns,
        };
        assert_eq!(eval(Meta::Ttl, &env), Val::Int(-1));
        assert_eq!(eval(Meta::VoidTime, &env), Val::Int(-1));
        assert_eq!(key(Ty::Int, &env), Val::Unknown);
    }
}

//! A stored record, its bins and its digest (which names the partition it lives in), and the
//! rules every write path applies to one: TTL to void time, size limit, stored key, generation.

/// Particle types (the first byte of every bin value on the wire), shared with the collection
/// crate.
pub mod particle {
    pub use aerospike_cdt::particle::*;

    /// Whether a bin may hold this particle type.
    pub fn storable(t: u8) -> bool {
        matches!(
            t,
            INTEGER | FLOAT | STRING | BLOB | 7..=12 | BOOL | HLL | MAP | LIST | GEOJSON
        )
    }
}

use std::sync::Arc;

/// Number of partitions, as every client hard-codes it.
pub const PARTITIONS: usize = 4096;

/// A record digest (RIPEMD-160 of set, key type and key).
pub type Digest = [u8; 20];

/// Partition of a digest: the first two bytes little-endian, low 12 bits.
pub fn partition_of(d: &Digest) -> usize {
    (u16::from_le_bytes([d[0], d[1]]) as usize) & (PARTITIONS - 1)
}

/// Longest bin name the server accepts.
pub const MAX_BIN_NAME: usize = 15;

/// A bin value as it travels on the wire: particle type and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub particle: u8,
    pub data: Vec<u8>,
}

impl Value {
    /// An integer value (8 bytes big-endian).
    pub fn int(v: i64) -> Self {
        Value {
            particle: particle::INTEGER,
            data: v.to_be_bytes().to_vec(),
        }
    }

    /// The integer in this value, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        if self.particle != particle::INTEGER {
            return None;
        }
        let b: [u8; 8] = self.data.as_slice().try_into().ok()?;
        Some(i64::from_be_bytes(b))
    }

    /// The float in this value, if it is one.
    pub fn as_float(&self) -> Option<f64> {
        if self.particle != particle::FLOAT {
            return None;
        }
        let b: [u8; 8] = self.data.as_slice().try_into().ok()?;
        Some(f64::from_be_bytes(b))
    }
}

/// Checks a value from the wire and puts it in stored form. Integers shorter than 8 bytes are
/// sign-extended (some clients send short integers); lengths that no type allows are refused.
pub fn normalize(particle_type: u8, data: &[u8]) -> Option<Value> {
    use particle::*;
    let data = match particle_type {
        INTEGER => {
            if data.is_empty() || data.len() > 8 {
                return None;
            }
            let fill = if data[0] & 0x80 != 0 { 0xff } else { 0 };
            let mut b = [fill; 8];
            b[8 - data.len()..].copy_from_slice(data);
            b.to_vec()
        }
        FLOAT if data.len() != 8 => return None,
        BOOL if data.len() != 1 || data[0] > 1 => return None,
        t if !storable(t) => return None,
        _ => data.to_vec(),
    };
    Some(Value {
        particle: particle_type,
        data,
    })
}

/// One record.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Set name ("" for none). The namespace stores one copy per set ([`crate::store`]), which
    /// a scan comparing and copying it finds in cache.
    pub set: Arc<str>,
    /// Stored user key (particle type + bytes), when a client sent it.
    pub key: Option<Value>,
    /// Bins in the order they were first written.
    pub bins: Vec<(Box<str>, Value)>,
    /// Generation: 1 on creation, +1 per write, wraps to 1 after 65535.
    pub generation: u16,
    /// Expiry in citrusleaf seconds; 0 = never.
    pub void_time: u32,
    /// The TTL (seconds) the last write gave the record; read-touch resets to it.
    pub ttl: u32,
    /// Last update, nanoseconds since the Unix epoch.
    pub last_update_ns: u64,
    /// `bins` as a read of all of them answers them, made when the record is stored
    /// ([`Record::seal`]).
    pub wire: Sealed,
}

/// A record's bins encoded as one READ op per bin (empty until the record is sealed); only
/// [`Record::seal`] writes it.
#[derive(Debug, Clone, Default)]
pub struct Sealed(Option<Box<[u8]>>);

impl Record {
    /// The bin with this name.
    pub fn bin(&self, name: &[u8]) -> Option<&Value> {
        self.bins
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, v)| v)
    }

    /// Sets (or with `None` removes) a bin. A removed bin's slot takes the last bin, as on the
    /// real server, so the order reads return bins in matches it.
    pub fn set_bin(&mut self, name: &str, value: Option<Value>) {
        let pos = self.bins.iter().position(|(n, _)| &**n == name);
        match (pos, value) {
            (Some(i), Some(v)) => self.bins[i].1 = v,
            (Some(i), None) => {
                self.bins.swap_remove(i);
            }
            (None, Some(v)) => self.bins.push((name.into(), v)),
            (None, None) => {}
        }
    }

    /// The bins encoded as the ops of a reply that reads them all, with their count: what a scan
    /// or batch read of all bins sends, copied in one piece instead of gathered bin by bin from
    /// the record's allocations. `None` until [`Record::seal`] (or when the record has more bins
    /// than a reply carries).
    pub fn wire_bins(&self) -> Option<(&[u8], u16)> {
        let n = u16::try_from(self.bins.len()).ok()?;
        self.wire.0.as_deref().map(|w| (w, n))
    }

    /// The READ op [`Record::seal`] wrote for the bin `name`, as it sits in
    /// [`Record::wire_bins`]: a reply that names its bins copies it whole instead of re-encoding
    /// the bin from its own allocations. `None` when the record is not sealed (read
    /// [`Record::bin`] instead), `Some(None)` when it has no such bin.
    pub fn wire_bin(&self, name: &[u8]) -> Option<Option<&[u8]>> {
        let mut rest: &[u8] = self.wire.0.as_deref()?;
        // Each op: size (4 bytes, of what follows it), op, particle, version, name length, name,
        // value.
        while rest.len() >= 8 {
            let len = 4 + u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            let (op, tail) = rest.split_at(len.min(rest.len()));
            if op.get(8..8 + op[7] as usize) == Some(name) {
                return Some(Some(op));
            }
            rest = tail;
        }
        Some(None)
    }

    /// Hints the CPU to start loading [`Record::wire_bins`] (its first two cache lines), which
    /// a scan is about to copy: a scan walks records in digest order, not the order their
    /// allocations were made in, so each one is a cache miss unless fetched ahead.
    pub fn prefetch(&self) {
        if let Some(w) = &self.wire.0 {
            prefetch(w.as_ptr());
            if w.len() > 64 {
                prefetch(w[64..].as_ptr());
            }
        }
    }

    /// Encodes [`Record::wire_bins`] from the bins as they are now. Every record is sealed as it
    /// is stored ([`crate::store::Namespace::put`]), so the encoding always matches the bins of
    /// a stored record.
    pub fn seal(&mut self) {
        if u16::try_from(self.bins.len()).is_err() {
            self.wire = Sealed(None);
            return;
        }
        let len = self
            .bins
            .iter()
            .map(|(n, v)| 8 + n.len() + v.data.len())
            .sum();
        let mut w = crate::msg::MsgWriter {
            buf: Vec::with_capacity(len),
        };
        for (name, v) in &self.bins {
            w.op(
                aerospike_cdt::wire::op::READ,
                v.particle,
                name.as_bytes(),
                &v.data,
            );
        }
        self.wire = Sealed(Some(w.buf.into_boxed_slice()));
    }

    /// Whether the record's void time has passed.
    pub fn expired(&self, now_cl: u32) -> bool {
        self.void_time != 0 && self.void_time <= now_cl
    }

    /// Approximate stored size, compared against the record size limit.
    pub fn size(&self) -> usize {
        let bins: usize = self
            .bins
            .iter()
            .map(|(n, v)| n.len() + v.data.len() + 4)
            .sum();
        64 + self.set.len() + self.key.as_ref().map_or(0, |k| k.data.len() + 1) + bins
    }
}

/// Hints the CPU to load the cache line at `p` (a no-op where there is no such hint).
pub fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults and changes no memory.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Largest record the server stores (CE's default for in-memory namespaces).
pub const MAX_RECORD_SIZE: usize = 1024 * 1024;

/// TTLs above ten years are refused.
const MAX_TTL: u32 = 315_360_000;

/// Void time for a write: `ttl` from the request, `default_ttl` the namespace's, `existing` the
/// record's current void time.
pub fn void_time(ttl: u32, default_ttl: u32, now: u32, existing: Option<u32>) -> Result<u32, u8> {
    let from_secs = |s: u32| if s == 0 { 0 } else { now.saturating_add(s) };
    match ttl {
        0 => Ok(from_secs(default_ttl)),
        u32::MAX => Ok(0),
        0xFFFF_FFFE => Ok(existing.unwrap_or_else(|| from_secs(default_ttl))),
        t if t > MAX_TTL => Err(crate::result::PARAMETER),
        t => Ok(from_secs(t)),
    }
}

/// The user key a command's KEY field (particle type then value) asks to store.
pub fn stored_key(field: Option<&[u8]>) -> Result<Option<Value>, u8> {
    match field {
        None => Ok(None),
        Some([t, rest @ ..]) => normalize(*t, rest)
            .map(Some)
            .ok_or(crate::result::PARAMETER),
        Some([]) => Err(crate::result::PARAMETER),
    }
}

/// Read-touch: the request's TTL field carries a percentage (1..=100). When less than that
/// share of the record's TTL remains, the read resets the TTL to its full length.
pub fn read_touch_due(percent: u32, rec: &Record, now: u32) -> bool {
    if !(1..=100).contains(&percent) || rec.void_time == 0 || rec.ttl == 0 {
        return false;
    }
    let remaining = rec.void_time.saturating_sub(now) as u64;
    remaining * 100 < rec.ttl as u64 * percent as u64
}

impl Record {
    /// Marks the record as written now with void time `void`: next generation, the TTL the
    /// write gave it and the last-update time.
    pub fn stamp_write(&mut self, void: u32, now: u32, now_ns: u64) {
        self.generation = next_generation(self.generation);
        self.ttl = if void == 0 {
            0
        } else {
            void.saturating_sub(now)
        };
        self.void_time = void;
        self.last_update_ns = now_ns;
    }
}

/// The next generation after `g` (0 is reserved).
pub fn next_generation(g: u16) -> u16 {
    if g == u16::MAX {
        1
    } else {
        g + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_ids_match_the_clients() {
        // set "demo", key "key1" -> digest ec91192d…, partition 492 (protocol reference §3.8).
        let mut d = [0u8; 20];
        d[0] = 0xec;
        d[1] = 0x91;
        assert_eq!(partition_of(&d), 492);
    }

    #[test]
    fn normalizes_wire_values() {
        assert_eq!(normalize(1, &[0xff]).unwrap().as_int(), Some(-1));
        assert_eq!(normalize(1, &[1, 0]).unwrap().as_int(), Some(256));
        assert!(normalize(1, &[]).is_none());
        assert!(normalize(1, &[0; 9]).is_none());
        assert!(normalize(2, &[0; 4]).is_none());
        assert!(normalize(17, &[2]).is_none());
        assert!(normalize(99, b"x").is_none());
        assert_eq!(normalize(3, b"").unwrap().data, b"");
    }

    #[test]
    fn read_touch_threshold() {
        let rec = Record {
            void_time: 1007,
            ttl: 10,
            ..Default::default()
        };
        // 7 of 10 seconds remain: 80% touches, 60% does not, out-of-range percents never do.
        assert!(read_touch_due(80, &rec, 1000));
        assert!(!read_touch_due(60, &rec, 1000));
        assert!(!read_touch_due(0, &rec, 1000));
        assert!(!read_touch_due(u32::MAX, &rec, 1000));
        assert!(!read_touch_due(
            80,
            &Record {
                void_time: 0,
                ..rec.clone()
            },
            1000
        ));
    }

    #[test]
    fn ttl_rules() {
        assert_eq!(void_time(0, 0, 1000, None), Ok(0));
        assert_eq!(void_time(u32::MAX, 0, 1000, Some(5)), Ok(0));
        assert_eq!(void_time(0xFFFF_FFFE, 0, 1000, Some(5)), Ok(5));
        assert_eq!(void_time(0xFFFF_FFFE, 0, 1000, None), Ok(0));
        assert_eq!(void_time(10, 0, 1000, None), Ok(1010));
        assert_eq!(
            void_time(MAX_TTL + 1, 0, 1000, None),
            Err(crate::result::PARAMETER)
        );
        assert_eq!(void_time(0, 60, 1000, None), Ok(1060));
    }

    #[test]
    fn sealed_bins_are_found_by_name() {
        let mut rec = Record::default();
        assert_eq!(rec.wire_bin(b"a"), None);
        rec.set_bin(
            "a",
            Some(Value {
                particle: 1,
                data: 7i64.to_be_bytes().to_vec(),
            }),
        );
        rec.set_bin(
            "label",
            Some(Value {
                particle: 3,
                data: b"hello".to_vec(),
            }),
        );
        // Not sealed yet: the caller reads the bins themselves.
        assert_eq!(rec.wire_bin(b"a"), None);
        rec.seal();
        let mut w = crate::msg::MsgWriter::default();
        w.op(aerospike_cdt::wire::op::READ, 3, b"label", b"hello");
        assert_eq!(rec.wire_bin(b"label"), Some(Some(&w.buf[..])));
        let mut w = crate::msg::MsgWriter::default();
        w.op(aerospike_cdt::wire::op::READ, 1, b"a", &7i64.to_be_bytes());
        assert_eq!(rec.wire_bin(b"a"), Some(Some(&w.buf[..])));
        assert_eq!(rec.wire_bin(b"lab"), Some(None));
        assert_eq!(rec.wire_bin(b""), Some(None));
    }

    #[test]
    fn generation_wraps_to_one() {
        assert_eq!(next_generation(1), 2);
        assert_eq!(next_generation(u16::MAX), 1);
    }
}

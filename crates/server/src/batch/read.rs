//! The fast path for batch rows that only read: the reply is encoded straight from the stored
//! record while the partition's read lock is held, with no intermediate [`Reply`], no copied
//! bin names or values and no allocation.
//!
//! Which rows qualify is decided once per distinct command of a batch ([`Plan::of`]): plain
//! reads of all bins, of no bins or of named bins. The namespace lookup and the filter
//! expression are also resolved once per command instead of once per row. Everything else
//! (writes, deletes, UDFs, collection/bit/HLL/expression reads, read-touch) takes the
//! single-record path. Both paths must produce the same bytes; `read/tests.rs` runs
//! batches both ways and compares them.
//!
//! Looking rows up is dominated by cache misses (partition lock, B-tree node, record), so the
//! locks of the rows ahead are prefetched and rows are answered in small groups whose lookups
//! overlap ([`answer_group`]).
//!
//! [`Reply`]: crate::command::Reply

use std::sync::RwLockReadGuard;

use super::row::{fails_batch, Batch, Row};
use crate::command::{Command, Reply};
use crate::expr::{Env, Expr};
use crate::msg::*;
use crate::ops;
use crate::record::Record;
use crate::record::{partition_of, Digest};
use crate::result as rc;
use crate::store::{Namespace, Partition};
use crate::{Clock, State};

/// Most rows answered together by [`answer_group`].
pub const GROUP: usize = 8;

/// The time rows are judged at (expiry, filters), read once per proto rather than per row.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    ns: u64,
    cl: u32,
}

impl Now {
    /// The current time of `clock`.
    pub fn of(clock: &Clock) -> Now {
        let ns = clock.now_ns();
        Now {
            ns,
            cl: crate::clock::citrusleaf_secs(ns),
        }
    }
}

/// How the rows of one distinct command are answered.
pub enum Plan<'a> {
    /// By the single-record path.
    General,
    /// With this result code, whatever the record (the answer does not depend on it).
    Code(u8),
    /// From the stored record, by [`Read::encode`].
    Read(Read<'a>),
}

/// A plain read resolved for the fast path.
pub struct Read<'a> {
    ns: &'a Namespace,
    /// The set the record must be in (`None`: any).
    set: Option<&'a [u8]>,
    filter: Option<Expr>,
    bins: Bins,
    respond_all: bool,
}

/// Which bins a read returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bins {
    /// Metadata only.
    None,
    All,
    /// Those of the command's READ ops (an empty name means all bins).
    Ops,
    /// A read that names nothing: answered with PARAMETER once the record is found.
    Invalid,
}

impl<'a> Plan<'a> {
    /// Decides how rows running `cmd` (whose ops are `ops`) are answered. The checks mirror
    /// [`crate::single::execute`] and its read path, in the same order.
    pub fn of(state: &'a State, cmd: &Command<'a>, ops: &[Op<'_>]) -> Plan<'a> {
        let ns = match crate::single::namespace_of(state, cmd) {
            Ok(ns) => ns,
            Err(code) => return Plan::Code(code),
        };
        // A row's filter that cannot be built fails the row only once its record is found:
        // the single-record path decides that row by row.
        let Ok(filter) = cmd.filter.map(crate::expr::Expr::filter).transpose() else {
            return Plan::General;
        };
        if cmd.info2(INFO2_WRITE) {
            return Plan::General;
        }
        if cmd.info1 & INFO1_READ == 0 {
            return Plan::Code(rc::PARAMETER);
        }
        // Read-touch (a TTL percentage) may write the record after reading it.
        if (1..=100).contains(&cmd.ttl) {
            return Plan::General;
        }
        let bins = if cmd.info1 & INFO1_GET_NO_BINS != 0 {
            Bins::None
        } else if ops.is_empty() && cmd.info1 & INFO1_GET_ALL != 0 {
            Bins::All
        } else if ops.is_empty() {
            Bins::Invalid
        } else if ops.iter().all(|o| o.code == ops::READ) {
            Bins::Ops
        } else {
            return Plan::General;
        };
        Plan::Read(Read {
            ns,
            set: cmd.set.filter(|s| !s.is_empty()),
            filter,
            bins,
            respond_all: cmd.info2(INFO2_RESPOND_ALL_OPS),
        })
    }

    /// Hints the CPU to fetch what answering a row for `digest` will touch first.
    pub fn prefetch(&self, digest: &Digest) {
        if let Plan::Read(read) = self {
            read.ns.prefetch(partition_of(digest));
        }
    }
}

/// Answers consecutive rows whose plans are all [`Plan::Read`] (at most [`GROUP`] of them).
/// Returns how many rows were answered and, if one of them failed the batch (see
/// [`fails_batch`]; answering stops there), its result code, else OK.
///
/// The rows' partition locks are taken first and their records looked up back to back, so the
/// cache misses of several rows overlap instead of queuing behind each lock operation. Only
/// the first lock may wait; the others are taken only if free (a row whose lock is not ends
/// the group), so a thread never waits while holding a lock and no deadlock is possible.
pub fn answer_group(
    batch: &Batch<'_>,
    plans: &[Plan<'_>],
    rows: &[Row],
    respond_all_keys: bool,
    now: Now,
    w: &mut MsgWriter,
) -> (usize, u8) {
    let read_of = |row: &Row| match &plans[row.template as usize] {
        Plan::Read(r) => Some(r),
        _ => None,
    };
    let mut guards: [Option<RwLockReadGuard<'_, Partition>>; GROUP] = Default::default();
    let mut n = 0;
    for (slot, row) in guards.iter_mut().zip(rows) {
        let Some(read) = read_of(row) else { break };
        let pid = partition_of(&row.digest);
        *slot = if n == 0 {
            Some(read.ns.read(pid))
        } else {
            read.ns.try_read(pid)
        };
        if slot.is_none() {
            break;
        }
        n += 1;
    }
    let mut found: [Option<&Record>; GROUP] = [None; GROUP];
    for ((f, g), row) in found.iter_mut().zip(&guards).zip(&rows[..n]) {
        *f = g.as_ref().and_then(|g| g.get(&row.digest));
        if let Some(r) = f {
            r.prefetch();
        }
    }
    for (i, row) in rows[..n].iter().enumerate() {
        let Some(read) = read_of(row) else { break };
        let result = read.encode(found[i], batch.ops(row), row, now, w);
        if fails_batch(result) && !respond_all_keys {
            return (i + 1, result);
        }
    }
    (n, rc::OK)
}

impl Read<'_> {
    /// Appends the reply to `row` (whose command has `ops`) given what its digest holds;
    /// returns its result code.
    fn encode(
        &self,
        stored: Option<&Record>,
        ops: &[Op<'_>],
        row: &Row,
        now: Now,
        w: &mut MsgWriter,
    ) -> u8 {
        let Some(rec) = stored.filter(|r| !r.expired(now.cl)) else {
            return code(w, rc::KEY_NOT_FOUND, row.index);
        };
        if self.set.is_some_and(|s| s != rec.set.as_bytes()) {
            return code(w, rc::PARAMETER, row.index);
        }
        if let Some(f) = &self.filter {
            let env = Env {
                rec,
                digest: &row.digest,
                now_ns: now.ns,
            };
            if !f.matches(&env) {
                return code(w, rc::FILTERED_OUT, row.index);
            }
        }
        if self.bins == Bins::Invalid {
            return code(w, rc::PARAMETER, row.index);
        }
        let start = w.buf.len();
        w.header(&Header {
            result: rc::OK,
            generation: rec.generation as u32,
            ttl: rec.void_time,
            txn_ttl: row.index,
            ..Default::default()
        });
        let mut out = Out { w, n: 0 };
        match self.bins {
            Bins::All => out.all(rec),
            Bins::Ops => {
                for op in ops {
                    if op.name.is_empty() {
                        out.all(rec);
                    } else if let Some(Some(sealed)) = (op.code == ops::READ)
                        .then(|| rec.wire_bin(op.name))
                        .flatten()
                    {
                        out.sealed(sealed);
                    } else if let Some(v) = rec.bin(op.name) {
                        out.bin(op.code, v.particle, op.name, &v.data);
                    } else if self.respond_all {
                        out.bin(op.code, 0, op.name, &[]);
                    }
                }
            }
            Bins::None | Bins::Invalid => {}
        }
        let n = out.n.min(u16::MAX as usize) as u16;
        w.buf[start + 20..start + 22].copy_from_slice(&n.to_be_bytes());
        rc::OK
    }
}

/// Appends a reply that carries only a result code.
fn code(w: &mut MsgWriter, result: u8, index: u32) -> u8 {
    Reply::code(result).encode(w, index);
    result
}

/// Bins being appended to one reply, counted; like [`Reply::encode`], only the first 65,535
/// are sent.
struct Out<'w> {
    w: &'w mut MsgWriter,
    n: usize,
}

impl Out<'_> {
    fn bin(&mut self, code: u8, particle: u8, name: &[u8], data: &[u8]) {
        if self.n < u16::MAX as usize {
            self.w.op(code, particle, name, data);
        }
        self.n += 1;
    }

    /// One op of [`Record::wire_bins`], copied whole.
    fn sealed(&mut self, op: &[u8]) {
        if self.n < u16::MAX as usize {
            self.w.buf.extend_from_slice(op);
        }
        self.n += 1;
    }

    fn all(&mut self, rec: &Record) {
        if let Some((ops, count)) = rec.wire_bins() {
            if self.n == 0 {
                self.w.buf.extend_from_slice(ops);
                self.n = count as usize;
                return;
            }
        }
        for (name, v) in &rec.bins {
            self.bin(ops::READ, v.particle, name.as_bytes(), &v.data);
        }
    }
}

#[cfg(test)]
mod tests;

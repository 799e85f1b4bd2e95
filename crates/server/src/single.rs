//! Executing one single-record command: read, write/operate, delete, UDF apply.

use crate::command::{Command, OutBin, Reply};
use crate::expr::{self, Env, Expr};
use crate::msg::*;
use crate::ops::{self, is_modify, is_read};
use crate::record::partition_of;
use crate::record::{
    self, next_generation, particle, read_touch_due, stored_key, void_time, Digest, Record,
};
use crate::result as rc;
use crate::store::Namespace;
use crate::State;

/// What every command checks before it looks at a record: a transaction (Enterprise only)
/// and the namespace. The filter expression comes later: the real server builds it only once
/// it has found a live record.
pub fn namespace_of<'s>(state: &'s State, cmd: &Command<'_>) -> Result<&'s Namespace, u8> {
    if cmd.mrt {
        return Err(rc::ENTERPRISE_ONLY);
    }
    state.store.namespace(cmd.namespace).ok_or(rc::NAMESPACE)
}

/// Runs one command against the store.
pub fn execute(state: &State, cmd: &Command<'_>) -> Reply {
    let ns = match namespace_of(state, cmd) {
        Ok(ns) => ns,
        Err(code) => return Reply::code(code),
    };
    let filter = match cmd.filter.map(Expr::filter).transpose() {
        // A filter that cannot be built fails a command on a live record; on a missing one the
        // command goes on as if it had none (a read or delete answers not found, a write
        // creates the record, where no filter applies anyway).
        Err(_) if !is_live(ns, state, cmd) => Ok(None),
        f => f,
    };
    // A write or delete checks the record's existence and generation before its filter.
    let deferred = filter.as_ref().map(Option::as_ref).map_err(|c| *c);
    if cmd.info2(INFO2_WRITE) && (cmd.info2(INFO2_DELETE) || cmd.udf.is_none()) {
        return if cmd.info2(INFO2_DELETE) {
            delete(state, ns, cmd, deferred)
        } else {
            write(state, ns, cmd, deferred)
        };
    }
    let filter = match deferred {
        Ok(f) => f,
        Err(code) => return Reply::code(code),
    };
    if let Some(call) = cmd.udf.as_ref().filter(|_| cmd.info2(INFO2_WRITE)) {
        crate::udf::apply(state, ns, cmd, call, filter, crate::udf::Origin::Client)
    } else if cmd.info1 & INFO1_READ != 0 {
        read(state, ns, cmd, filter)
    } else {
        Reply::code(rc::PARAMETER)
    }
}

/// Whether the command's record is there and not expired.
fn is_live(ns: &Namespace, state: &State, cmd: &Command<'_>) -> bool {
    let now = state.clock.now_cl();
    ns.read(partition_of(&cmd.digest))
        .get(&cmd.digest)
        .is_some_and(|r| !r.expired(now))
}

/// EXP_READ: appends the expression's value (or, when `always`, a placeholder for nil).
fn exp_read(env: &Env<'_>, op: &Op<'_>, always: bool, out: &mut Vec<OutBin>) -> Result<(), u8> {
    let value = expr::op::read(env, op.value)?;
    if value.is_some() || always {
        out.push(OutBin {
            code: op.code,
            name: op.name.to_vec(),
            value,
        });
    }
    Ok(())
}

fn read(state: &State, ns: &Namespace, cmd: &Command<'_>, filter: Option<&Expr>) -> Reply {
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();
    let pid = partition_of(&cmd.digest);
    let (reply, touch) = {
        let part = ns.read(pid);
        let Some(rec) = part.get(&cmd.digest).filter(|r| !r.expired(now)) else {
            return Reply::code(rc::KEY_NOT_FOUND);
        };
        let env = Env {
            rec,
            digest: &cmd.digest,
            now_ns,
        };
        (
            read_record(cmd, &env, filter),
            read_touch_due(cmd.ttl, rec, now),
        )
    };
    if touch && reply.result == rc::OK {
        // The reply reports the TTL as it was; the touch takes effect for later reads.
        if let Some(rec) = ns.write(pid).get_mut(&cmd.digest) {
            rec.void_time = now.saturating_add(rec.ttl);
            rec.generation = next_generation(rec.generation);
        }
    }
    reply
}

fn read_record(cmd: &Command<'_>, env: &Env<'_>, filter: Option<&Expr>) -> Reply {
    let rec = env.rec;
    if let Some(set) = cmd.set {
        if !set.is_empty() && set != rec.set.as_bytes() {
            return Reply::code(rc::PARAMETER);
        }
    }
    if filter.is_some_and(|f| !f.matches(env)) {
        return Reply::code(rc::FILTERED_OUT);
    }
    let mut reply = Reply {
        result: rc::OK,
        generation: rec.generation as u32,
        void_time: rec.void_time,
        bins: vec![],
    };
    if cmd.info1 & INFO1_GET_NO_BINS != 0 {
        return reply;
    }
    if cmd.info1 & INFO1_GET_ALL != 0 && cmd.ops.is_empty() {
        reply.bins = all_bins(rec);
        return reply;
    }
    if cmd.ops.is_empty() {
        return Reply::code(rc::PARAMETER);
    }
    let respond_all = cmd.info2(INFO2_RESPOND_ALL_OPS);
    for op in cmd.ops {
        let res = if op.code == ops::EXP_READ {
            exp_read(env, op, respond_all, &mut reply.bins)
        } else {
            ops::read_op(
                rec,
                op.code,
                op.name,
                op.value,
                respond_all,
                &mut reply.bins,
            )
        };
        if let Err(code) = res {
            return Reply::code(code);
        }
    }
    reply
}

fn all_bins(rec: &Record) -> Vec<OutBin> {
    rec.bins
        .iter()
        .map(|(n, v)| OutBin {
            code: ops::READ,
            name: n.as_bytes().to_vec(),
            value: Some(v.clone()),
        })
        .collect()
}

/// The generation policy against a record's generation (0 for a record about to be created:
/// the real server checks a create too).
fn generation_ok(cmd: &Command<'_>, g: u32) -> bool {
    if cmd.info2(INFO2_GENERATION) && cmd.generation != g {
        return false;
    }
    !(cmd.info2(INFO2_GENERATION_GT) && cmd.generation <= g)
}

/// A command's filter, or the code of one that could not be built (answered once the record's
/// existence and generation are checked).
type Deferred<'a> = Result<Option<&'a Expr>, u8>;

/// The code a write or delete of the live record `rec` fails with because of its filter: the
/// filter's own build error, or FILTERED_OUT; `None` when the command goes on.
fn refused_by(filter: Deferred<'_>, rec: &Record, digest: &Digest, now_ns: u64) -> Option<u8> {
    match filter {
        Err(code) => Some(code),
        Ok(f) => (!expr::passes(f, rec, digest, now_ns)).then_some(rc::FILTERED_OUT),
    }
}

fn write(state: &State, ns: &Namespace, cmd: &Command<'_>, filter: Deferred<'_>) -> Reply {
    if cmd.ops.is_empty() || cmd.ops.len() > 32768 {
        return Reply::code(rc::PARAMETER);
    }
    let replace = cmd.info3(INFO3_CREATE_OR_REPLACE | INFO3_REPLACE_ONLY);
    let mut has_touch = false;
    for op in cmd.ops {
        if op.name.len() > crate::record::MAX_BIN_NAME {
            return Reply::code(rc::BIN_NAME);
        }
        if is_read(op.code) && cmd.info1 & INFO1_READ == 0 {
            return Reply::code(rc::PARAMETER);
        }
        if replace
            && (is_modify(op.code) || (op.code == ops::WRITE && op.particle == particle::NULL))
        {
            return Reply::code(rc::PARAMETER);
        }
        has_touch |= op.code == ops::TOUCH;
    }
    let key = match stored_key(cmd.key) {
        Ok(k) => k,
        Err(code) => return Reply::code(code),
    };
    let (now_ns, now, mut part) = ns.write_record(&state.clock, &cmd.digest);
    let existing = part.get(&cmd.digest).filter(|r| !r.expired(now));
    let existed = existing.is_some();

    if !existed && (cmd.info3(INFO3_UPDATE_ONLY | INFO3_REPLACE_ONLY) || has_touch) {
        return Reply::code(rc::KEY_NOT_FOUND);
    }
    if existed && cmd.info2(INFO2_CREATE_ONLY) {
        return Reply::code(rc::KEY_EXISTS);
    }
    let mut rec = match existing {
        Some(r) => {
            if !generation_ok(cmd, r.generation as u32) {
                return Reply::code(rc::GENERATION);
            }
            if cmd.set.unwrap_or(&[]) != r.set.as_bytes() {
                return Reply::code(rc::PARAMETER);
            }
            if let (Some(k), Some(stored)) = (&key, &r.key) {
                if k != stored {
                    return Reply::code(rc::KEY_MISMATCH);
                }
            }
            if let Some(code) = refused_by(filter, r, &cmd.digest, now_ns) {
                return Reply::code(code);
            }
            r.clone()
        }
        None => {
            if !generation_ok(cmd, 0) {
                return Reply::code(rc::GENERATION);
            }
            let set = match std::str::from_utf8(cmd.set.unwrap_or(&[])) {
                Ok(s) => s,
                Err(_) => return Reply::code(rc::PARAMETER),
            };
            Record {
                set: set.into(),
                ..Default::default()
            }
        }
    };
    let void = match void_time(cmd.ttl, ns.default_ttl, now, existing.map(|r| r.void_time)) {
        Ok(v) => v,
        Err(code) => return Reply::code(code),
    };
    if replace {
        rec.bins.clear();
    }
    if key.is_some() {
        rec.key = key;
    }

    let respond_all = cmd.info2(INFO2_RESPOND_ALL_OPS);
    let mut out = Vec::new();
    for op in cmd.ops {
        let res = if op.code == ops::EXP_READ {
            let env = Env {
                rec: &rec,
                digest: &cmd.digest,
                now_ns,
            };
            // In a write, an expression read always answers (nil as a placeholder).
            exp_read(&env, op, true, &mut out).map(|_| None::<()>)
        } else if op.code == ops::EXP_MODIFY {
            expr::op::modify(&mut rec, &cmd.digest, now_ns, op.name, op.value).map(|_| {
                if respond_all {
                    out.push(OutBin {
                        code: op.code,
                        name: op.name.to_vec(),
                        value: None,
                    });
                }
                None
            })
        } else if is_read(op.code) {
            // In a write, a list/map, bit or HLL read of an existing bin always answers (nil as
            // a placeholder), as the real server's write path does.
            let always = respond_all || (op.code != ops::READ && rec.bin(op.name).is_some());
            ops::read_op(&rec, op.code, op.name, op.value, always, &mut out).map(|_| None::<()>)
        } else {
            match ops::write_op(&mut rec, op.code, op.particle, op.name, op.value) {
                Ok(Some(v)) => {
                    out.push(OutBin {
                        code: op.code,
                        name: op.name.to_vec(),
                        value: Some(v),
                    });
                    Ok(None)
                }
                // A touch answers nothing even when every op is to answer (the real server's
                // write loop moves on before the respond-all bookkeeping).
                Ok(None) if respond_all && op.code != ops::TOUCH => {
                    out.push(OutBin {
                        code: op.code,
                        name: op.name.to_vec(),
                        value: None,
                    });
                    Ok(None)
                }
                Ok(None) => Ok(None),
                Err(code) => Err(code),
            }
        };
        if let Err(code) = res {
            return Reply::code(code);
        }
    }

    if rec.bins.is_empty() {
        if !existed {
            return Reply::code(rc::KEY_NOT_FOUND);
        }
        ns.remove(&mut part, &cmd.digest);
        return Reply {
            result: rc::OK,
            generation: 0,
            void_time: 0,
            bins: out,
        };
    }
    if rec.size() > record::MAX_RECORD_SIZE {
        return Reply::code(rc::RECORD_TOO_BIG);
    }
    rec.stamp_write(void, now, now_ns);
    let reply = Reply {
        result: rc::OK,
        generation: rec.generation as u32,
        void_time: rec.void_time,
        bins: out,
    };
    ns.put(&mut part, cmd.digest, rec);
    reply
}

fn delete(state: &State, ns: &Namespace, cmd: &Command<'_>, filter: Deferred<'_>) -> Reply {
    let (now_ns, now, mut part) = ns.write_record(&state.clock, &cmd.digest);
    let Some(rec) = part.get(&cmd.digest).filter(|r| !r.expired(now)) else {
        ns.remove(&mut part, &cmd.digest);
        return Reply::code(rc::KEY_NOT_FOUND);
    };
    if !generation_ok(cmd, rec.generation as u32) {
        return Reply::code(rc::GENERATION);
    }
    if let Some(code) = refused_by(filter, rec, &cmd.digest, now_ns) {
        return Reply::code(code);
    }
    ns.remove(&mut part, &cmd.digest);
    Reply::code(rc::OK)
}

//! Record UDFs: `client.apply()`, batch-apply rows and background scan/query UDF jobs run a Lua
//! function of a registered module on one record.
//!
//! The call runs while the record's partition is locked for writing, so it sees and changes the
//! record atomically. When the function changed the record (`aerospike:create`/`update`/
//! `remove`), the result is stored like a single-record write: generation +1, TTL from the
//! command or `record.set_ttl`, secondary indexes maintained by the store; a record left without
//! bins is deleted. The reply carries the return value in a bin `SUCCESS`; a Lua failure answers
//! 100 (UDF execution) with the message in a bin `FAILURE`.
//!
//! Stream UDFs (aggregation queries) run in [`stream`].

mod lua;
mod record;
pub mod stream;
mod userdata;
mod value;

use std::cell::RefCell;
use std::rc::Rc;

use aerospike_cdt::Value as Mp;

use crate::command::{Call, Command, OutBin, Reply};
use crate::expr::Expr;
use crate::ops;
use crate::record::{particle, stored_key, void_time, Record, Value as Particle, MAX_RECORD_SIZE};
use crate::result as rc;
use crate::store::Namespace;
use crate::State;

use record::RecState;
use value::Val;

/// Who runs the UDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A client command or batch row: may create the record, gets a reply.
    Client,
    /// A background job: only existing records, never creates one.
    Background,
}

fn failure(message: &str) -> Reply {
    Reply {
        result: rc::UDF_EXECUTION,
        generation: 0,
        void_time: 0,
        bins: vec![OutBin {
            code: ops::READ,
            name: b"FAILURE".to_vec(),
            value: Some(Particle {
                particle: particle::STRING,
                data: message.as_bytes().to_vec(),
            }),
        }],
    }
}

/// A call's decoded arguments, module name (without `.lua`) and function name.
fn resolve<'c>(call: &Call<'c>) -> Result<(Vec<Val>, &'c str, &'c str), u8> {
    let args = arguments(call.args)?;
    let (Ok(module), Ok(function)) = (
        std::str::from_utf8(call.module),
        std::str::from_utf8(call.function),
    ) else {
        return Err(rc::PARAMETER);
    };
    Ok((
        args,
        module.strip_suffix(".lua").unwrap_or(module),
        function,
    ))
}

/// Decodes the argument list.
fn arguments(args: Option<&[u8]>) -> Result<Vec<Val>, u8> {
    match args {
        None => Ok(vec![]),
        Some(a) => match aerospike_cdt::decode(a) {
            Ok(Mp::List(l)) => Ok(l.items.iter().map(Val::from_mp).collect()),
            _ => Err(rc::PARAMETER),
        },
    }
}

/// Runs `call` on the record `cmd` addresses.
pub fn apply(
    state: &State,
    ns: &Namespace,
    cmd: &Command<'_>,
    call: &Call<'_>,
    filter: Option<&Expr>,
    origin: Origin,
) -> Reply {
    let (args, module, function) = match resolve(call) {
        Ok(r) => r,
        Err(code) => return Reply::code(code),
    };
    let key = match stored_key(cmd.key) {
        Ok(k) => k,
        Err(code) => return Reply::code(code),
    };
    let (now_ns, now, mut part) = ns.write_record(&state.clock, &cmd.digest);
    let existing = part.get(&cmd.digest).filter(|r| !r.expired(now)).cloned();
    if let Some(r) = &existing {
        if !crate::expr::passes(filter, r, &cmd.digest, now_ns) {
            return Reply::code(rc::FILTERED_OUT);
        }
    } else if origin == Origin::Background {
        return Reply::code(rc::KEY_NOT_FOUND);
    }
    // The module is looked up after the filter (a filtered-out record answers 27 either way).
    let Some(source) = state.catalog.module(&format!("{module}.lua")) else {
        // The real server's words for a module it does not have.
        return failure("UDF: Execution Error 1");
    };
    let stored = match &existing {
        Some(r) => r.clone(),
        None => Record {
            set: String::from_utf8_lossy(cmd.set.unwrap_or(&[])).into(),
            ..Default::default()
        },
    };
    let (generation, void) = existing
        .as_ref()
        .map_or((0, 0), |r| (r.generation as u32, r.void_time));
    let shared = Rc::new(RefCell::new(RecState {
        exists: existing.is_some(),
        stored,
        digest: cmd.digest,
        msg_key: key,
        now,
        ..Default::default()
    }));
    let result = lua::call(
        module,
        &source.content,
        &source.hash,
        function,
        &shared,
        &args,
    );
    // The Lua state may keep a reference to `rec`; take the state out.
    let st = std::mem::take(&mut *shared.borrow_mut());
    let value = match result.map(|v| v.to_particle()) {
        Ok(Ok(v)) => v,
        Ok(Err(msg)) | Err(lua::Failure(msg)) => {
            let mut r = failure(&msg);
            r.generation = generation;
            r.void_time = void;
            return r;
        }
    };
    let mut reply = Reply {
        result: rc::OK,
        generation,
        void_time: void,
        bins: vec![OutBin {
            code: ops::READ,
            name: b"SUCCESS".to_vec(),
            value,
        }],
    };
    if !st.has_updates {
        return reply;
    }
    let mut rec = st.stored;
    if st.drop_key {
        rec.key = None;
    }
    if rec.bins.is_empty() {
        // A record the UDF created and left without bins is not stored, and the apply answers
        // not found, as on the real server.
        if existing.is_none() {
            return Reply::code(rc::KEY_NOT_FOUND);
        }
        ns.remove(&mut part, &cmd.digest);
        reply.generation = 0;
        reply.void_time = 0;
        return reply;
    }
    if rec.size() > MAX_RECORD_SIZE {
        return Reply::code(rc::RECORD_TOO_BIG);
    }
    let ttl = st.ttl.unwrap_or(cmd.ttl);
    let void = match void_time(
        ttl,
        ns.default_ttl,
        now,
        existing.as_ref().map(|r| r.void_time),
    ) {
        Ok(v) => v,
        Err(code) => return Reply::code(code),
    };
    rec.stamp_write(void, now, now_ns);
    reply.generation = rec.generation as u32;
    reply.void_time = rec.void_time;
    ns.put(&mut part, cmd.digest, rec);
    reply
}

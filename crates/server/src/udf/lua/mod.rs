//! The Lua side of record UDFs: one Lua state per module (per thread), with the module loaded
//! and Aerospike's Lua API installed (`record`, `aerospike`, `list`, `map`, `bytes`, logging).
//!
//! States are cached per module and content hash, so a re-registered module is loaded afresh.
//! Each call runs under an instruction budget and the state under a memory limit; a state that
//! ran out of either is dropped rather than reused.

mod collections;
pub mod convert;
mod library;
mod records;
#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use mlua::{HookTriggers, Lua, MultiValue, Value as LuaValue, VmState};

use super::record::{RecState, UdfRecord};
use super::value::Val;

pub use convert::{from_lua, to_lua};

/// Instructions one call may run (checked every [`HOOK_EVERY`]).
const INSTRUCTION_BUDGET: u64 = 50_000_000;
const HOOK_EVERY: u32 = 10_000;
/// Memory one Lua state may hold.
const MEMORY_LIMIT: usize = 64 * 1024 * 1024;
/// Modules kept loaded per thread.
const POOL_SIZE: usize = 32;

struct Loaded {
    hash: String,
    lua: Lua,
}

thread_local! {
    static POOL: RefCell<HashMap<String, Loaded>> = RefCell::new(HashMap::new());
}

/// How a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

/// Runs `function` of module `name` (source `content`, identified by `hash`) on `rec`.
pub fn call(
    name: &str,
    content: &[u8],
    hash: &str,
    function: &str,
    rec: &Rc<RefCell<RecState>>,
    args: &[Val],
) -> Result<Val, Failure> {
    with_state(name, content, hash, |lua| run(lua, function, rec, args))
}

/// Runs `f` on the (cached or freshly loaded) state of module `name`, under the instruction
/// budget; the state goes back to the cache unless it ran out of instructions or memory.
pub fn with_state<R>(
    name: &str,
    content: &[u8],
    hash: &str,
    f: impl FnOnce(&Lua) -> Result<R, Failure>,
) -> Result<R, Failure> {
    let cached = POOL.with(|p| p.borrow_mut().remove(name));
    let lua = match cached {
        Some(l) if l.hash == hash => l.lua,
        _ => load(name, content)?,
    };
    let budget_hit = limit_instructions(&lua);
    let result = f(&lua);
    lua.remove_hook();
    let poisoned =
        budget_hit.get() || matches!(&result, Err(Failure(m)) if m.contains("not enough memory"));
    if !poisoned {
        POOL.with(|p| {
            let mut p = p.borrow_mut();
            if p.len() >= POOL_SIZE {
                p.clear();
            }
            p.insert(
                name.to_string(),
                Loaded {
                    hash: hash.to_string(),
                    lua,
                },
            );
        });
    }
    result
}

/// Stops what runs on `lua` once it used up [`INSTRUCTION_BUDGET`] (until the hook is removed);
/// the flag tells whether it did.
fn limit_instructions(lua: &Lua) -> Rc<Cell<bool>> {
    let budget_hit = Rc::new(Cell::new(false));
    let hit = budget_hit.clone();
    let used = Cell::new(0u64);
    lua.set_hook(
        HookTriggers::new().every_nth_instruction(HOOK_EVERY),
        move |_, _| {
            used.set(used.get() + HOOK_EVERY as u64);
            if used.get() > INSTRUCTION_BUDGET {
                hit.set(true);
                return Err(mlua::Error::runtime("UDF timed out"));
            }
            Ok(VmState::Continue)
        },
    );
    budget_hit
}

fn run(
    lua: &Lua,
    function: &str,
    rec: &Rc<RefCell<RecState>>,
    args: &[Val],
) -> Result<Val, Failure> {
    let f = match lua.globals().raw_get::<LuaValue>(function) {
        Ok(LuaValue::Function(f)) => f,
        _ => return Err(Failure("function not found".into())),
    };
    let mut call_args = Vec::with_capacity(args.len() + 1);
    call_args.push(LuaValue::UserData(
        lua.create_userdata(UdfRecord(rec.clone()))
            .map_err(failure)?,
    ));
    for a in args {
        call_args.push(to_lua(lua, a).map_err(failure)?);
    }
    let ret: MultiValue = f.call(MultiValue::from_vec(call_args)).map_err(failure)?;
    Ok(ret
        .into_iter()
        .next()
        .and_then(|v| from_lua(v, 0))
        .unwrap_or(Val::Nil))
}

/// The message of a Lua error, without mlua's wrapping and traceback.
fn message(e: &mlua::Error) -> String {
    match e {
        // mlua appends a traceback to an error raised in Lua; the real server's message is the
        // error value alone.
        mlua::Error::RuntimeError(s) | mlua::Error::SyntaxError { message: s, .. } => s
            .split("\nstack traceback:")
            .next()
            .unwrap_or_default()
            .to_string(),
        mlua::Error::CallbackError { cause, .. } => message(cause),
        mlua::Error::WithContext { cause, .. } => message(cause),
        mlua::Error::MemoryError(_) => "not enough memory".into(),
        e => e.to_string(),
    }
}

pub fn failure(e: mlua::Error) -> Failure {
    Failure(message(&e))
}

/// A fresh state with the API installed and the module loaded.
fn load(name: &str, content: &[u8]) -> Result<Lua, Failure> {
    let lua = Lua::new();
    install(&lua).map_err(failure)?;
    let _ = lua.set_memory_limit(MEMORY_LIMIT);
    // Loading runs the module's top level, which could loop too.
    limit_instructions(&lua);
    let loaded = lua.load(content).set_name(format!("@{name}.lua")).exec();
    lua.remove_hook();
    loaded.map_err(failure)?;
    Ok(lua)
}

/// Installs the API globals.
fn install(lua: &Lua) -> mlua::Result<()> {
    let g = lua.globals();
    // Logging: accepted and dropped.
    for name in ["trace", "debug", "info", "warn"] {
        g.set(name, lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    }
    g.set("record", records::record(lua)?)?;
    g.set("aerospike", records::aerospike(lua)?)?;
    g.set("list", collections::list(lua)?)?;
    g.set("map", collections::map(lua)?)?;
    g.set("bytes", collections::bytes(lua)?)
}

//! The Lua side of record UDFs: one Lua state per module (per thread), with the module loaded
//! and Aerospike's Lua API installed (`record`, `aerospike`, `list`, `map`, `bytes`, logging).
//!
//! States are cached per module and content hash, so a re-registered module is loaded afresh.
//! Each call runs under an instruction budget and the state under a memory limit; a state that
//! ran out of either is dropped rather than reused.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use mlua::{
    AnyUserData, Function, HookTriggers, Lua, MetaMethod, MultiValue, Table, UserData,
    UserDataMethods, Value as LuaValue, Variadic, VmState,
};

use super::record::{RecState, UdfRecord};
use super::value::{ListRef, MapData, MapRef, Val};

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
    let budget_hit = Rc::new(Cell::new(false));
    let used = Rc::new(Cell::new(0u64));
    let hit = budget_hit.clone();
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
        mlua::Error::RuntimeError(s) | mlua::Error::SyntaxError { message: s, .. } => s.clone(),
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
    let used = Rc::new(Cell::new(0u64));
    lua.set_hook(
        HookTriggers::new().every_nth_instruction(HOOK_EVERY),
        move |_, _| {
            used.set(used.get() + HOOK_EVERY as u64);
            if used.get() > INSTRUCTION_BUDGET {
                return Err(mlua::Error::runtime("UDF timed out"));
            }
            Ok(VmState::Continue)
        },
    );
    let loaded = lua.load(content).set_name(format!("@{name}.lua")).exec();
    lua.remove_hook();
    loaded.map_err(failure)?;
    Ok(lua)
}

/// Converts a value for Lua.
pub fn to_lua(lua: &Lua, v: &Val) -> mlua::Result<LuaValue> {
    Ok(match v {
        Val::Nil => LuaValue::Nil,
        Val::Bool(b) => LuaValue::Boolean(*b),
        Val::Int(i) => LuaValue::Integer(*i),
        Val::Float(f) => LuaValue::Number(*f),
        Val::Str(s) => LuaValue::String(lua.create_string(s)?),
        Val::Bytes(t, b) => {
            LuaValue::UserData(lua.create_userdata(Bytes(Rc::new(RefCell::new((*t, b.clone())))))?)
        }
        Val::List(l) => LuaValue::UserData(lua.create_userdata(List(l.clone()))?),
        Val::Map(m) => LuaValue::UserData(lua.create_userdata(Map(m.clone()))?),
    })
}

/// Converts a Lua value; `None` for what has no Aerospike form (functions, records, …).
pub fn from_lua(v: LuaValue, depth: usize) -> Option<Val> {
    if depth > 64 {
        return None;
    }
    Some(match v {
        LuaValue::Nil => Val::Nil,
        LuaValue::Boolean(b) => Val::Bool(b),
        LuaValue::Integer(i) => Val::Int(i),
        LuaValue::Number(f) => Val::Float(f),
        LuaValue::String(s) => Val::Str(s.as_bytes().to_vec()),
        LuaValue::UserData(ud) => {
            if let Ok(l) = ud.borrow::<List>() {
                Val::List(l.0.clone())
            } else if let Ok(m) = ud.borrow::<Map>() {
                Val::Map(m.0.clone())
            } else if let Ok(b) = ud.borrow::<Bytes>() {
                let b = b.0.borrow();
                Val::Bytes(b.0, b.1.clone())
            } else {
                return None;
            }
        }
        LuaValue::Table(t) => table_to_val(t, depth)?,
        _ => return None,
    })
}

/// A Lua table: a sequence becomes a list, anything else a map.
fn table_to_val(t: Table, depth: usize) -> Option<Val> {
    let len = t.raw_len();
    let mut pairs = Vec::new();
    for pair in t.pairs::<LuaValue, LuaValue>() {
        let (k, v) = pair.ok()?;
        pairs.push((from_lua(k, depth + 1)?, from_lua(v, depth + 1)?));
    }
    if pairs.len() == len {
        let mut items = vec![Val::Nil; len];
        for (k, v) in pairs {
            match k {
                Val::Int(i) if i >= 1 && (i as usize) <= len => items[i as usize - 1] = v,
                _ => return None,
            }
        }
        Some(Val::list(items))
    } else {
        Some(Val::map(pairs))
    }
}

fn arg_val(v: LuaValue) -> mlua::Result<Val> {
    from_lua(v, 0).ok_or_else(|| mlua::Error::runtime("unsupported value type"))
}

/// A list (`list()`), shared with wherever it was read from.
#[derive(Clone)]
pub struct List(pub ListRef);

/// A map (`map()`).
#[derive(Clone)]
pub struct Map(pub MapRef);

/// Bytes (`bytes()`, blob and GeoJSON bins): particle type and content.
#[derive(Clone)]
pub struct Bytes(pub Rc<RefCell<(u8, Vec<u8>)>>);

fn describe(v: &Val) -> String {
    match v {
        Val::Nil => "nil".into(),
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => f.to_string(),
        Val::Str(s) => String::from_utf8_lossy(s).into_owned(),
        Val::Bytes(_, b) => format!("<bytes:{}>", b.len()),
        Val::List(l) => format!(
            "List({})",
            l.borrow()
                .iter()
                .map(describe)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Map(m) => format!(
            "Map({})",
            m.borrow()
                .entries
                .iter()
                .map(|(k, v)| format!("{}->{}", describe(k), describe(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl UserData for List {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, this, i: i64| {
            let items = this.0.borrow();
            match usize::try_from(i - 1).ok().and_then(|i| items.get(i)) {
                Some(v) => to_lua(lua, v),
                None => Ok(LuaValue::Nil),
            }
        });
        methods.add_meta_method(MetaMethod::NewIndex, |_, this, (i, v): (i64, LuaValue)| {
            let v = arg_val(v)?;
            let mut items = this.0.borrow_mut();
            let idx = usize::try_from(i - 1)
                .map_err(|_| mlua::Error::runtime("list index out of range"))?;
            if idx < items.len() {
                items[idx] = v;
            } else if idx <= items.len() + 1_000_000 {
                items.resize(idx, Val::Nil);
                items.push(v);
            } else {
                return Err(mlua::Error::runtime("list index out of range"));
            }
            Ok(())
        });
        methods.add_meta_method(MetaMethod::Len, |_, this, ()| Ok(this.0.borrow().len()));
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(describe(&Val::List(this.0.clone())))
        });
    }
}

impl UserData for Map {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, this, k: LuaValue| {
            let k = arg_val(k)?;
            match this.0.borrow().get(&k) {
                Some(v) => to_lua(lua, v),
                None => Ok(LuaValue::Nil),
            }
        });
        methods.add_meta_method(
            MetaMethod::NewIndex,
            |_, this, (k, v): (LuaValue, LuaValue)| {
                let (k, v) = (arg_val(k)?, arg_val(v)?);
                this.0.borrow_mut().set(k, v);
                Ok(())
            },
        );
        methods.add_meta_method(MetaMethod::Len, |_, this, ()| {
            Ok(this.0.borrow().entries.len())
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(describe(&Val::Map(this.0.clone())))
        });
    }
}

impl UserData for Bytes {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Len, |_, this, ()| Ok(this.0.borrow().1.len()));
        methods.add_meta_method(MetaMethod::Index, |_, this, i: i64| {
            let b = this.0.borrow();
            Ok(usize::try_from(i - 1)
                .ok()
                .and_then(|i| b.1.get(i).copied()))
        });
        methods.add_meta_method(MetaMethod::ToString, |lua, this, ()| {
            let b = this.0.borrow();
            lua.create_string(&b.1)
        });
    }
}

fn list_arg(ud: &AnyUserData) -> mlua::Result<ListRef> {
    Ok(ud.borrow::<List>()?.0.clone())
}

fn map_arg(ud: &AnyUserData) -> mlua::Result<MapRef> {
    Ok(ud.borrow::<Map>()?.0.clone())
}

/// An iterator function over `items` (re-read on each step, like the real list iterator).
fn values_iter(lua: &Lua, items: Vec<Val>) -> mlua::Result<Function> {
    let pos = Cell::new(0usize);
    lua.create_function(move |lua, ()| {
        let i = pos.get();
        pos.set(i + 1);
        match items.get(i) {
            Some(v) => to_lua(lua, v),
            None => Ok(LuaValue::Nil),
        }
    })
}

/// Installs the API globals.
fn install(lua: &Lua) -> mlua::Result<()> {
    let g = lua.globals();

    // Logging: accepted and dropped.
    for name in ["trace", "debug", "info", "warn"] {
        g.set(name, lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    }

    // record.*
    let record = lua.create_table()?;
    record.set(
        "ttl",
        lua.create_function(|_, r: AnyUserData| Ok(r.borrow::<UdfRecord>()?.ttl()))?,
    )?;
    record.set(
        "gen",
        lua.create_function(|_, r: AnyUserData| Ok(r.borrow::<UdfRecord>()?.gen()))?,
    )?;
    record.set(
        "set_ttl",
        lua.create_function(|_, (r, ttl): (AnyUserData, i64)| {
            r.borrow::<UdfRecord>()?.set_ttl(ttl);
            Ok(0)
        })?,
    )?;
    record.set(
        "drop_key",
        lua.create_function(|_, r: AnyUserData| {
            r.borrow::<UdfRecord>()?.0.borrow_mut().drop_key = true;
            Ok(0)
        })?,
    )?;
    record.set(
        "key",
        lua.create_function(|lua, r: AnyUserData| {
            let key = r.borrow::<UdfRecord>()?.key();
            to_lua(lua, &key)
        })?,
    )?;
    record.set(
        "digest",
        lua.create_function(|lua, r: AnyUserData| {
            let d = r.borrow::<UdfRecord>()?.0.borrow().digest;
            to_lua(lua, &Val::Bytes(crate::record::particle::BLOB, d.to_vec()))
        })?,
    )?;
    record.set(
        "setname",
        lua.create_function(|lua, r: AnyUserData| {
            let r = r.borrow::<UdfRecord>()?;
            let st = r.0.borrow();
            if st.exists {
                Ok(LuaValue::String(lua.create_string(&*st.stored.set)?))
            } else {
                Ok(LuaValue::Nil)
            }
        })?,
    )?;
    record.set(
        "bin_names",
        lua.create_function(|lua, r: AnyUserData| {
            let names = r.borrow::<UdfRecord>()?.bin_names();
            lua.create_sequence_from(names)
        })?,
    )?;
    record.set(
        "numbins",
        lua.create_function(|_, r: AnyUserData| Ok(r.borrow::<UdfRecord>()?.bin_names().len()))?,
    )?;
    record.set(
        "last_update_time",
        lua.create_function(|_, r: AnyUserData| {
            let r = r.borrow::<UdfRecord>()?;
            let st = r.0.borrow();
            Ok(if st.exists {
                (st.stored.last_update_ns / 1_000_000) as i64
            } else {
                0
            })
        })?,
    )?;
    record.set(
        "size",
        lua.create_function(|_, r: AnyUserData| {
            let r = r.borrow::<UdfRecord>()?;
            let st = r.0.borrow();
            Ok(if st.exists { st.stored.size() } else { 0 })
        })?,
    )?;
    for alias in ["memory_size", "device_size"] {
        record.set(alias, record.get::<Function>("size")?)?;
    }
    g.set("record", record)?;

    // aerospike:exists/create/update/remove (called with `:`, so the first argument is the
    // table itself).
    let aerospike = lua.create_table()?;
    aerospike.set(
        "exists",
        lua.create_function(|_, (_, r): (LuaValue, AnyUserData)| {
            Ok(r.borrow::<UdfRecord>()?.0.borrow().exists)
        })?,
    )?;
    aerospike.set(
        "create",
        lua.create_function(|_, (_, r): (LuaValue, AnyUserData)| {
            r.borrow::<UdfRecord>()?
                .create()
                .map_err(mlua::Error::runtime)
        })?,
    )?;
    aerospike.set(
        "update",
        lua.create_function(|_, (_, r): (LuaValue, AnyUserData)| {
            r.borrow::<UdfRecord>()?
                .update()
                .map_err(mlua::Error::runtime)
        })?,
    )?;
    aerospike.set(
        "remove",
        lua.create_function(|_, (_, r): (LuaValue, AnyUserData)| {
            Ok(r.borrow::<UdfRecord>()?.remove())
        })?,
    )?;
    aerospike.set("log", lua.create_function(|_, _: MultiValue| Ok(()))?)?;
    g.set("aerospike", aerospike)?;

    install_list(lua, &g)?;
    install_map(lua, &g)?;
    install_bytes(lua, &g)?;
    Ok(())
}

/// Makes `t(...)` call `f(...)` (without `t` itself).
fn callable(lua: &Lua, t: &Table, f: Function) -> mlua::Result<()> {
    let meta = lua.create_table()?;
    meta.set(
        "__call",
        lua.create_function(move |_, args: MultiValue| {
            let mut args = args.into_iter();
            args.next();
            f.call::<LuaValue>(args.collect::<MultiValue>())
        })?,
    )?;
    t.set_metatable(Some(meta));
    Ok(())
}

fn install_list(lua: &Lua, g: &Table) -> mlua::Result<()> {
    let list = lua.create_table()?;
    let create = lua.create_function(|lua, init: Option<LuaValue>| {
        let items = match init {
            Some(LuaValue::Table(t)) => t
                .sequence_values::<LuaValue>()
                .map(|v| v.and_then(arg_val))
                .collect::<mlua::Result<Vec<_>>>()?,
            _ => Vec::new(),
        };
        lua.create_userdata(List(Rc::new(RefCell::new(items))))
    })?;
    list.set("create", create.clone())?;
    callable(lua, &list, create)?;
    list.set(
        "size",
        lua.create_function(|_, l: AnyUserData| Ok(list_arg(&l)?.borrow().len()))?,
    )?;
    list.set(
        "append",
        lua.create_function(|_, (l, v): (AnyUserData, LuaValue)| {
            list_arg(&l)?.borrow_mut().push(arg_val(v)?);
            Ok(())
        })?,
    )?;
    list.set(
        "prepend",
        lua.create_function(|_, (l, v): (AnyUserData, LuaValue)| {
            list_arg(&l)?.borrow_mut().insert(0, arg_val(v)?);
            Ok(())
        })?,
    )?;
    list.set(
        "insert",
        lua.create_function(|_, (l, i, v): (AnyUserData, i64, LuaValue)| {
            let l = list_arg(&l)?;
            let mut items = l.borrow_mut();
            let idx = usize::try_from(i - 1).unwrap_or(usize::MAX);
            if idx > items.len() {
                return Err(mlua::Error::runtime("list index out of range"));
            }
            items.insert(idx, arg_val(v)?);
            Ok(())
        })?,
    )?;
    list.set(
        "remove",
        lua.create_function(|_, (l, i): (AnyUserData, i64)| {
            let l = list_arg(&l)?;
            let mut items = l.borrow_mut();
            if let Some(idx) = usize::try_from(i - 1).ok().filter(|&x| x < items.len()) {
                items.remove(idx);
            }
            Ok(())
        })?,
    )?;
    list.set(
        "take",
        lua.create_function(|lua, (l, n): (AnyUserData, i64)| {
            let items: Vec<Val> = list_arg(&l)?
                .borrow()
                .iter()
                .take(n.max(0) as usize)
                .cloned()
                .collect();
            to_lua(lua, &Val::list(items))
        })?,
    )?;
    list.set(
        "drop",
        lua.create_function(|lua, (l, n): (AnyUserData, i64)| {
            let items: Vec<Val> = list_arg(&l)?
                .borrow()
                .iter()
                .skip(n.max(0) as usize)
                .cloned()
                .collect();
            to_lua(lua, &Val::list(items))
        })?,
    )?;
    list.set(
        "trim",
        lua.create_function(|_, (l, n): (AnyUserData, i64)| {
            list_arg(&l)?.borrow_mut().truncate((n - 1).max(0) as usize);
            Ok(())
        })?,
    )?;
    list.set(
        "clone",
        lua.create_function(|lua, l: AnyUserData| {
            let items = list_arg(&l)?.borrow().clone();
            to_lua(lua, &Val::list(items))
        })?,
    )?;
    list.set(
        "concat",
        lua.create_function(|_, (a, b): (AnyUserData, AnyUserData)| {
            let extra = list_arg(&b)?.borrow().clone();
            list_arg(&a)?.borrow_mut().extend(extra);
            Ok(())
        })?,
    )?;
    list.set(
        "merge",
        lua.create_function(|lua, (a, b): (AnyUserData, AnyUserData)| {
            let mut items = list_arg(&a)?.borrow().clone();
            items.extend(list_arg(&b)?.borrow().iter().cloned());
            to_lua(lua, &Val::list(items))
        })?,
    )?;
    list.set(
        "iterator",
        lua.create_function(|lua, l: AnyUserData| {
            let items = list_arg(&l)?.borrow().clone();
            values_iter(lua, items)
        })?,
    )?;
    g.set("list", list)
}

fn install_map(lua: &Lua, g: &Table) -> mlua::Result<()> {
    let map = lua.create_table()?;
    let create = lua.create_function(|lua, init: Option<LuaValue>| {
        let mut data = MapData::default();
        if let Some(LuaValue::Table(t)) = init {
            for pair in t.pairs::<LuaValue, LuaValue>() {
                let (k, v) = pair?;
                data.set(arg_val(k)?, arg_val(v)?);
            }
        }
        lua.create_userdata(Map(Rc::new(RefCell::new(data))))
    })?;
    map.set("create", create.clone())?;
    callable(lua, &map, create)?;
    map.set(
        "size",
        lua.create_function(|_, m: AnyUserData| Ok(map_arg(&m)?.borrow().entries.len()))?,
    )?;
    map.set(
        "remove",
        lua.create_function(|_, (m, k): (AnyUserData, LuaValue)| {
            map_arg(&m)?.borrow_mut().set(arg_val(k)?, Val::Nil);
            Ok(())
        })?,
    )?;
    map.set(
        "contains",
        lua.create_function(|_, (m, k): (AnyUserData, LuaValue)| {
            Ok(map_arg(&m)?.borrow().get(&arg_val(k)?).is_some())
        })?,
    )?;
    map.set(
        "clone",
        lua.create_function(|lua, m: AnyUserData| {
            let m = map_arg(&m)?;
            let m = m.borrow();
            let copy = MapData {
                order: m.order,
                entries: m.entries.clone(),
            };
            to_lua(lua, &Val::Map(Rc::new(RefCell::new(copy))))
        })?,
    )?;
    map.set(
        "merge",
        lua.create_function(
            |lua, (a, b, f): (AnyUserData, AnyUserData, Option<Function>)| {
                let a = map_arg(&a)?;
                let mut out = MapData {
                    order: a.borrow().order,
                    entries: a.borrow().entries.clone(),
                };
                for (k, v) in map_arg(&b)?.borrow().entries.iter() {
                    let v = match (out.get(k), &f) {
                        (Some(old), Some(f)) => {
                            arg_val(f.call::<LuaValue>((to_lua(lua, old)?, to_lua(lua, v)?))?)?
                        }
                        _ => v.clone(),
                    };
                    out.set(k.clone(), v);
                }
                to_lua(lua, &Val::Map(Rc::new(RefCell::new(out))))
            },
        )?,
    )?;
    map.set(
        "pairs",
        lua.create_function(|lua, m: AnyUserData| {
            let entries = map_arg(&m)?.borrow().entries.clone();
            let pos = Cell::new(0usize);
            lua.create_function(move |lua, ()| {
                let i = pos.get();
                pos.set(i + 1);
                match entries.get(i) {
                    Some((k, v)) => Ok(Variadic::from_iter([to_lua(lua, k)?, to_lua(lua, v)?])),
                    None => Ok(Variadic::from_iter([LuaValue::Nil])),
                }
            })
        })?,
    )?;
    map.set(
        "keys",
        lua.create_function(|lua, m: AnyUserData| {
            let keys = map_arg(&m)?
                .borrow()
                .entries
                .iter()
                .map(|(k, _)| k.clone())
                .collect();
            values_iter(lua, keys)
        })?,
    )?;
    map.set(
        "values",
        lua.create_function(|lua, m: AnyUserData| {
            let values = map_arg(&m)?
                .borrow()
                .entries
                .iter()
                .map(|(_, v)| v.clone())
                .collect();
            values_iter(lua, values)
        })?,
    )?;
    g.set("map", map)
}

fn install_bytes(lua: &Lua, g: &Table) -> mlua::Result<()> {
    let bytes = lua.create_table()?;
    let create = lua.create_function(|lua, n: Option<i64>| {
        let n = n.unwrap_or(0).clamp(0, 1 << 20) as usize;
        lua.create_userdata(Bytes(Rc::new(RefCell::new((
            crate::record::particle::BLOB,
            vec![0; n],
        )))))
    })?;
    callable(lua, &bytes, create)?;
    bytes.set(
        "size",
        lua.create_function(|_, b: AnyUserData| Ok(b.borrow::<Bytes>()?.0.borrow().1.len()))?,
    )?;
    g.set("bytes", bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
function lists(rec)
  local l = list{1, 2}
  list.append(l, 3)
  list.prepend(l, 0)
  local sum = 0
  for v in list.iterator(l) do sum = sum + v end
  return sum * 100 + list.size(l) * 10 + #list.take(l, 2)
end

function maps(rec)
  local m = map{a = 1}
  m.b = 2
  m['a'] = nil
  local keys = 0
  for k, v in map.pairs(m) do keys = keys + v end
  return map.size(m) * 10 + keys
end

function nested(rec)
  local l = list()
  l[1] = list{1}
  list.append(l[1], 2)
  return l
end

function records(rec)
  rec.x = 5
  local before = rec.x
  local ok = aerospike:update(rec)
  return list{before, ok, record.gen(rec), record.ttl(rec), aerospike:exists(rec),
    record.setname(rec), record.key(rec), #record.bin_names(rec)}
end

function tables(rec)
  return {a = {1, 2}}
end

function floats(rec, x)
  trace("ignored %s", x)
  return x / 2
end

function hog(rec)
  local t = {}
  for i = 1, 100000000 do t[i] = string.rep("x", 1000) .. i end
end
"#;

    fn run(function: &str, rec: RecState, args: &[Val]) -> (Result<Val, Failure>, RecState) {
        let shared = Rc::new(RefCell::new(rec));
        let r = call("t", SRC.as_bytes(), "h1", function, &shared, args);
        let st = std::mem::take(&mut *shared.borrow_mut());
        (r, st)
    }

    fn mp(v: &Val) -> String {
        format!("{:?}", v.to_mp().unwrap())
    }

    #[test]
    fn list_and_map_functions() {
        assert!(matches!(
            run("lists", RecState::default(), &[]).0,
            Ok(Val::Int(642))
        ));
        assert!(matches!(
            run("maps", RecState::default(), &[]).0,
            Ok(Val::Int(12))
        ));
        let nested = run("nested", RecState::default(), &[]).0.unwrap();
        assert_eq!(
            mp(&nested),
            mp(&Val::list(vec![Val::list(vec![Val::Int(1), Val::Int(2)])]))
        );
        let t = run("tables", RecState::default(), &[]).0.unwrap();
        assert_eq!(
            mp(&t),
            mp(&Val::map(vec![(
                Val::Str(b"a".to_vec()),
                Val::list(vec![Val::Int(1), Val::Int(2)])
            )]))
        );
        assert!(matches!(
            run("floats", RecState::default(), &[Val::Int(3)]).0,
            Ok(Val::Float(f)) if f == 1.5
        ));
    }

    #[test]
    fn record_api_sees_and_changes_the_record() {
        let mut stored = crate::record::Record {
            set: "s".into(),
            generation: 3,
            void_time: 1100,
            key: Some(crate::record::Value::int(9)),
            ..Default::default()
        };
        stored.set_bin("y", Some(crate::record::Value::int(1)));
        let rec = RecState {
            exists: true,
            stored,
            now: 1000,
            ..Default::default()
        };
        let (r, st) = run("records", rec, &[]);
        let expected = Val::list(vec![
            Val::Int(5),
            Val::Int(0),
            Val::Int(3),
            Val::Int(100),
            Val::Bool(true),
            Val::Str(b"s".to_vec()),
            Val::Int(9),
            Val::Int(2),
        ]);
        assert_eq!(mp(&r.unwrap()), mp(&expected));
        assert!(st.has_updates);
        assert_eq!(st.stored.bin(b"x"), Some(&crate::record::Value::int(5)));

        // On a missing record, update refuses (-2) and nothing is marked changed.
        let (r, st) = run("records", RecState::default(), &[]);
        let r = r.unwrap();
        let Val::List(items) = &r else { panic!() };
        assert!(matches!(items.borrow()[1], Val::Int(-2)));
        assert!(!st.has_updates);
    }

    #[test]
    fn failures_are_messages() {
        let (r, _) = run("missing", RecState::default(), &[]);
        assert_eq!(r.unwrap_err().0, "function not found");
        let (r, _) = run("hog", RecState::default(), &[]);
        let msg = r.unwrap_err().0;
        assert!(msg.contains("memory") || msg.contains("timed out"), "{msg}");
        let shared = Rc::new(RefCell::new(RecState::default()));
        let r = call("bad", b"function (", "h", "f", &shared, &[]);
        assert!(r.unwrap_err().0.starts_with("bad.lua:"));
    }
}

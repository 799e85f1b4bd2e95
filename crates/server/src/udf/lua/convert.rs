//! Aerospike values in Lua: scalars become Lua scalars; lists, maps and bytes become userdata
//! that share their contents with wherever they were read from, so a change made through one
//! reference (`l[1]`, `m.k = v`) is seen through the others, as in the real server.

use std::cell::RefCell;
use std::rc::Rc;

use mlua::{Lua, MetaMethod, Table, UserData, UserDataMethods, Value as LuaValue};

use super::super::value::{ListRef, MapRef, Val};

/// Nesting beyond which a Lua value has no Aerospike form.
const MAX_DEPTH: usize = 64;

/// A list (`list()`), shared with wherever it was read from.
#[derive(Clone)]
pub struct List(pub ListRef);

/// A map (`map()`).
#[derive(Clone)]
pub struct Map(pub MapRef);

/// Bytes (`bytes()`, blob and GeoJSON bins): particle type and content.
#[derive(Clone)]
pub struct Bytes(pub Rc<RefCell<(u8, Vec<u8>)>>);

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
    if depth > MAX_DEPTH {
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

/// A value a Lua function was given, refused when it has no Aerospike form.
pub fn arg_val(v: LuaValue) -> mlua::Result<Val> {
    from_lua(v, 0).ok_or_else(|| mlua::Error::runtime("unsupported value type"))
}

/// What `tostring` shows for a value: `List(1, 2)`, `Map(a->1)`.
fn describe(v: &Val) -> String {
    let joined = |parts: Vec<String>| parts.join(", ");
    match v {
        Val::Nil => "nil".into(),
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Float(f) => f.to_string(),
        Val::Str(s) => String::from_utf8_lossy(s).into_owned(),
        Val::Bytes(_, b) => format!("<bytes:{}>", b.len()),
        Val::List(l) => format!(
            "List({})",
            joined(l.borrow().iter().map(describe).collect())
        ),
        Val::Map(m) => {
            let m = m.borrow();
            let parts = m
                .entries
                .iter()
                .map(|(k, v)| format!("{}->{}", describe(k), describe(v)));
            format!("Map({})", joined(parts.collect()))
        }
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
        methods.add_meta_method(
            MetaMethod::NewIndex,
            |lua, this, (i, v): (LuaValue, LuaValue)| {
                let Some(i) = i.as_integer().or_else(|| i.as_number().map(|n| n as i64)) else {
                    let got = type_name(&i);
                    return Err(bad_argument(lua, 2, "newindex", "number", got));
                };
                let v = arg_val(v)?;
                let mut items = this.0.borrow_mut();
                // As the real server: an index below 1 (or past any size it could grow to)
                // sets nothing, without an error.
                let Ok(idx) = usize::try_from(i - 1) else {
                    return Ok(());
                };
                if idx < items.len() {
                    items[idx] = v;
                } else if idx <= items.len() + 1_000_000 {
                    items.resize(idx, Val::Nil);
                    items.push(v);
                }
                Ok(())
            },
        );
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
                this.0.borrow_mut().assign(k, v);
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

/// How the real server names a value in a library's argument error: its own types by their
/// names, other values by their Lua type.
pub fn type_name(v: &LuaValue) -> &'static str {
    match v {
        LuaValue::UserData(u) if u.is::<List>() => "List",
        LuaValue::UserData(u) if u.is::<Map>() => "Map",
        LuaValue::UserData(u) if u.is::<Bytes>() => "Bytes",
        v => v.type_name(),
    }
}

/// The real server's error for a library function given a value of the wrong type, with the
/// caller's position in front as Lua's own errors have it.
pub fn bad_argument(lua: &Lua, n: u8, function: &str, want: &str, got: &str) -> mlua::Error {
    let place = lua
        .inspect_stack(1)
        .map(|d| {
            let src = d
                .source()
                .short_src
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("{src}:{}: ", d.curr_line())
        })
        .unwrap_or_default();
    mlua::Error::runtime(format!(
        "{place}bad argument #{n} to '{function}' ({want} expected, got {got})"
    ))
}

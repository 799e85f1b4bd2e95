//! The `list`, `map` and `bytes` libraries. Lists and maps are changed in place (`append`,
//! `remove`, …) or copied (`take`, `clone`, `merge`, …), as their Aerospike Lua namesakes do.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use mlua::{
    AnyUserData, FromLuaMulti, Function, IntoLuaMulti, Lua, MaybeSend, Table, Value as LuaValue,
    Variadic,
};

use super::super::value::{ListRef, MapData, MapRef, Val};
use super::convert::{arg_val, to_lua, Bytes, List, Map};
use super::library::{values_iter, Library};

/// A Lua function of a list: `f` on the list its first argument is, and the other arguments.
fn of_list<A: FromLuaMulti, R: IntoLuaMulti>(
    f: impl Fn(&Lua, &ListRef, A) -> mlua::Result<R> + MaybeSend + 'static,
) -> impl Fn(&Lua, (AnyUserData, A)) -> mlua::Result<R> + MaybeSend + 'static {
    move |lua, (l, args)| f(lua, &l.borrow::<List>()?.0.clone(), args)
}

/// A Lua function of a map, like [`of_list`].
fn of_map<A: FromLuaMulti, R: IntoLuaMulti>(
    f: impl Fn(&Lua, &MapRef, A) -> mlua::Result<R> + MaybeSend + 'static,
) -> impl Fn(&Lua, (AnyUserData, A)) -> mlua::Result<R> + MaybeSend + 'static {
    move |lua, (m, args)| f(lua, &m.borrow::<Map>()?.0.clone(), args)
}

/// A new list of the items of `l` after the first `skip`, at most `take` of them.
fn sublist(lua: &Lua, l: &ListRef, skip: i64, take: i64) -> mlua::Result<LuaValue> {
    let items = l.borrow();
    let items = items.iter().skip(skip.max(0) as usize);
    to_lua(
        lua,
        &Val::list(items.take(take.max(0) as usize).cloned().collect()),
    )
}

/// `list.*`, and `list(...)` for `list.create(...)`.
pub fn list(lua: &Lua) -> mlua::Result<Table> {
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
    let lib = Library::new(lua)?
        .taking("List")
        .alias("create", create.clone())?
        .callable(create)?
        .add("size", of_list(|_, l, ()| Ok(l.borrow().len())))?
        .add(
            "append",
            of_list(|_, l, v: LuaValue| {
                l.borrow_mut().push(arg_val(v)?);
                Ok(())
            }),
        )?
        .add(
            "prepend",
            of_list(|_, l, v: LuaValue| {
                l.borrow_mut().insert(0, arg_val(v)?);
                Ok(())
            }),
        )?
        .add(
            "insert",
            of_list(|_, l, (i, v): (i64, LuaValue)| {
                let mut items = l.borrow_mut();
                let idx = usize::try_from(i - 1).unwrap_or(usize::MAX);
                if idx > items.len() {
                    return Err(mlua::Error::runtime("list index out of range"));
                }
                items.insert(idx, arg_val(v)?);
                Ok(())
            }),
        )?
        .add(
            "remove",
            of_list(|_, l, i: i64| {
                let mut items = l.borrow_mut();
                if let Some(idx) = usize::try_from(i - 1).ok().filter(|&x| x < items.len()) {
                    items.remove(idx);
                }
                Ok(())
            }),
        )?
        .add("take", of_list(|lua, l, n: i64| sublist(lua, l, 0, n)))?
        .add(
            "drop",
            of_list(|lua, l, n: i64| sublist(lua, l, n, i64::MAX)),
        )?
        .add(
            "trim",
            of_list(|_, l, n: i64| {
                l.borrow_mut().truncate((n - 1).max(0) as usize);
                Ok(())
            }),
        )?
        .add("clone", of_list(|lua, l, ()| sublist(lua, l, 0, i64::MAX)))?
        .add(
            "concat",
            of_list(|_, a, b: AnyUserData| {
                let extra = b.borrow::<List>()?.0.borrow().clone();
                a.borrow_mut().extend(extra);
                Ok(())
            }),
        )?
        .add(
            "merge",
            of_list(|lua, a, b: AnyUserData| {
                let mut items = a.borrow().clone();
                items.extend(b.borrow::<List>()?.0.borrow().iter().cloned());
                to_lua(lua, &Val::list(items))
            }),
        )?
        .add(
            "iterator",
            of_list(|lua, l, ()| values_iter(lua, l.borrow().clone())),
        )?;
    Ok(lib.done())
}

/// A copy of `m` (entries and order).
fn copy(m: &MapData) -> MapData {
    MapData {
        order: m.order,
        entries: m.entries.clone(),
    }
}

fn new_map(lua: &Lua, data: MapData) -> mlua::Result<LuaValue> {
    to_lua(lua, &Val::Map(Rc::new(RefCell::new(data))))
}

/// `map.*`, and `map(...)` for `map.create(...)`.
pub fn map(lua: &Lua) -> mlua::Result<Table> {
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
    let merge = |lua: &Lua, a: &MapRef, (b, f): (AnyUserData, Option<Function>)| {
        let mut out = copy(&a.borrow());
        for (k, v) in b.borrow::<Map>()?.0.borrow().entries.iter() {
            let v = match (out.get(k), &f) {
                (Some(old), Some(f)) => {
                    arg_val(f.call::<LuaValue>((to_lua(lua, old)?, to_lua(lua, v)?))?)?
                }
                _ => v.clone(),
            };
            out.set(k.clone(), v);
        }
        new_map(lua, out)
    };
    let lib = Library::new(lua)?
        .taking("Map")
        .alias("create", create.clone())?
        .callable(create)?
        .add("size", of_map(|_, m, ()| Ok(m.borrow().entries.len())))?
        .add(
            "remove",
            of_map(|_, m, k: LuaValue| {
                m.borrow_mut().set(arg_val(k)?, Val::Nil);
                Ok(())
            }),
        )?
        .add(
            "contains",
            of_map(|_, m, k: LuaValue| Ok(m.borrow().get(&arg_val(k)?).is_some())),
        )?
        .add(
            "clone",
            of_map(|lua, m, ()| new_map(lua, copy(&m.borrow()))),
        )?
        .add("merge", of_map(merge))?
        .add("pairs", of_map(|lua, m, ()| pairs(lua, m)))?
        .add(
            "keys",
            of_map(|lua, m, ()| {
                let keys = m.borrow().entries.iter().map(|(k, _)| k.clone()).collect();
                values_iter(lua, keys)
            }),
        )?
        .add(
            "values",
            of_map(|lua, m, ()| {
                let values = m.borrow().entries.iter().map(|(_, v)| v.clone()).collect();
                values_iter(lua, values)
            }),
        )?;
    Ok(lib.done())
}

/// The iterator of `map.pairs`: key and value of each entry, then nil.
fn pairs(lua: &Lua, m: &MapRef) -> mlua::Result<Function> {
    let entries = m.borrow().entries.clone();
    let pos = Cell::new(0usize);
    lua.create_function(move |lua, ()| {
        let i = pos.get();
        pos.set(i + 1);
        match entries.get(i) {
            Some((k, v)) => Ok(Variadic::from_iter([to_lua(lua, k)?, to_lua(lua, v)?])),
            None => Ok(Variadic::from_iter([LuaValue::Nil])),
        }
    })
}

/// `bytes(n)`: `n` zero bytes (at most 1 MiB); `bytes.size`.
pub fn bytes(lua: &Lua) -> mlua::Result<Table> {
    let create = lua.create_function(|lua, n: Option<i64>| {
        let n = n.unwrap_or(0).clamp(0, 1 << 20) as usize;
        let blob = (crate::record::particle::BLOB, vec![0; n]);
        lua.create_userdata(Bytes(Rc::new(RefCell::new(blob))))
    })?;
    let size = |_: &Lua, b: AnyUserData| Ok(b.borrow::<Bytes>()?.0.borrow().1.len());
    Ok(Library::new(lua)?
        .callable(create)?
        .add("size", size)?
        .done())
}

//! Building the API's library tables (`list`, `map`, `record`, …): each is a Lua table of Rust
//! functions, some also callable as a whole (`list{1, 2}` is `list.create{1, 2}`).

use std::cell::Cell;

use mlua::Value as LuaValue;
use mlua::{FromLuaMulti, Function, IntoLuaMulti, Lua, MaybeSend, MultiValue, Table};

use super::super::value::Val;
use super::convert::{bad_argument, to_lua, type_name};

/// A library table being filled.
pub struct Library<'l> {
    lua: &'l Lua,
    table: Table,
    /// The userdata type the functions take first (`List`, `Map`), named in their errors.
    takes: Option<&'static str>,
}

impl<'l> Library<'l> {
    pub fn new(lua: &'l Lua) -> mlua::Result<Self> {
        Ok(Library {
            lua,
            table: lua.create_table()?,
            takes: None,
        })
    }

    /// Says which userdata type the library's functions take first.
    pub fn taking(mut self, kind: &'static str) -> Self {
        self.takes = Some(kind);
        self
    }

    /// Adds the function `name`.
    pub fn add<A, R>(
        self,
        name: &str,
        f: impl Fn(&Lua, A) -> mlua::Result<R> + MaybeSend + 'static,
    ) -> mlua::Result<Self>
    where
        A: FromLuaMulti,
        R: IntoLuaMulti,
    {
        let (takes, fname) = (self.takes, name.to_string());
        let f = self.lua.create_function(move |lua, args: MultiValue| {
            let got = args.front().map(type_name);
            let result = f(lua, A::from_lua_multi(args, lua)?);
            match (result, takes) {
                (Err(mlua::Error::UserDataTypeMismatch), Some(want)) => {
                    Err(bad_argument(lua, 1, &fname, want, got.unwrap_or("nil")))
                }
                (r, _) => r,
            }
        })?;
        self.alias(name, f)
    }

    /// Adds `f` (already made) under `name`.
    pub fn alias(self, name: &str, f: Function) -> mlua::Result<Self> {
        self.table.set(name, f)?;
        Ok(self)
    }

    /// Makes `t(...)` call `f(...)` (without `t` itself).
    pub fn callable(self, f: Function) -> mlua::Result<Self> {
        let meta = self.lua.create_table()?;
        meta.set(
            "__call",
            self.lua.create_function(move |_, args: MultiValue| {
                let mut args = args.into_iter();
                args.next();
                f.call::<LuaValue>(args.collect::<MultiValue>())
            })?,
        )?;
        self.table.set_metatable(Some(meta));
        Ok(self)
    }

    pub fn done(self) -> Table {
        self.table
    }
}

/// An iterator function over `items` (re-read on each step, like the real list iterator).
pub fn values_iter(lua: &Lua, items: Vec<Val>) -> mlua::Result<Function> {
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

//! The `record` library (what a record UDF reads and sets on its record) and the `aerospike`
//! object (whether the record exists, and `create`/`update`/`remove` to store the changes).

use mlua::{AnyUserData, IntoLuaMulti, Lua, MaybeSend, MultiValue, Table, Value as LuaValue};

use super::super::record::UdfRecord;
use super::super::value::Val;
use super::convert::to_lua;
use super::library::Library;

/// A Lua function of a record: `f` on the record its first argument is.
fn of_record<R: IntoLuaMulti>(
    f: impl Fn(&Lua, &UdfRecord) -> mlua::Result<R> + MaybeSend + 'static,
) -> impl Fn(&Lua, AnyUserData) -> mlua::Result<R> + MaybeSend + 'static {
    move |lua, r| f(lua, &*r.borrow::<UdfRecord>()?)
}

/// `record.*`.
pub fn record(lua: &Lua) -> mlua::Result<Table> {
    let size = lua.create_function(of_record(|_, r| {
        let st = r.0.borrow();
        Ok(if st.exists { st.stored.size() } else { 0 })
    }))?;
    let lib = Library::new(lua)?
        .add("ttl", of_record(|_, r| Ok(r.ttl())))?
        .add("gen", of_record(|_, r| Ok(r.gen())))?
        .add("set_ttl", |_, (r, ttl): (AnyUserData, i64)| {
            r.borrow::<UdfRecord>()?.set_ttl(ttl);
            Ok(0)
        })?
        .add(
            "drop_key",
            of_record(|_, r| {
                r.0.borrow_mut().drop_key = true;
                Ok(0)
            }),
        )?
        .add("key", of_record(|lua, r| to_lua(lua, &r.key())))?
        .add(
            "digest",
            of_record(|lua, r| {
                let d = r.0.borrow().digest;
                to_lua(lua, &Val::Bytes(crate::record::particle::BLOB, d.to_vec()))
            }),
        )?
        .add(
            "setname",
            of_record(|lua, r| {
                let st = r.0.borrow();
                if st.exists {
                    Ok(LuaValue::String(lua.create_string(&*st.stored.set)?))
                } else {
                    Ok(LuaValue::Nil)
                }
            }),
        )?
        .add(
            "bin_names",
            of_record(|lua, r| lua.create_sequence_from(r.bin_names())),
        )?
        .add("numbins", of_record(|_, r| Ok(r.bin_names().len())))?
        .add(
            "last_update_time",
            of_record(|_, r| {
                let st = r.0.borrow();
                Ok(if st.exists {
                    (st.stored.last_update_ns / 1_000_000) as i64
                } else {
                    0
                })
            }),
        )?
        .alias("size", size.clone())?
        .alias("memory_size", size.clone())?
        .alias("device_size", size)?;
    Ok(lib.done())
}

/// `aerospike:exists/create/update/remove` (called with `:`, so the first argument is the table
/// itself).
pub fn aerospike(lua: &Lua) -> mlua::Result<Table> {
    fn method<R: IntoLuaMulti>(
        f: impl Fn(&UdfRecord) -> mlua::Result<R> + MaybeSend + 'static,
    ) -> impl Fn(&Lua, (LuaValue, AnyUserData)) -> mlua::Result<R> + MaybeSend + 'static {
        move |_, (_, r)| f(&*r.borrow::<UdfRecord>()?)
    }
    let lib = Library::new(lua)?
        .add("exists", method(|r| Ok(r.0.borrow().exists)))?
        .add(
            "create",
            method(|r| r.create().map_err(mlua::Error::runtime)),
        )?
        .add(
            "update",
            method(|r| r.update().map_err(mlua::Error::runtime)),
        )?
        .add("remove", method(|r| Ok(r.remove())))?
        .add("log", |_, _: MultiValue| Ok(()))?;
    Ok(lib.done())
}

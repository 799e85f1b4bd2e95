//! The record as Lua code sees it: `rec.bin` reads a bin (through the UDF's cache) and
//! `rec.bin = v` writes one; the record functions (`record.ttl(rec)`, …) are installed with the
//! Lua state.

use std::rc::Rc;

use mlua::{MetaMethod, UserData, UserDataMethods, Value as LuaValue};

use super::lua::{from_lua, to_lua};
use super::record::UdfRecord;

impl UserData for UdfRecord {
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, this, name: String| {
            to_lua(lua, &this.get(&name))
        });
        methods.add_meta_method(
            MetaMethod::NewIndex,
            |_, this, (name, value): (String, LuaValue)| {
                let v = from_lua(value, 0)
                    .ok_or_else(|| mlua::Error::runtime("unsupported bin value type"))?;
                this.set(&name, v);
                Ok(())
            },
        );
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(format!("Record({:p})", Rc::as_ptr(&this.0)))
        });
    }
}

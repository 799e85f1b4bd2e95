//! Stream UDFs (aggregation queries): a foreground query whose UDF_OP is "aggregate".
//!
//! As on the real server, the module's function is called with a stream-ops object and the
//! arguments; it returns the pipeline it built (`filter`, `map`, `aggregate`, `reduce`,
//! `groupby`). The server runs the ops up to and including the first `reduce` over every
//! record the query selects (index filter, set and filter expression) and answers each value
//! coming out as a message with a single bin `SUCCESS`; the client runs the rest of the
//! pipeline (the final `reduce` again) over the partial results of all nodes. A Lua failure
//! ends the stream with 100 (UDF execution).

use std::cell::RefCell;
use std::rc::Rc;

use mlua::{Function, Lua, MultiValue, Value as LuaValue};

use super::lua::{self, failure, from_lua, to_lua, Failure};
use super::record::{RecState, UdfRecord};
use super::resolve;
use super::value::Val;
use crate::command::Call;
use crate::expr::{self, Expr};
use crate::msg::*;
use crate::query::plan::Plan;
use crate::query::{parts, select};
use crate::record::{partition_of, Digest, Record};
use crate::result as rc;
use crate::store::Namespace;
use crate::stream::{last_only, Stream};
use crate::State;
use aerospike_cdt::value::Value as Mp;

/// The stream API a stream UDF sees, written for this server: a stream value records its stages
/// (`filter`, `map`, `aggregate`, `reduce`, `groupby`); the server runs them, push-style, over the
/// selected records up to and including the first `reduce` (the client runs the final reduce
/// over the partial results of every node). Only the entry point is a global.
const PRELUDE: &str = r#"
local Stream = {}
Stream.__index = Stream

local function with_stage(self, stage)
    local copy = setmetatable({ stages = {} }, Stream)
    for i, st in ipairs(self.stages) do copy.stages[i] = st end
    copy.stages[#copy.stages + 1] = stage
    return copy
end

function Stream:filter(pred) return with_stage(self, { kind = 'filter', f = pred }) end
function Stream:map(fn) return with_stage(self, { kind = 'map', f = fn }) end
function Stream:aggregate(init, fn) return with_stage(self, { kind = 'fold', init = init, f = fn }) end
function Stream:reduce(fn) return with_stage(self, { kind = 'reduce', f = fn }) end

function Stream:groupby(keyof)
    local function add(groups, v)
        local k = keyof(v)
        local members = groups[k]
        if members == nil then
            members = list()
            groups[k] = members
        end
        list.append(members, v)
        return groups
    end
    local function join(a, b)
        return map.merge(a, b, function(x, y)
            local all = list.clone(x)
            for v in list.iterator(y) do list.append(all, v) end
            return all
        end)
    end
    return self:aggregate(map(), add):reduce(join)
end

-- A fresh accumulator per run: collections given as initial values are copied.
local function fresh(v)
    if type(v) == 'table' then
        local t = {}
        for k, x in pairs(v) do t[k] = x end
        return t
    elseif type(v) == 'userdata' then
        local ok, c = pcall(map.clone, v)
        if ok then return c end
        ok, c = pcall(list.clone, v)
        if ok then return c end
    end
    return v
end

local function run(stages, pull, emit)
    local push, flushes = emit, {}
    for i = #stages, 1, -1 do
        local st, down = stages[i], push
        if st.kind == 'filter' then
            push = function(v) if st.f(v) then down(v) end end
        elseif st.kind == 'map' then
            push = function(v)
                local r = st.f(v)
                if r ~= nil then down(r) end
            end
        elseif st.kind == 'fold' then
            local acc = fresh(st.init)
            push = function(v) acc = st.f(acc, v) end
            table.insert(flushes, 1, function() down(acc) end)
        else
            local acc, seen = nil, false
            push = function(v)
                if seen then acc = st.f(acc, v) else acc, seen = v, true end
            end
            table.insert(flushes, 1, function() if seen then down(acc) end end)
        end
    end
    for v in pull do push(v) end
    for _, flush in ipairs(flushes) do flush() end
end

__as_apply_stream = function(fname, istream, ostream, ...)
    local fn = rawget(_G, fname)
    if type(fn) ~= 'function' then error("function not found", 0) end
    local result = fn(setmetatable({ stages = {} }, Stream), ...)
    if getmetatable(result) ~= Stream then error("function did not return a stream", 0) end
    local server = {}
    for _, st in ipairs(result.stages) do
        server[#server + 1] = st
        if st.kind == 'reduce' then break end
    end
    run(server, istream, ostream)
end

-- The client phase: the stages from the first reduce on, over the nodes' partial results.
__as_client_stream = function(fname, istream, ostream, ...)
    local fn = rawget(_G, fname)
    if type(fn) ~= 'function' then error("function not found", 0) end
    local result = fn(setmetatable({ stages = {} }, Stream), ...)
    if getmetatable(result) ~= Stream then error("function did not return a stream", 0) end
    local client, started = {}, false
    for _, st in ipairs(result.stages) do
        if st.kind == 'reduce' then started = true end
        if started then client[#client + 1] = st end
    end
    run(client, istream, ostream)
end
"#;

/// A record fed into the stream.
pub(crate) struct Input {
    pub digest: Digest,
    pub record: Record,
}

/// Runs `function` of a module over `records` and returns the values out of the server phase.
pub(crate) fn run(
    module: &str,
    content: &[u8],
    hash: &str,
    function: &str,
    args: &[Val],
    records: Vec<Input>,
    now: u32,
) -> Result<Vec<Val>, Failure> {
    lua::with_state(module, content, hash, |lua| {
        pipeline(lua, function, args, records, now).map_err(failure)
    })
}

fn pipeline(
    lua: &Lua,
    function: &str,
    args: &[Val],
    records: Vec<Input>,
    now: u32,
) -> mlua::Result<Vec<Val>> {
    let input = RefCell::new(records.into_iter());
    let istream = lua.create_function(move |lua, ()| {
        let Some(Input { digest, record }) = input.borrow_mut().next() else {
            return Ok(LuaValue::Nil);
        };
        let st = RecState {
            exists: true,
            stored: record,
            digest,
            now,
            ..Default::default()
        };
        Ok(LuaValue::UserData(
            lua.create_userdata(UdfRecord(Rc::new(RefCell::new(st))))?,
        ))
    })?;
    let out = Rc::new(RefCell::new(Vec::new()));
    let sink = out.clone();
    let ostream = lua.create_function(move |_, v: LuaValue| {
        let val = match &v {
            LuaValue::UserData(ud) if ud.is::<UdfRecord>() => {
                let r = ud.borrow::<UdfRecord>()?;
                record_map(&r)
            }
            _ => from_lua(v, 0).unwrap_or(Val::Nil),
        };
        sink.borrow_mut().push(val);
        Ok(())
    })?;
    call_entry(lua, "__as_apply_stream", function, istream, ostream, args)?;
    let values = std::mem::take(&mut *out.borrow_mut());
    Ok(values)
}

/// The client phase of an aggregation (what a client runs over the values every node's server
/// phase produced): `function`'s pipeline from its first `reduce` on, over `partials`. Without a
/// `reduce`, the partial results are the result. Used by the client binding for `query.apply()`.
pub fn client_phase(
    module: &str,
    content: &[u8],
    function: &str,
    args: &[Mp],
    partials: Vec<Mp>,
) -> Result<Vec<Mp>, Failure> {
    let args: Vec<Val> = args.iter().map(Val::from_mp).collect();
    let hash = format!(
        "client:{}:{:x}",
        content.len(),
        <sha1::Sha1 as sha1::Digest>::digest(content)
    );
    lua::with_state(module, content, &hash, |lua| {
        client_pipeline(lua, function, &args, partials).map_err(failure)
    })?
    .into_iter()
    .map(|v| v.to_mp().map_err(Failure))
    .collect()
}

fn client_pipeline(
    lua: &Lua,
    function: &str,
    args: &[Val],
    partials: Vec<Mp>,
) -> mlua::Result<Vec<Val>> {
    let input = RefCell::new(partials.into_iter());
    let istream = lua.create_function(move |lua, ()| match input.borrow_mut().next() {
        Some(v) => to_lua(lua, &Val::from_mp(&v)),
        None => Ok(LuaValue::Nil),
    })?;
    let out = Rc::new(RefCell::new(Vec::new()));
    let sink = out.clone();
    let ostream = lua.create_function(move |_, v: LuaValue| {
        sink.borrow_mut().push(from_lua(v, 0).unwrap_or(Val::Nil));
        Ok(())
    })?;
    call_entry(lua, "__as_client_stream", function, istream, ostream, args)?;
    let values = std::mem::take(&mut *out.borrow_mut());
    Ok(values)
}

/// Calls the prelude's entry point `entry` (loading the prelude into the Lua state the first
/// time) as `entry(function, istream, ostream, args...)`.
fn call_entry(
    lua: &Lua,
    entry: &str,
    function: &str,
    istream: Function,
    ostream: Function,
    args: &[Val],
) -> mlua::Result<()> {
    let globals = lua.globals();
    let entry = match globals.raw_get::<LuaValue>(entry)? {
        LuaValue::Function(f) => f,
        _ => {
            lua.load(PRELUDE).set_name("=stream").exec()?;
            globals.raw_get::<Function>(entry)?
        }
    };
    let mut call = vec![
        LuaValue::String(lua.create_string(function)?),
        LuaValue::Function(istream),
        LuaValue::Function(ostream),
    ];
    for a in args {
        call.push(to_lua(lua, a)?);
    }
    entry.call::<()>(MultiValue::from_vec(call))
}

/// A record coming out of the stream: its bins as a map.
fn record_map(rec: &UdfRecord) -> Val {
    let st = rec.0.borrow();
    let mut m = super::value::MapData::default();
    for (name, p) in &st.stored.bins {
        let v = Val::from_particle(p);
        m.set(Val::Str(name.as_bytes().to_vec()), v);
    }
    Val::Map(Rc::new(RefCell::new(m)))
}

/// Answers an aggregation query: the SUCCESS messages, then LAST.
pub(crate) fn handle(
    state: &State,
    ns: &Namespace,
    m: &Message<'_>,
    call: &Call<'_>,
    plan: Option<&Plan>,
) -> Vec<u8> {
    let (args, module, function) = match resolve(call) {
        Ok(r) => r,
        Err(code) => return last_only(code),
    };
    let Some(source) = state.catalog.module(&format!("{module}.lua")) else {
        return last_only(rc::UDF_EXECUTION);
    };
    let filter = match m.field(FIELD_FILTER_EXP).map(Expr::filter).transpose() {
        Ok(f) => f,
        Err(code) => return last_only(code),
    };
    let parts = match parts::requested(m, plan.is_some()) {
        Ok(p) => p,
        Err(code) => return last_only(code),
    };
    let set = m.field(FIELD_SET).filter(|s| !s.is_empty());
    let now_ns = state.clock.now_ns();
    let now = state.clock.now_cl();
    let mut records = Vec::new();
    for (digest, _) in select(state, ns, &parts, plan, set) {
        let part = ns.read(partition_of(&digest));
        if let Some(r) = part.get(&digest) {
            if !r.expired(now) && expr::passes(filter.as_ref(), r, &digest, now_ns) {
                records.push(Input {
                    digest,
                    record: r.clone(),
                });
            }
        }
    }
    let values = match run(
        module,
        &source.content,
        &source.hash,
        function,
        &args,
        records,
        now,
    ) {
        Ok(v) => v,
        Err(Failure(_)) => return last_only(rc::UDF_EXECUTION),
    };
    let mut stream = Stream::default();
    for v in values {
        let Ok(p) = v.to_particle() else {
            return last_only(rc::UDF_EXECUTION);
        };
        stream.value(p.as_ref());
    }
    stream.finish(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"
function sum_even(stream, bin)
  local function f(rec) return rec[bin] % 2 == 0 end
  local function m(rec) return rec[bin] end
  local function r(a, b) return a + b end
  return stream : filter(f) : map(m) : reduce(r)
end
function values(stream)
  return stream : map(function(rec) return rec.v end)
end
function counts(stream)
  local function agg(acc, rec)
    acc[rec.v % 3] = (acc[rec.v % 3] or 0) + 1
    return acc
  end
  return stream : aggregate(map(), agg)
end
function broken(stream)
  return stream : map(function(rec) return rec.v + nil end)
end
"#;

    fn records(n: i64) -> Vec<Input> {
        (1..=n)
            .map(|i| {
                let mut record = Record::default();
                record.set_bin("v", Val::Int(i).to_particle().unwrap());
                Input {
                    digest: [i as u8; 20],
                    record,
                }
            })
            .collect()
    }

    fn go(function: &str, args: &[Val]) -> Result<Vec<Val>, Failure> {
        run(
            "stream_test",
            MODULE.as_bytes(),
            "h1",
            function,
            args,
            records(6),
            0,
        )
    }

    fn ints(v: &[Val]) -> Vec<i64> {
        v.iter()
            .map(|x| match x {
                Val::Int(i) => *i,
                other => panic!("not an int: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn pipeline_runs_server_phase() {
        let v = go("sum_even", &[Val::Str(b"v".to_vec())]).unwrap();
        assert_eq!(ints(&v), vec![12]);
        let v = go("values", &[]).unwrap();
        assert_eq!(ints(&v), vec![1, 2, 3, 4, 5, 6]);
        let v = go("counts", &[]).unwrap();
        let Val::Map(m) = &v[0] else {
            panic!("not a map: {v:?}")
        };
        assert_eq!(
            m.borrow()
                .get(&Val::Int(0))
                .map(|x| ints(std::slice::from_ref(x))),
            Some(vec![2])
        );
        assert!(go("broken", &[]).is_err());
        assert!(go("missing", &[]).is_err());
    }
}

-- UDFs for the differential tester's udf family (scripts/differential/gen-udf.mjs): record
-- access, create/update/remove, every return type, errors, the record and list/map APIs.

local function save(rec)
  if aerospike:exists(rec) then
    return aerospike:update(rec)
  end
  return aerospike:create(rec)
end

function get(rec, bin)
  return rec[bin]
end

function set(rec, bin, value)
  rec[bin] = value
  local rc = save(rec)
  return rc
end

function set_two(rec, a, va, b, vb)
  rec[a] = va
  rec[b] = vb
  return save(rec)
end

function incr(rec, bin, by)
  local v = rec[bin]
  if v == nil then v = 0 end
  rec[bin] = v + by
  save(rec)
  return rec[bin]
end

function drop(rec)
  if not aerospike:exists(rec) then
    return -1
  end
  return aerospike:remove(rec)
end

function exists(rec)
  return aerospike:exists(rec)
end

function echo(rec, v)
  return v
end

-- A value of each type the server can return (bytes come from a bin: `get`).
function kind(rec, which)
  if which == 'nil' then return nil end
  if which == 'int' then return 42 end
  if which == 'neg' then return -7 end
  if which == 'float' then return 2.5 end
  if which == 'whole' then return 3.0 end
  if which == 'string' then return 'text' end
  if which == 'list' then return list{1, 'two', 3.5, list{4}} end
  if which == 'map' then return map{a = 1, b = list{2}} end
  if which == 'true' then return true end
  if which == 'false' then return false end
  return which
end

function fail(rec, msg)
  error(msg)
end

function fail_if(rec, bin)
  if rec[bin] == nil then
    error('no ' .. bin)
  end
  return rec[bin]
end

function meta(rec)
  if not aerospike:exists(rec) then
    return nil
  end
  local m = map()
  m['gen'] = record.gen(rec)
  m['ttl'] = record.ttl(rec)
  m['set'] = record.setname(rec)
  m['numbins'] = record.numbins(rec)
  m['digest'] = record.digest(rec)
  local names = list()
  for _, n in ipairs(record.bin_names(rec)) do
    list.append(names, n)
  end
  m['names'] = list.size(names)
  return m
end

function list_work(rec, bin, v)
  local l = rec[bin]
  if type(l) ~= 'userdata' then
    l = list()
  end
  list.append(l, v)
  list.prepend(l, 0)
  list.insert(l, 2, 'i')
  local out = list.size(l)
  rec[bin] = l
  save(rec)
  return list{out, list.take(l, 2), list.drop(l, 3)}
end

function map_work(rec, bin, k, v)
  local m = rec[bin]
  if type(m) ~= 'userdata' then
    m = map()
  end
  m[k] = v
  local n = 0
  for key, val in map.pairs(m) do
    n = n + 1
  end
  rec[bin] = m
  save(rec)
  return list{n, map.size(m), m[k]}
end

function type_of(rec, bin)
  local v = rec[bin]
  local t = type(v)
  if t == 'number' and math.type then return math.type(v) end
  return t
end

function sum(rec, a, b)
  return a + b
end

function concat(rec, a, b)
  return a .. b
end

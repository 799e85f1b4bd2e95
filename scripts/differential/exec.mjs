// Runs a case's steps on one server through the official client and returns, per step, what it
// answered and the record afterwards, as canonical JSON (see values.mjs). Both servers get the
// same case, so they see the same bytes; `compareCase` says which steps they answer differently.
import { Aerospike, canon, decode } from './values.mjs'

export const NAMESPACE = 'test'
export const SET = 'differential'

/** The official client's operation for an op description. */
export function buildOp(d) {
  const mod = d.f === 'ops' ? Aerospike.operations : d.f.split('.').reduce((o, k) => o[k], Aerospike)
  const args = d.a.map(decode)
  const op = d.b === undefined ? mod[d.op](...args) : mod[d.op](d.b, ...args)
  if (d.inv) op.invertSelection()
  if (d.ctx) op.withContext(decode({ $ctx: d.ctx }))
  if (d.pol) op.withPolicy(d.pol)
  if (d.ovf !== undefined) op.onOverflow(d.ovf)
  return op
}

/**
 * A TTL the way both servers can agree on it: a second may pass between a write and the read
 * after it, so positive TTLs count in whole minutes (the generator only uses multiples of 60).
 */
function ttlOf(ttl) {
  return ttl > 0 ? Math.ceil(ttl / 60) * 60 : ttl
}

export async function reply(p) {
  try {
    const res = await p
    if (res === undefined || res === null) return { ok: 1 }
    return { bins: canon(res.bins) }
  } catch (e) {
    if (typeof e?.code === 'number') return { code: e.code }
    throw e
  }
}

/**
 * A description with every {$bin: name} replaced by that bin's value in the record as it was
 * after the previous step (an HLL set op's argument list takes HLLs read back from the record).
 */
function resolveBins(d, bins) {
  if (Array.isArray(d)) return d.map((x) => resolveBins(x, bins))
  if (d === null || typeof d !== 'object') return d
  if ('$bin' in d) return bins?.[d.$bin] ?? null
  return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, resolveBins(v, bins)]))
}

/**
 * A UDF apply's value, or its code and, for a UDF error (100), its message with the module's
 * directory left out (the real server names the file by its path in its UDF directory).
 */
async function applyReply(p) {
  try {
    return { v: canon(await p) }
  } catch (e) {
    if (typeof e?.code !== 'number') throw e
    return e.code === 100 ? { code: e.code, msg: String(e.message).replace(/^[^\n:]*\/(?=[\w-]+\.lua:)/, '') } : { code: e.code }
  }
}

/** A policy of class `Cls` from a step's `pol` (its filter expression decoded), or none. */
export function policyOf(Cls, pol) {
  if (!pol) return undefined
  const filterExpression = pol.filterExpression && decode(pol.filterExpression)
  return new Aerospike[Cls](filterExpression ? { ...pol, filterExpression } : pol)
}

async function stepReply(client, key, s, bins) {
  switch (s.t) {
    case 'put': {
      const bins = Object.fromEntries(Object.entries(s.bins).map(([k, v]) => [k, decode(v)]))
      return reply(client.put(key, bins, s.meta, policyOf('WritePolicy', s.pol)).then(() => undefined))
    }
    case 'op':
      return reply(client.operate(key, s.ops.map((d) => buildOp(resolveBins(d, bins))), s.meta, policyOf('OperatePolicy', s.pol)))
    case 'get':
      return reply(client.get(key, policyOf('ReadPolicy', s.pol)))
    case 'exists':
      return reply(client.exists(key, policyOf('ReadPolicy', s.pol)).then((b) => ({ bins: { exists: b } })))
    case 'remove':
      return reply(client.remove(key, policyOf('RemovePolicy', s.pol)).then(() => undefined))
    case 'apply':
      return applyReply(client.apply(key, { module: s.mod ?? 'diffudf', funcname: s.fn, args: s.args.map(decode) }, policyOf('ApplyPolicy', s.pol)))
    default:
      throw new Error(`unknown step ${s.t}`)
  }
}

async function recordNow(client, key) {
  try {
    const rec = await client.get(key)
    return { bins: canon(rec.bins), gen: rec.gen, ttl: ttlOf(rec.ttl) }
  } catch (e) {
    if (typeof e?.code === 'number') return { code: e.code }
    throw e
  }
}

/** The key of case `id` of a family, fresh for every case. */
export function caseKey(family, seed, id) {
  return new Aerospike.Key(NAMESPACE, SET, `${family}-${seed}-${id}`)
}

async function removeAll(client, keys) {
  for (const k of keys) {
    try {
      await client.remove(k)
    } catch (e) {
      if (e?.code !== Aerospike.status.ERR_RECORD_NOT_FOUND) throw e
    }
  }
}

/**
 * Runs `steps` on a fresh record; returns [{r: reply, rec: record after}] per step. A case of a
 * family whose cases own several records (`multi`: {keys, step, cleanup}, see corpus.mjs) runs
 * on keys `<key>-0` … with the family's `step`, and its `rec` is the list of those records; a
 * query step writes nothing and has no `rec`.
 */
export async function runCase(client, key, steps, multi = null) {
  const keys = multi ? Array.from({ length: multi.keys }, (_, i) => new Aerospike.Key(key.ns, key.set, `${key.key}-${i}`)) : [key]
  await removeAll(client, keys)
  const out = []
  for (const s of steps) {
    let r
    try {
      r = multi ? await multi.step(client, keys, s) : await stepReply(client, key, s, out.at(-1)?.rec.bins)
    } catch (e) {
      // A client-side refusal (no server code): both sides see the same, keep the message.
      r = { client: String(e?.message ?? e) }
    }
    if (s.t === 'query') out.push({ r })
    else out.push({ r, rec: multi ? await Promise.all(keys.map((k) => recordNow(client, k))) : await recordNow(client, key) })
  }
  if (multi?.cleanup) await removeAll(client, keys)
  return out
}

/** The indexes of the steps whose reply or record differ between `a` and `b`. */
export function compareCase(a, b) {
  const diff = []
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) diff.push(i)
  }
  return diff
}

// Runs a case's steps on one server through the official client and returns, per step, what it
// answered and the record afterwards, as canonical JSON (see values.mjs). Both servers get the
// same case, so they see the same bytes; `compareCase` says which steps they answer differently.
import { Aerospike, canon, decode } from './values.mjs'

export const NAMESPACE = 'test'
export const SET = 'differential'

/** The official client's operation for an op description. */
export function buildOp(d) {
  const mod = d.f === 'ops' ? Aerospike.operations : Aerospike[d.f]
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

async function reply(p) {
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

async function stepReply(client, key, s, bins) {
  switch (s.t) {
    case 'put': {
      const bins = Object.fromEntries(Object.entries(s.bins).map(([k, v]) => [k, decode(v)]))
      const pol = s.pol ? new Aerospike.WritePolicy(s.pol) : undefined
      return reply(client.put(key, bins, s.meta, pol).then(() => undefined))
    }
    case 'op':
      return reply(client.operate(key, s.ops.map((d) => buildOp(resolveBins(d, bins))), s.meta))
    case 'remove':
      return reply(client.remove(key).then(() => undefined))
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

/** Runs `steps` on a fresh record; returns [{r: reply, rec: record after}] per step. */
export async function runCase(client, key, steps) {
  try {
    await client.remove(key)
  } catch (e) {
    if (e?.code !== Aerospike.status.ERR_RECORD_NOT_FOUND) throw e
  }
  const out = []
  for (const s of steps) {
    let r
    try {
      r = await stepReply(client, key, s, out.at(-1)?.rec.bins)
    } catch (e) {
      // A client-side refusal (no server code): both sides see the same, keep the message.
      r = { client: String(e?.message ?? e) }
    }
    out.push({ r, rec: await recordNow(client, key) })
  }
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

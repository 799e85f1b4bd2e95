// Runs the query family's steps. Queries and scans see a whole set, so every parallel worker
// (lane) has a set of its own, `dq<lane>`, with the same indexes; `setupQuery` empties the lane
// sets and creates their indexes before the cases run, and a case removes its records when it
// ends. A query's reply is its records' bins sorted as JSON text: neither server defines the
// order in which a query or scan returns records (it follows partitions and index order), so
// the comparison is of the set of records. With maxRecords only the count is compared (which
// records the limit keeps is not defined either); a paginated query's pages are compared as the
// set of their distinct records.
import { Aerospike, canon, decode } from './values.mjs'
import { policyOf, reply } from './exec.mjs'
import { INDEXES } from './gen-query.mjs'

/** How many lanes (parallel workers, each with its own set) the query family runs in. */
export const LANES = 4

export const laneSet = (lane) => `dq${lane}`

const INDEX_FOUND = 200

async function emptySet(client, ns, set) {
  const recs = await client.query(ns, set, { nobins: true }).results()
  for (const rec of recs) {
    try {
      await client.remove(rec.key)
    } catch (e) {
      if (e?.code !== Aerospike.status.ERR_RECORD_NOT_FOUND) throw e
    }
  }
}

/** Empties the lane sets and creates their indexes (an index already there is kept). */
export async function setupQuery(client, ns) {
  for (let lane = 0; lane < LANES; lane++) {
    const set = laneSet(lane)
    await emptySet(client, ns, set)
    for (const [i, ix] of INDEXES.entries()) {
      const options = { ns, set, bin: ix.bin, index: `${set}_${i}`, type: ix.type, datatype: ix.datatype }
      if (ix.ctx) options.context = decode({ $ctx: ix.ctx })
      try {
        const job = await client.createIndex(options)
        await job.wait(10)
      } catch (e) {
        if (e?.code !== INDEX_FOUND) throw e
      }
    }
  }
}

function indexFilter([fn, ...args]) {
  return Aerospike.filter[fn](...args.map(decode))
}

/** The reply of a query family step on the case's `keys` (all in the lane's set). */
export async function queryStep(client, keys, s) {
  if (s.t === 'qput') {
    const bins = Object.fromEntries(Object.entries(s.bins).map(([k, v]) => [k, decode(v)]))
    return reply(client.put(keys[s.k], bins).then(() => undefined))
  }
  const q = client.query(keys[0].ns, keys[0].set)
  if (s.f) q.where(indexFilter(s.f))
  if (s.sel) q.select(...s.sel)
  if (s.nobins) q.nobins = true
  if (s.part) q.partitions(s.part[0], s.part[1])
  if (s.max) q.maxRecords = s.max
  if (s.page) Object.assign(q, { paginate: true, maxRecords: s.page })
  try {
    const recs = await q.results(policyOf('QueryPolicy', s.pol))
    if (s.max) return { count: recs.length }
    // Pages (at most 20) until the query says it is done: their union is compared.
    for (let n = 0; s.page && q.hasNextPage() && n < 20; n++) recs.push(...(await q.results(policyOf('QueryPolicy', s.pol))))
    const rows = recs.map((rec) => JSON.stringify(canon(rec.bins))).sort()
    // A list or map index query answers a record once per matching element; across a page
    // boundary the real server may skip a record's later entries: pages compare distinct records.
    return { rows: (s.page ? [...new Set(rows)] : rows).map((t) => JSON.parse(t)) }
  } catch (e) {
    if (typeof e?.code === 'number') return { code: e.code }
    throw e
  }
}

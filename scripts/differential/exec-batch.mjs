// Runs the batch family's steps: a case owns a few keys and its steps name them by index (see
// gen-batch.mjs). Every batch call's reply is its rows, each as the row's status and, when the
// row has a record, its bins and generation; a call the server refuses as a whole is its code.
import { Aerospike, canon, decode } from './values.mjs'
import { buildOp, policyOf, reply } from './exec.mjs'

/** A batch reply's rows made comparable: status, then bins and generation when there is a record. */
function rows(res) {
  return {
    rows: res.map((row) => {
      const out = { s: row.status }
      if (row.record?.bins !== undefined) out.bins = canon(row.record.bins)
      if (row.record?.gen !== undefined) out.gen = row.record.gen
      return out
    }),
  }
}

function readRecord(keys, row, type = Aerospike.batchType.BATCH_READ) {
  const rec = { type, key: keys[row.k] }
  if (row.bins) rec.bins = row.bins
  if (row.all) rec.readAllBins = true
  if (row.ops) rec.ops = row.ops.map(buildOp)
  if (row.pol) rec.policy = policyOf('BatchReadPolicy', row.pol)
  return rec
}

function writeRecord(keys, row) {
  if (row.t === 'read') return readRecord(keys, row)
  if (row.t === 'remove') return { type: Aerospike.batchType.BATCH_REMOVE, key: keys[row.k], policy: policyOf('BatchRemovePolicy', row.pol) }
  return { type: Aerospike.batchType.BATCH_WRITE, key: keys[row.k], ops: row.ops.map(buildOp), policy: policyOf('BatchWritePolicy', row.pol) }
}

/** The reply of a batch family step on the case's `keys`. */
export async function batchStep(client, keys, s) {
  const pol = policyOf('BatchPolicy', s.pol)
  const ks = () => s.keys.map((i) => keys[i])
  const settle = async (p) => {
    try {
      return rows(await p)
    } catch (e) {
      if (typeof e?.code === 'number') return { code: e.code }
      throw e
    }
  }
  switch (s.t) {
    case 'kput': {
      const bins = Object.fromEntries(Object.entries(s.bins).map(([k, v]) => [k, decode(v)]))
      return reply(client.put(keys[s.k], bins).then(() => undefined))
    }
    case 'batchGet':
      return settle(client.batchGet(ks(), pol))
    case 'batchExists':
      return settle(client.batchExists(ks(), pol))
    case 'batchSelect':
      return settle(client.batchSelect(ks(), s.bins, pol))
    case 'batchRemove':
      return settle(client.batchRemove(ks(), pol))
    case 'batchRead':
      return settle(client.batchRead(s.rows.map((row) => readRecord(keys, row)), pol))
    case 'batchWrite':
      return settle(client.batchWrite(s.rows.map((row) => writeRecord(keys, row)), pol))
    default:
      throw new Error(`unknown batch step ${s.t}`)
  }
}

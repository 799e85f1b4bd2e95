// Code written for the official `aerospike` package, running on aerospike-napi: only the
// require line differs. The regions are the snippets of docs/migrating.md.
'use strict'

const { run } = require('./tuning/_target')

run(async (hosts) => {
  // #region require
  // Before: const Aerospike = require('aerospike')
  const Aerospike = require('aerospike-napi')
  // #endregion require

  // #region unchanged
  const config = {
    hosts,
    maxConnsPerNode: 64,
    policies: { read: { totalTimeout: 1000, maxRetries: 2 }, write: { totalTimeout: 1000 } },
  }
  const client = await Aerospike.connect(config)
  const key = new Aerospike.Key('test', 'users', 'ada')
  await client.put(key, { name: 'Ada', visits: 1 }, { ttl: 3600 }, { exists: Aerospike.policy.exists.CREATE_OR_REPLACE })
  const record = await client.get(key)
  console.log(record.bins, record.gen, record.ttl > 0)

  // Node-style callbacks work where the official client takes them.
  await new Promise((resolve, reject) => {
    client.incr(key, { visits: 1 }, (err, rec) => (err ? reject(err) : resolve(rec)))
  })

  // Batch results have the official shape: one { status, record } per key, in key order.
  const rows = await client.batchRead([
    { key, readAllBins: true },
    { key: new Aerospike.Key('test', 'users', 'nobody'), readAllBins: true },
  ])
  console.log(rows.map((r) => r.status), rows[0].record.bins.visits)

  // Errors are AerospikeError with the official numeric codes.
  try {
    await client.get(new Aerospike.Key('test', 'users', 'nobody'))
  } catch (err) {
    console.log(err instanceof Aerospike.AerospikeError, err.code === Aerospike.status.ERR_RECORD_NOT_FOUND)
  }
  // #endregion unchanged

  // #region extras
  // Additions with no official counterpart: columnar batch reads ...
  const keys = Array.from({ length: 100 }, (_, i) => new Aerospike.Key('test', 'users', `u${i}`))
  await client.batchWrite(keys.map((k, i) => ({ type: Aerospike.batchType.BATCH_WRITE, key: k, ops: [Aerospike.operations.write('score', i / 2)] })))
  const cols = await client.batchReadColumns(keys, { score: 'f64' })
  console.log(cols.columns.score.reduce((a, b) => a + b, 0))
  // ... and client-side metrics.
  console.log(client.stats().byKind.get.count > 0)
  // #endregion extras
  await client.close()
})

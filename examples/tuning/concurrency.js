// Concurrency for Node servers: fan out with Promise.all, but bound the number in flight.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

// #region limit
/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length)
  let next = 0
  async function worker() {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
// #endregion limit

run(async (hosts) => {
  const client = await aerospike.connect({ hosts, maxConnsPerNode: 300 })
  const keys = Array.from({ length: 5000 }, (_, i) => new aerospike.Key('test', 'tuning', i))

  // #region fanout
  // Small fan-outs: all at once.
  await Promise.all(keys.slice(0, 50).map((key, i) => client.put(key, { i })))
  // Large ones: bounded, so the pool and the server are not flooded (keep limit ≤ maxConnsPerNode).
  await mapLimit(keys, 256, (key, i) => client.put(key, { i }))
  // #endregion fanout
  const last = await client.get(keys[keys.length - 1])
  console.log('wrote', keys.length, 'records; last:', last.bins)
  await client.close()
})

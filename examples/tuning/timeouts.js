// Timeouts and retries: per-command policies and client-wide defaults; how a timeout surfaces.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

run(async (hosts) => {
  // #region timeouts
  const client = await aerospike.connect({
    hosts,
    policies: {
      // Reads may retry: each attempt gets socketTimeout, the whole call totalTimeout.
      read: { socketTimeout: 100, totalTimeout: 300, maxRetries: 2 },
      // Writes that are not idempotent are safer without retries.
      write: { socketTimeout: 200, totalTimeout: 500, maxRetries: 0 },
    },
  })
  const key = new aerospike.Key('test', 'tuning', 'timeouts')
  await client.put(key, { n: 1 })
  // A per-call policy overrides the default for that call only.
  const record = await client.get(key, { totalTimeout: 50, maxRetries: 0 })
  // #endregion timeouts
  console.log('read with timeouts:', record.bins)

  // #region timeout-error
  try {
    await client.get(key, { totalTimeout: 1, socketTimeout: 1, maxRetries: 0 })
    console.log('answered within 1 ms')
  } catch (err) {
    if (err instanceof aerospike.AerospikeError && err.code === aerospike.status.ERR_TIMEOUT) {
      // err.inDoubt tells whether a write may have been applied anyway.
      console.log('timed out; in doubt:', err.inDoubt)
    } else {
      throw err
    }
  }
  // #endregion timeout-error
  await client.close()
})

// Connection pool settings: open connections up front, cap them, and close idle ones before
// the server does.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

run(async (hosts) => {
  // #region pool
  const client = await aerospike.connect({
    hosts,
    maxConnsPerNode: 200, // cap per node: commands wait for a connection beyond this
    minConnsPerNode: 16, // opened at connect time, so the first burst does not pay for handshakes
    maxSocketIdle: 50, // seconds; keep below the server's proto-fd-idle-ms (60 s by default)
    connTimeoutMs: 1000,
  })
  // #endregion pool
  const key = new aerospike.Key('test', 'tuning', 'pool')
  await client.put(key, { ok: true })
  console.log('pool ok:', (await client.get(key)).bins.ok)
  await client.close()
})

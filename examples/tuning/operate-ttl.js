// One operate() instead of several commands, and TTL strategy with the constants.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

run(async (hosts) => {
  const client = await aerospike.connect({ hosts })
  const key = new aerospike.Key('test', 'tuning', 'session:42')
  await client.put(key, { visits: 0, user: 'ada' }, { ttl: 600 })

  // #region operate
  // Increment, stamp and read back in one round trip (one record lock, one network hop).
  const { operations: op } = aerospike
  const result = await client.operate(key, [op.incr('visits', 1), op.write('lastSeen', Date.now()), op.read('visits')])
  // #endregion operate
  console.log('visits now:', result.bins.visits)

  // #region ttl
  const { ttl } = aerospike
  await client.put(key, { user: 'ada' }, { ttl: 3600 }) // expires in an hour
  await client.put(key, { user: 'ada' }, { ttl: ttl.NAMESPACE_DEFAULT }) // the namespace's default-ttl
  await client.put(key, { user: 'ada' }, { ttl: ttl.NEVER_EXPIRE }) // never expires
  await client.put(key, { seen: true }, { ttl: ttl.DONT_UPDATE }) // keep the current expiry
  await client.touch(key, 600) // extend without rewriting bins
  // #endregion ttl
  console.log('ttl after touch:', (await client.get(key)).ttl)
  await client.close()
})

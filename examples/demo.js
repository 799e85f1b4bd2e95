// The quick-start demo (`npm start`): starts the embedded Aerospike-compatible server on a free
// port (or uses AEROSPIKE_HOSTS when set), connects, and walks through put / get / select /
// exists / remove, printing what it does.
'use strict'

const aerospike = require('..')

async function main() {
  const server = process.env.AEROSPIKE_HOSTS ? null : await aerospike.startServer()
  const hosts = server ? server.address : process.env.AEROSPIKE_HOSTS
  console.log(server ? `embedded server listening on ${hosts}` : `using server ${hosts}`)

  const client = await aerospike.connect({ hosts })
  console.log('connected')
  try {
    const key = new aerospike.Key('test', 'demo', 'user:1')
    const bins = { name: 'Ada', visits: 1, score: 9.5, tags: ['math', 'engines'], big: 2n ** 60n }
    await client.put(key, bins, { ttl: 3600 })
    console.log('put    ', key.key, bins)

    const record = await client.get(key)
    console.log('get    ', record.bins, `gen=${record.gen} ttl=${record.ttl}`)

    await client.incr(key, { visits: 1 })
    const partial = await client.select(key, ['name', 'visits'])
    console.log('select ', partial.bins)

    console.log('exists ', await client.exists(key))
    await client.remove(key)
    console.log('remove ', 'done; exists now:', await client.exists(key))

    try {
      await client.get(key)
    } catch (err) {
      console.log('get    ', `${err.name} code=${err.code}: ${err.message}`)
    }
  } finally {
    await client.close()
    if (server) await server.stop()
  }
  console.log('closed')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

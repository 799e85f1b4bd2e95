// The ESM entry of the installed package: named and default imports are the same module.
import aerospike, { Key, connect, startServer } from 'aerospike-napi'

const server = await startServer()
const client = await connect({ hosts: server.address })
const key = new Key('test', 'pack_esm', 'k')
await client.put(key, { v: 'esm' })
const rec = await client.get(key)
await client.close()
await server.stop()
console.log(JSON.stringify({ v: rec.bins.v, same: aerospike.Key === Key }))

// Runs from an npm-installed copy of the packed tarballs: connect, put, get, a columnar batch
// read and the embedded server, with no Rust toolchain on PATH.
const aerospike = require('aerospike-napi')

async function main() {
  const server = await aerospike.startServer()
  const client = await aerospike.connect({ hosts: server.address })
  const keys = []
  for (let i = 0; i < 50; i++) {
    const key = new aerospike.Key('test', 'pack', i)
    keys.push(key)
    await client.put(key, { n: i, x: i / 2 })
  }
  const rec = await client.get(keys[7])
  const cols = await client.batchReadColumns(keys, { n: 'i64', x: 'f64' })
  let sum = 0n
  for (const v of cols.columns.n) sum += v
  await client.close()
  await server.stop()
  console.log(JSON.stringify({ n: rec.bins.n, x: rec.bins.x, sum: String(sum), half: cols.columns.x[9] }))
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})

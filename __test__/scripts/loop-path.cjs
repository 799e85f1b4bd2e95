// Many single-record commands at once, each with its own key and value, every answer checked
// against what that command must see. Run with AEROSPIKE_NAPI_PATH / AEROSPIKE_NAPI_LOOP_CONNS
// set by the test; prints how many commands were settled on the event-loop path and every
// mismatch found. Leaves its client open on purpose when asked (`open`): the process must
// still exit on its own.
const path = require('node:path')
const aerospike = require(path.join(__dirname, '..', '..'))
const { loopSettled } = require(path.join(__dirname, '..', '..', 'dist', 'dispatch.js'))

async function main() {
  const [hosts, n, mode] = [process.argv[2], Number(process.argv[3] ?? 2000), process.argv[4] ?? 'close']
  // A large pool, so that both paths have connections to spare.
  const client = await aerospike.connect({ hosts, maxConnsPerNode: 1000 })
  const set = `loop_${process.pid}`
  const key = (i) => new aerospike.Key('test', set, i % 2 ? `s${i}` : i)
  const bad = []
  const check = (what, i, got, want) => {
    if (JSON.stringify(got) !== JSON.stringify(want)) bad.push({ what, i, got, want })
  }
  const all = (f) => Promise.all(Array.from({ length: n }, (_, i) => f(i)))
  // Warm up: the first commands to a node open this path's connections.
  for (let i = 0; i < 20; i++) await client.put(key(i), { v: i, s: `x${i}`, f: i + 0.5 })

  await all((i) => client.put(key(i), { v: i, s: `x${i}`, f: i + 0.5 }))
  await all(async (i) => check('get', i, (await client.get(key(i))).bins, { v: i, s: `x${i}`, f: i + 0.5 }))
  await all(async (i) => check('select', i, (await client.select(key(i), ['s'])).bins, { s: `x${i}` }))
  await all(async (i) => {
    const ops = [aerospike.operations.incr('v', i), aerospike.operations.read('v'), aerospike.operations.read('s')]
    check('operate', i, (await client.operate(key(i), ops)).bins, { v: 2 * i, s: `x${i}` })
  })
  await all(async (i) => check('exists', i, await client.exists(key(i)), true))
  // Sequential commands, one in flight: the event-loop path's own case.
  for (let i = 0; i < Math.min(n, 300); i++) {
    const rec = await client.get(key(i))
    check('sequential get', i, [rec.bins.v, rec.gen], [2 * i, i < 20 ? 3 : 2])
  }
  await all(async (i) => check('remove', i, Boolean(await client.remove(key(i))), true))
  await all(async (i) => {
    const err = await client.get(key(i)).then(() => null, (e) => e.code)
    check('get removed', i, err, aerospike.status.ERR_RECORD_NOT_FOUND)
  })
  const settled = loopSettled()
  if (mode === 'close') await client.close()
  console.log(JSON.stringify({ settled, bad: bad.slice(0, 10), nBad: bad.length }))
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})

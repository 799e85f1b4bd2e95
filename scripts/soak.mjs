// Soak: many mixed operations (put, get, operate, batch, columnar, remove, misses and errors)
// with RSS and open handles checked before and after. `npm run soak` runs 1,000,000 operations;
// the test suite runs a short version. Prints one JSON line; exits non-zero when a bound is broken.
//
//   node scripts/soak.mjs [--ops 1000000] [--concurrency 64] [--rss-growth-mb 64]
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const aerospike = require('../index.js')
const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : dflt
}
const totalOps = opt('ops', 1_000_000)
const concurrency = opt('concurrency', 64)
const rssBoundMb = opt('rss-growth-mb', 64)

const server = process.env.AEROSPIKE_HOSTS ? null : await aerospike.startServer()
const hosts = server ? server.address : process.env.AEROSPIKE_HOSTS
const client = await aerospike.connect({ hosts })
const set = `soak_${process.pid}`
const KEYS = 2000
const keys = Array.from({ length: KEYS }, (_, i) => new aerospike.Key('test', set, i))
const { operations: op } = aerospike
let done = 0
let errors = 0

async function one(n) {
  const key = keys[n % KEYS]
  switch (n % 10) {
    case 0:
    case 1:
      return client.put(key, { n, s: `v${n}`, f: n / 3, l: [n, 'x'] })
    case 2:
    case 3:
    case 4:
      return client.get(key).catch((e) => {
        if (e.code !== aerospike.status.ERR_RECORD_NOT_FOUND) throw e
      })
    case 5:
      return client.operate(key, [op.incr('c', 1), op.read('c')])
    case 6:
      return client.batchGet(keys.slice(n % (KEYS - 20), (n % (KEYS - 20)) + 20))
    case 7:
      return client.batchReadColumns(keys.slice(0, 50), { n: 'i64', f: 'f64' })
    case 8:
      return client.remove(new aerospike.Key('test', set, `missing${n}`)).catch((e) => {
        if (e.code !== aerospike.status.ERR_RECORD_NOT_FOUND) throw e
      })
    default:
      // A bad call: must reject with a TypeError, every time, without leaking.
      return client.put(key, { bad: () => 1 }).then(
        () => {
          throw new Error('a function bin was accepted')
        },
        (e) => {
          if (!(e instanceof TypeError)) throw e
        },
      )
  }
}

async function run(count) {
  let next = 0
  const worker = async () => {
    while (next < count) {
      const n = next++
      try {
        await one(n)
      } catch (e) {
        errors++
        if (errors < 5) console.error(e)
      }
      done++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

const mb = () => process.memoryUsage().rss / 1024 / 1024
const handles = () => process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length
const warmup = Math.min(50_000, Math.floor(totalOps / 5))
await run(warmup)
global.gc?.()
const rss0 = mb()
const handles0 = handles()
const t0 = performance.now()
await run(totalOps - warmup)
global.gc?.()
const rss1 = mb()
const handles1 = handles()
const secs = (performance.now() - t0) / 1000
await client.truncate('test', set)
await client.close()
await server?.stop()
const result = {
  ops: done,
  errors,
  opsPerSec: Math.round((totalOps - warmup) / secs),
  rssAfterWarmupMb: Math.round(rss0),
  rssEndMb: Math.round(rss1),
  rssGrowthMb: Math.round((rss1 - rss0) * 10) / 10,
  rssBoundMb,
  handlesAfterWarmup: handles0,
  handlesEnd: handles1,
}
console.log(JSON.stringify(result))
if (errors > 0 || result.rssGrowthMb > rssBoundMb || handles1 > handles0) process.exitCode = 1

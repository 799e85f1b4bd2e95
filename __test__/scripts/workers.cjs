// Loads the addon in several worker threads at once (and in the main thread), each with its own
// client doing real work; then everything closes and the process must exit on its own.
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads')
const path = require('node:path')
const aerospike = require(path.join(__dirname, '..', '..'))

async function work(hosts, id) {
  const client = await aerospike.connect({ hosts })
  let sum = 0
  for (let i = 0; i < 200; i++) {
    const key = new aerospike.Key('test', `workers_${process.pid}`, `${id}:${i}`)
    await client.put(key, { i, id: String(id) })
    sum += (await client.get(key)).bins.i
  }
  const cols = await client.batchReadColumns(
    Array.from({ length: 200 }, (_, i) => new aerospike.Key('test', `workers_${process.pid}`, `${id}:${i}`)),
    { i: 'i64' },
  )
  let colSum = 0n
  for (const v of cols.columns.i) colSum += v
  await client.close()
  return { id, sum, colSum: Number(colSum) }
}

if (isMainThread) {
  const hosts = process.argv[2]
  const n = Number(process.argv[3] ?? 4)
  const workers = Array.from({ length: n }, (_, id) => new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { hosts, id } })
    w.once('message', resolve)
    w.once('error', reject)
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker ${id} exited with ${code}`)))
  }))
  Promise.all([work(hosts, 'main'), ...workers]).then(
    (results) => console.log(JSON.stringify(results)),
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
} else {
  work(workerData.hosts, workerData.id).then((r) => parentPort.postMessage(r))
}

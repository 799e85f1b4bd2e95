// Columnar writes, a scan into columns, Apache Arrow and an export through Arrow IPC, end to end
// against the embedded server (or AEROSPIKE_HOSTS): the examples in docs/columnar.md are cut
// from this file. Needs the optional `apache-arrow` package; with python3 and pyarrow
// installed, the export is also turned into Parquet and read back.
'use strict'

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const aerospike = require('aerospike-napi')

async function main() {
  const server = process.env.AEROSPIKE_HOSTS ? null : await aerospike.startServer()
  const hosts = server ? server.address : process.env.AEROSPIKE_HOSTS
  const client = await aerospike.connect({ hosts })
  const set = `trips_${process.pid}`
  const n = 5000
  const keys = Array.from({ length: n }, (_, i) => new aerospike.Key('test', set, i))

  // #region write
  const codes = await client.batchWriteColumns(keys, {
    km: Float64Array.from(keys, (_, i) => 1 + (i % 50) / 10),
    minutes: Int32Array.from(keys, (_, i) => 5 + (i % 40)),
    city: keys.map((_, i) => ['Lisbon', 'Osaka', 'Quito'][i % 3]),
  })
  // #endregion write
  if (codes.some((c) => c !== 0)) throw new Error('a row was not written')

  // #region scan-to-arrow
  const { tableToIPC } = require('apache-arrow')
  const spec = { km: 'f64', minutes: 'i32', city: 'str' }
  const tables = []
  for await (const batch of client.scan('test', set).columns(spec, { rows: 2048 })) {
    // Arrow vectors over the batch's own buffers: no copy per value.
    tables.push(aerospike.toArrowTable(batch))
  }
  const table = tables[0].concat(...tables.slice(1))
  // #endregion scan-to-arrow
  if (table.numRows !== n) throw new Error(`scanned ${table.numRows} of ${n} records`)
  console.log('rows:', table.numRows, 'columns:', table.schema.fields.map((f) => `${f.name}: ${f.type}`).join(', '))

  // #region ipc-export
  // The Arrow IPC file format (Feather v2), which pyarrow, Polars and DuckDB read.
  const file = path.join(os.tmpdir(), `${set}.arrow`)
  fs.writeFileSync(file, tableToIPC(table, 'file'))
  // #endregion ipc-export

  // #region parquet
  const parquet = file.replace(/\.arrow$/, '.parquet')
  const py = `
import sys, pyarrow.feather as feather, pyarrow.parquet as pq
pq.write_table(feather.read_table(sys.argv[1]), sys.argv[2])
print(pq.read_table(sys.argv[2]).num_rows)`
  const r = spawnSync('python3', ['-c', py, file, parquet], { encoding: 'utf8' })
  // #endregion parquet
  const hasPyarrow = spawnSync('python3', ['-c', 'import pyarrow'], { stdio: 'ignore' }).status === 0
  if (hasPyarrow) {
    if (r.status !== 0 || Number(r.stdout.trim()) !== n) throw new Error(`parquet export failed: ${r.stderr}`)
    console.log('parquet rows:', r.stdout.trim())
    fs.rmSync(parquet)
  } else console.log('pyarrow not installed: the Arrow IPC file is the export')
  fs.rmSync(file)

  await client.truncate('test', set, 0)
  await client.close()
  await server?.stop()
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

// Read less: select bins, batch many keys into one call, or read numeric bins as columns.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

run(async (hosts) => {
  const client = await aerospike.connect({ hosts })
  const keys = []
  for (let i = 0; i < 1000; i++) {
    const key = new aerospike.Key('test', 'tuning', `item:${i}`)
    keys.push(key)
    await client.put(key, { price: i * 1.5, qty: i, name: `item ${i}`, blob: Buffer.alloc(256) })
  }

  // #region select
  // Only the bins you need travel over the network.
  const partial = await client.select(keys[0], ['price', 'qty'])
  // #endregion select

  // #region batch
  // One round trip per node instead of one per key.
  const records = await client.batchSelect(keys.slice(0, 100), ['price'])
  const found = records.filter((r) => r.status === aerospike.status.OK).length
  // #endregion batch

  // #region columns
  // Numeric bins of many records straight into typed arrays: no object per record.
  const cols = await client.batchReadColumns(keys, { price: 'f64', qty: 'i64' })
  let total = 0
  for (let i = 0; i < cols.columns.price.length; i++) {
    if (cols.valid.price[i]) total += cols.columns.price[i] * Number(cols.columns.qty[i])
  }
  // #endregion columns
  // #region filter
  // Let the server drop what you do not need: filtered-out records are never sent.
  const { exp } = aerospike
  const expensive = await client.scan('test', 'tuning').results({
    filterExpression: exp.and(exp.binExists('price'), exp.gt(exp.binFloat('price'), exp.float(1200))),
  })
  // #endregion filter
  console.log('select:', partial.bins, 'batch found:', found, 'inventory value:', total, 'expensive:', expensive.length)
  await client.close()
})

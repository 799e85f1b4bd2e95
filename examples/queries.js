// Queries, scans, expressions and collection operations, end to end against the embedded server
// (or AEROSPIKE_HOSTS): the examples in docs/queries-and-expressions.md are cut from this file.
'use strict'

const aerospike = require('aerospike-napi')
const { exp, filter, lists, maps } = aerospike

async function main() {
  const server = process.env.AEROSPIKE_HOSTS ? null : await aerospike.startServer()
  const hosts = server ? server.address : process.env.AEROSPIKE_HOSTS
  const client = await aerospike.connect({ hosts })
  const set = `users_${process.pid}`
  for (let i = 0; i < 50; i++) {
    await client.put(new aerospike.Key('test', set, i), { age: 18 + i, name: `user${i}`, tags: i % 2 ? ['odd'] : ['even'] })
  }

  // #region index-query
  await (await client.createIntegerIndex({ ns: 'test', set, bin: 'age', index: `${set}_age` })).wait()
  const adults = await client.query('test', set).where(filter.range('age', 30, 39)).select('name', 'age').results()
  // #endregion index-query
  console.log('ages 30-39:', adults.length)

  // #region stream
  let count = 0
  for await (const record of client.scan('test', set)) {
    count += record.bins.age >= 60 ? 1 : 0 // pulls more from the server only as you iterate
  }
  // #endregion stream
  console.log('60 and over:', count)

  // #region pages
  const pager = client.scan('test', set, { paginate: true, maxRecords: 20 })
  let pages = 0
  do {
    const page = await pager.results()
    pages += page.length > 0 ? 1 : 0
  } while (pager.hasNextPage())
  // #endregion pages
  console.log('pages of 20:', pages)

  // #region filter
  const key = new aerospike.Key('test', set, 7)
  const onlyOdd = exp.eq(exp.lists.getByIndex(exp.binList('tags'), exp.int(0), exp.type.STR, lists.returnType.VALUE), exp.str('odd'))
  const rec = await client.get(key, { filterExpression: onlyOdd }) // rejects with code 27 when it does not match
  const olderThan40 = await client.scan('test', set).results({ filterExpression: exp.gt(exp.binInt('age'), exp.int(40)) })
  // #endregion filter
  console.log('filtered get:', rec.bins.name, 'scan age > 40:', olderThan40.length)

  // #region operate-cdt
  const profile = new aerospike.Key('test', set, 'profile')
  const result = await client.operate(profile, [
    lists.append('visits', Date.now()),
    lists.size('visits'),
    maps.put('prefs', 'theme', 'dark'),
    maps.getByKey('prefs', 'theme', maps.returnType.VALUE),
  ])
  // #endregion operate-cdt
  console.log('operate:', result.bins)

  // #region udf
  await client.udfRegister(Buffer.from(`
function add_tag(rec, tag)
  local tags = rec['tags'] or list()
  list.append(tags, tag)
  rec['tags'] = tags
  aerospike:update(rec)
  return list.size(tags)
end`), 'tagging')
  const size = await client.apply(new aerospike.Key('test', set, 3), { module: 'tagging', funcname: 'add_tag', args: ['vip'] })
  const job = await client.query('test', set).where(filter.range('age', 60, 99)).background('tagging', 'add_tag', ['senior'])
  await job.wait()
  // #endregion udf
  console.log('tags after apply:', size)
  await client.udfRemove('tagging')

  await client.truncate('test', set)
  await client.indexRemove('test', `${set}_age`)
  await client.close()
  await server?.stop()
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})

// Monitoring: per-command counters and latency histograms, per-node connections, Prometheus
// text for a /metrics endpoint, cluster events and log records.
'use strict'

const aerospike = require('aerospike-napi')
const { run } = require('./_target')

run(async (hosts) => {
  // #region logging
  aerospike.setLogHandler((level, target, message) => {
    if (level <= aerospike.log.WARN) console.warn(`[aerospike ${target}] ${message}`)
  }, aerospike.log.WARN)
  // #endregion logging

  const client = await aerospike.connect({ hosts })
  // #region events
  client.on('nodeAdded', (event) => console.log('node added', event.nodeName, event.nodeAddress))
  client.on('nodeRemoved', (event) => console.log('node removed', event.nodeName))
  client.on('disconnected', () => console.error('no Aerospike node reachable'))
  // #endregion events

  await client.enableMetrics() // per-node retry and error counters (small cost per command)
  const keys = Array.from({ length: 100 }, (_, i) => new aerospike.Key('test', 'tuning', `m${i}`))
  await Promise.all(keys.map((key, i) => client.put(key, { i })))
  await Promise.all(keys.map((key) => client.get(key)))

  // #region stats
  const stats = client.stats()
  const get = stats.byKind.get
  console.log(`gets: ${get.count}, errors: ${get.errors}, timeouts: ${get.timeouts}, mean ${(get.sumMs / get.count).toFixed(3)} ms`)
  for (const node of stats.nodes) {
    console.log(`${node.name} ${node.address}: ${node.conns.inUse} in use, ${node.conns.inPool} idle, ${node.retries} retries`)
  }
  // #endregion stats

  // #region prometheus
  // Serve this from your /metrics endpoint.
  const text = client.prometheusMetrics()
  // #endregion prometheus
  console.log(text.split('\n').filter((l) => l.startsWith('aerospike_napi_commands_total')).join('\n'))
  aerospike.setLogHandler(null)
  await client.close()
})

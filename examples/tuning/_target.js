// Where the tuning examples run: AEROSPIKE_HOSTS when set, otherwise a fresh embedded server.
'use strict'

const aerospike = require('aerospike-napi')

/** Runs `fn(hosts)` against the target server and shuts everything down afterwards. */
async function withServer(fn) {
  const server = process.env.AEROSPIKE_HOSTS ? null : await aerospike.startServer()
  const hosts = server ? server.address : process.env.AEROSPIKE_HOSTS
  try {
    await fn(hosts)
  } finally {
    await server?.stop()
  }
}

function run(fn) {
  withServer(fn).catch((e) => {
    console.error(e)
    process.exit(1)
  })
}

module.exports = { run }

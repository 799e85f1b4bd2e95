// The callback convention: callbacks run outside the promise chain (an exception thrown in one
// is an uncaught exception, as with the official client, not a lost rejection), and argument
// errors of plain-object keys reach the callback as ERR_PARAM.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { hosts } from './helpers'

describe('callbacks', () => {
  it('an exception thrown in a callback is an uncaught exception; a bad plain-object key is ERR_PARAM', () => {
    const script = `
      const aerospike = require(${JSON.stringify(path.resolve(__dirname, '..'))})
      const seen = []
      process.on('uncaughtException', (e) => { seen.push('uncaught:' + e.message) })
      process.on('unhandledRejection', (e) => { seen.push('unhandled:' + e) })
      aerospike.connect({ hosts: ${JSON.stringify(hosts)} }).then((client) => {
        client.put({ ns: 'test', set: 'cb', key: 3.14 }, { a: 1 }, (err) => {
          seen.push('code:' + err.code)
          throw new Error('from the callback')
        })
        setTimeout(() => { client.close(); console.log(JSON.stringify(seen)) }, 300)
      })`
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 })
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout.trim())).toEqual(['code:-2', 'uncaught:from the callback'])
  })
})

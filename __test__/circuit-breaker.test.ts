// The circuit breaker (config.maxErrorRate / errorRateWindow): past the error rate, commands to
// a node fail fast with MAX_ERROR_RATE until the window ends.
import { describe, expect, it } from 'vitest'
import { circuitBreaker } from '../src/circuit_breaker'
import { aerospike, connectClient, NS, uniqueSet } from './helpers'

const MAX_ERROR_RATE = -14

describe('circuit breaker', () => {
  it('falls back to the defaults for a ratio outside 1–100 or values that are not integers', () => {
    expect(circuitBreaker(40, 40)).toEqual({ maxErrorRate: 40, errorRateWindow: 40 })
    expect(circuitBreaker(400, 1)).toEqual({ maxErrorRate: 100, errorRateWindow: 1 })
    expect(circuitBreaker(2, 1000)).toEqual({ maxErrorRate: 100, errorRateWindow: 1 })
    expect(circuitBreaker('a', 5)).toEqual({ maxErrorRate: 100, errorRateWindow: 5 })
    expect(circuitBreaker(undefined, undefined)).toEqual({ maxErrorRate: 100, errorRateWindow: 1 })
    expect(circuitBreaker(0, 3)).toEqual({ maxErrorRate: 0, errorRateWindow: 3 })
  })

  it('abandoned streams count as errors; past the rate, queries, puts and batch reads fail with MAX_ERROR_RATE', async () => {
    const client = await connectClient({ maxErrorRate: 30, errorRateWindow: 3, tenderInterval: 10000 } as never)
    try {
      const set = uniqueSet('cb')
      const key = new aerospike.Key(NS, set, 'k')
      await client.put(key, { a: 1 })
      let failure: aerospike.AerospikeError | null = null
      let aborted = 0
      for (; aborted < 60 && !failure; aborted++) {
        const stream = client.query(NS, set).foreach(null, undefined, (e) => (failure = e as aerospike.AerospikeError))
        stream.abort()
        await new Promise((r) => setTimeout(r, 10))
      }
      expect(failure).not.toBeNull()
      expect(failure!.code).toBe(MAX_ERROR_RATE)
      // The 31st error trips it: the query after that fails.
      expect(aborted).toBeGreaterThanOrEqual(31)
      expect(aborted).toBeLessThanOrEqual(33)
      await expect(client.put(key, { a: 2 })).rejects.toMatchObject({ code: MAX_ERROR_RATE })
      // A batch of plain reads (the direct path's kind) fails the same way, as the official
      // client's does.
      await expect(client.batchRead([{ key, readAllBins: true }])).rejects.toMatchObject({ code: MAX_ERROR_RATE })
    } finally {
      await client.close()
    }
  })
})

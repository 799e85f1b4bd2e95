import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { aerospike, hosts } from './helpers'

const require = createRequire(import.meta.url)
const official = require('aerospike')

describe('Key', () => {
  // The official client computes digests in C only when it sends a command, so ask it for the
  // digest of each key through a metadata read against the test server.
  let officialClient: any
  beforeAll(async () => {
    officialClient = await official.connect({ hosts })
  })
  afterAll(async () => {
    await officialClient?.close()
  })
  const cases: Array<[string | null, unknown]> = [
    ['demo', 'key1'],
    ['set', 's'],
    ['set', 0],
    ['set', -1],
    ['set', 1],
    ['demo', 2 ** 53 - 1],
    ['demo', -(2 ** 53 - 1)],
    ['demo', 2n ** 63n - 1n],
    ['demo', -(2n ** 63n)],
    ['demo', 123456789012345n],
    ['demo', Buffer.from([0, 1, 2, 255])],
    [null, 'null set'],
    ['unicodé', 'ключ 🔑'],
  ]

  it.each(cases)('digest of (%s, %s) equals the official client', async (set, userKey) => {
    const ours = new aerospike.Key('test', set, userKey as aerospike.UserKey)
    const theirs = await officialClient.existsWithMetadata(new official.Key('test', set, userKey))
    expect(ours.digest.toString('hex')).toBe(theirs.key.digest.toString('hex'))
  })

  it('matches the documented test vectors', () => {
    expect(new aerospike.Key('test', 'demo', 'key1').digest.toString('hex')).toBe('ec91192d4b7f8ce35d5d78d34bca65cbaaaac960')
    expect(new aerospike.Key('test', 'set', -1).digest.toString('hex')).toBe('22116d253745e29fc63fdf760b6e26f7e197e01d')
    expect(new aerospike.Key('test', 'set', 0).digest.toString('hex')).toBe('93d943aae37b017ad7e011b0c1d2e2143c2fb37d')
    // The official client refuses empty string keys; the digest is still well defined.
    expect(new aerospike.Key('test', 'set', '').digest.toString('hex')).toBe('2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83')
    expect(new aerospike.Key('test', 'set', 's').digest.toString('hex')).toBe('607cddba7cd111745ef0a3d783d57f0e83c8f311')
  })

  it('treats an empty set name like no set', () => {
    expect(new aerospike.Key('test', '', 'k').digest).toEqual(new aerospike.Key('test', null, 'k').digest)
    expect(new aerospike.Key('test', undefined, 'k').digest).toEqual(new aerospike.Key('test', null, 'k').digest)
  })

  it('number and bigint keys of the same value address the same record', () => {
    expect(new aerospike.Key('test', 's', 42).digest).toEqual(new aerospike.Key('test', 's', 42n).digest)
  })

  it('accepts a digest instead of a user key', () => {
    const d = new aerospike.Key('test', 'demo', 'x').digest
    const k = new aerospike.Key('test', 'demo', null, d)
    expect(k.digest).toEqual(d)
    // equals() compares as the official client's does: the user keys differ (one has none).
    expect(k.equals(new aerospike.Key('test', 'demo', 'x'))).toBe(false)
    expect(k.equals(new aerospike.Key('test', 'demo', null, d))).toBe(true)
    expect(new aerospike.Key('test', 'demo', 'x', d).equals(new aerospike.Key('test', 'demo', 'x'))).toBe(true)
    expect(k.equals(new aerospike.Key('test', 'demo', null, Buffer.alloc(20, 7)))).toBe(false)
  })

  it.each([
    [() => new aerospike.Key('', 's', 'k'), /namespace/],
    [() => new aerospike.Key(1 as unknown as string, 's', 'k'), /namespace/],
    [() => new aerospike.Key('test', 5 as unknown as string, 'k'), /set/],
    [() => new aerospike.Key('test', 's', 1.5), /safe integers/],
    [() => new aerospike.Key('test', 's', NaN), /safe integers/],
    [() => new aerospike.Key('test', 's', 2 ** 53), /safe integers/],
    [() => new aerospike.Key('test', 's', 2n ** 63n), /64 bits/],
    [() => new aerospike.Key('test', 's', {} as unknown as string), /user key/],
    [() => new aerospike.Key('test', 's', undefined), /user key or a digest/],
    [() => new aerospike.Key('test', 's', null, Buffer.alloc(3)), /20-byte/],
    [() => new aerospike.Key('x'.repeat(32), 's', 'k'), /31 bytes/],
  ])('rejects bad input with a TypeError (%#)', (make, msg) => {
    expect(make).toThrow(TypeError)
    expect(make).toThrow(msg)
  })
})

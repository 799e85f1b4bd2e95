// Dynamic configuration (config.configProvider): a YAML file whose `dynamic` section overrides
// policies, read at connect and again every interval.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { aerospike, connectClient, hosts, NS, uniqueSet } from './helpers'

const dir = mkdtempSync(path.join(os.tmpdir(), 'napi-dyncfg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const file = (name: string, sendKey: boolean) => {
  const p = path.join(dir, name)
  writeFileSync(p, `metadata:\n  app_name: t\n\ndynamic:\n  write:\n    send_key: ${sendKey}\n`)
  return p
}

/** Whether a query sees the user key of the record written under `key`. */
async function storedKey(client: aerospike.Client, set: string): Promise<unknown> {
  const recs = await client.query(NS, set).results()
  return recs[0]!.key.key
}

describe('dynamic config', () => {
  it('overrides the command-level policy and follows edits of the file', async () => {
    const p = file('edit.yml', true)
    const client = await connectClient({ configProvider: { path: p, interval: 1000 }, tenderInterval: 1000 } as never)
    try {
      const set = uniqueSet('dyn')
      const key = new aerospike.Key(NS, set, 'k')
      // The command asks for the digest only; the file says send the key.
      await client.put(key, { a: 1 }, null, { key: aerospike.policy.key.DIGEST })
      expect(await storedKey(client, set)).toBe('k')
      file('edit.yml', false)
      await new Promise((r) => setTimeout(r, 1300))
      await client.remove(key)
      await client.put(key, { a: 1 }, null, { key: aerospike.policy.key.SEND })
      expect(await storedKey(client, set)).toBeUndefined()
    } finally {
      await client.close()
    }
  })

  it('a missing file changes nothing', async () => {
    const client = await connectClient({ configProvider: { path: path.join(dir, 'nope', 'x.yml') } } as never)
    const set = uniqueSet('dyn')
    await client.put(new aerospike.Key(NS, set, 'k'), { a: 1 })
    expect(await storedKey(client, set)).toBeUndefined()
    await client.close()
  })

  it('refuses bad settings as the official client does', async () => {
    const bad = async (configProvider: unknown) => {
      try {
        await aerospike.connect({ hosts, configProvider } as never)
      } catch (e) {
        return (e as Error).message
      }
      return 'connected'
    }
    expect(await bad({ path: 10 })).toBe('Invalid client configuration')
    expect(await bad({ interval: 'x' })).toBe('Invalid client configuration')
    expect(await bad({ path: file('a.yml', true), interval: 1 })).toBe('Dynamic config interval 1 must be greater or equal to the tend interval 1000')
    expect(await bad({ path: file('a.yml', true), interval: 0.2 })).toBe('Dynamic config interval 0 must be greater or equal to the tend interval 1000')
  })
})

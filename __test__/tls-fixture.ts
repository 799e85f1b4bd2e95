// What the TLS tests share: certificates made by openssl in a temporary directory for the file
// (see certs.ts), and the servers and clients they start, stopped and closed when it ends; and
// the loop that keeps a client busy while its sessions come and go.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { certificates } from './certs'
import { aerospike, NS, uniqueSet } from './helpers'

export interface TlsFixture {
  /** The path of a file of the certificate directory (`ca.pem`, `client.key`, …). */
  file(name: string): string
  /** Its bytes. */
  pem(name: string): Buffer
  /** Starts an embedded server, stopped when the test file ends. */
  server(options: aerospike.ServerOptions): Promise<aerospike.EmbeddedServer>
  /** Connects a client, closed when the test file ends. */
  client(config: aerospike.ConfigOptions): Promise<aerospike.Client>
}

/** Registers the file's hooks: certificates before its tests, cleanup after them. */
export function tlsFixture(prefix: string, connTimeoutMs = 2000): TlsFixture {
  let dir = ''
  const servers: aerospike.EmbeddedServer[] = []
  const clients: aerospike.Client[] = []
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`))
    certificates(dir)
  })
  afterAll(async () => {
    for (const c of clients) await c.close()
    for (const s of servers) await s.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    file: (name) => path.join(dir, name),
    pem: (name) => readFileSync(path.join(dir, name)),
    server: async (options) => {
      const s = await aerospike.startServer(options)
      servers.push(s)
      return s
    },
    client: async (config) => {
      const c = await aerospike.connect({ connTimeoutMs, ...config })
      clients.push(c)
      return c
    },
  }
}

/**
 * Writes and column-reads 10 to 20 keys every 700 ms for `ms`, expecting every row found each
 * time; resolves with the number of rounds. Sessions shorter than `ms` must be renewed meanwhile.
 */
export async function busyRounds(c: aerospike.Client, ms: number, n = 20): Promise<number> {
  const set = uniqueSet('sess')
  const keys = Array.from({ length: n }, (_, i) => new aerospike.Key(NS, set, i))
  const end = Date.now() + ms
  let rounds = 0
  while (Date.now() < end) {
    await Promise.all(keys.map((k, i) => c.put(k, { n: i })))
    const cols = await c.batchReadColumns(keys, { n: 'i64' })
    expect(Array.from(cols.status)).toEqual(keys.map(() => 0))
    rounds++
    await new Promise((r) => setTimeout(r, 700))
  }
  return rounds
}

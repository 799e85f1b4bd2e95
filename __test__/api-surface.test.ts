// The drop-in contract at its surface: every runtime export of the official `aerospike` package
// (6.7.x) is here with the same kind, every method of its Client, and every name of its
// namespaces (status, policy, exp, operations, lists, maps, …). What the exports do is tested by
// the other files and by the official suite itself (`npm run compat`).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { aerospike } from './helpers'

const official = createRequire(import.meta.url)('aerospike') as Record<string, unknown>
const ours = aerospike as unknown as Record<string, unknown>

const kind = (v: unknown) => (v === null ? 'null' : typeof v)

/**
 * Deliberate differences: `Client#asExec` is the official client's entry into its C binding;
 * `regex.NEWLINE` is 4 there, which the server reads as POSIX NOSUB, and POSIX's 8 here.
 */
const NOT_HERE = new Set(['Client.prototype.asExec'])
const DIFFERENT = new Set(['regex.NEWLINE'])

describe('the official package\'s surface', () => {
  it('every runtime export, with the same kind', () => {
    const missing = Object.keys(official).filter((name) => !(name in ours))
    expect(missing).toEqual([])
    for (const name of Object.keys(official)) expect(kind(ours[name]), name).toBe(kind(official[name]))
  })

  it('every method of Client, and of Query, Scan, Key and Job', () => {
    for (const cls of ['Client', 'Query', 'Scan', 'Key', 'Job', 'IndexJob', 'Transaction', 'AerospikeError', 'Config', 'Record']) {
      const theirs = (official[cls] as { prototype: object }).prototype
      const mine = (ours[cls] as { prototype: object }).prototype
      for (const name of Object.getOwnPropertyNames(theirs)) {
        const d = Object.getOwnPropertyDescriptor(theirs, name)!
        if (typeof d.value !== 'function' || NOT_HERE.has(`${cls}.prototype.${name}`)) continue
        expect(typeof (mine as Record<string, unknown>)[name], `${cls}.prototype.${name}`).toBe('function')
      }
    }
  })

  it('every name of the namespaces, with the same kind; every constant with the same value', () => {
    const namespaces = Object.keys(official).filter((n) => kind(official[n]) === 'object' && official[n] !== null && !Array.isArray(official[n]))
    expect(namespaces.length).toBeGreaterThan(15)
    for (const ns of namespaces) {
      const theirs = official[ns] as Record<string, unknown>
      const mine = ours[ns] as Record<string, unknown>
      for (const name of Object.keys(theirs)) {
        expect(kind(mine[name]), `${ns}.${name}`).toBe(kind(theirs[name]))
        if (typeof theirs[name] === 'number' && !DIFFERENT.has(`${ns}.${name}`)) expect(mine[name], `${ns}.${name}`).toBe(theirs[name])
      }
    }
    expect(aerospike.maps.opcodes).toEqual((official.maps as { opcodes: unknown }).opcodes)
    expect(aerospike.filter.range('b', 1, 2)).toBeInstanceOf(aerospike.filter.SindexFilterPredicate)
  })

  it('status: every official name with its code and message', () => {
    const theirs = official.status as Record<string, unknown> & { getMessage(c: number): string }
    const mine = aerospike.status as unknown as Record<string, unknown> & { getMessage(c: number): string }
    for (const [name, code] of Object.entries(theirs)) {
      if (typeof code !== 'number') continue
      expect(mine[name], name).toBe(code)
      expect(mine.getMessage(code), name).toBe(theirs.getMessage(code))
    }
  })
})

/**
 * Dynamic client configuration, as the official client has it: a YAML file (`config.configProvider.path`,
 * or the `AEROSPIKE_CLIENT_CONFIG_URL` environment variable, which wins) read at connect and again
 * every `interval` ms. Its `dynamic` section sets policy fields by command kind (`read`, `write`,
 * `batch_read`, …, with the file's snake_case names: `send_key`, `total_timeout`, …), and those
 * values take precedence over both the config's default policies and a command's own policy.
 * A file that does not exist (yet) changes nothing; a file that cannot be parsed keeps the last
 * good values.
 * @module
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { AerospikeError } from './errors'
import { status } from './status'

/** `config.configProvider`. */
export interface ConfigProvider {
  /** Path of the YAML file. */
  path?: string
  /** How often the file is read again, ms (at least the tend interval). @default 60000 */
  interval?: number
}

/** Policy overrides by command kind, in this client's policy field names. */
export type PolicyOverrides = Partial<Record<'read' | 'write' | 'operate' | 'remove' | 'batch' | 'batchParentWrite', Record<string, unknown>>>

const DEFAULT_INTERVAL = 60_000

/** Which client policy kinds a section of the file sets. */
const SECTIONS: Record<string, Array<keyof PolicyOverrides>> = {
  read: ['read'],
  write: ['write', 'operate', 'remove'],
  batch_read: ['batch'],
}

const REPLICA: Record<string, number> = { master: 0, any: 1, sequence: 2, prefer_rack: 3, random: 4 }

/** File field → client policy field and value. */
const FIELDS: Record<string, (v: unknown) => [string, unknown] | null> = {
  total_timeout: (v) => num('totalTimeout', v),
  socket_timeout: (v) => num('socketTimeout', v),
  max_retries: (v) => num('maxRetries', v),
  send_key: (v) => (typeof v === 'boolean' ? ['key', v ? 1 : 0] : null),
  durable_delete: (v) => (typeof v === 'boolean' ? ['durableDelete', v] : null),
  respond_all_keys: (v) => (typeof v === 'boolean' ? ['respondAllKeys', v] : null),
  allow_inline: (v) => (typeof v === 'boolean' ? ['allowInline', v] : null),
  concurrent: (v) => (typeof v === 'boolean' ? ['concurrent', v] : null),
  replica: (v) => (typeof v === 'string' && REPLICA[v.toLowerCase()] !== undefined ? ['replica', REPLICA[v.toLowerCase()]] : null),
}

function num(name: string, v: unknown): [string, unknown] | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? [name, v] : null
}

function invalid(message = 'Invalid client configuration'): AerospikeError {
  return new AerospikeError(message, status.ERR_PARAM)
}

/** Checks `config.configProvider` (and the environment); null when there is no file to watch. */
export function resolveProvider(provider: unknown, tenderInterval: number): { path: string; interval: number } | null {
  const envPath = process.env.AEROSPIKE_CLIENT_CONFIG_URL
  if ((provider === undefined || provider === null) && !envPath) return null
  const p = (provider ?? {}) as ConfigProvider
  if (typeof p !== 'object') throw invalid()
  if (p.path !== undefined && p.path !== null && typeof p.path !== 'string') throw invalid()
  if (p.interval !== undefined && p.interval !== null && typeof p.interval !== 'number') throw invalid()
  const interval = p.interval === undefined || p.interval === null ? DEFAULT_INTERVAL : Math.trunc(p.interval)
  if (!Number.isFinite(interval)) throw invalid()
  if (interval < tenderInterval) throw invalid(`Dynamic config interval ${interval} must be greater or equal to the tend interval ${tenderInterval}`)
  const path = envPath || p.path
  if (!path) return null
  return { path, interval }
}

/** Reads the file's `dynamic` section into policy overrides; undefined when it cannot be read. */
export function readOverrides(path: string): PolicyOverrides | undefined {
  let doc: unknown
  try {
    // A key given twice takes its last value.
    doc = parse(readFileSync(path, 'utf8'), { uniqueKeys: false })
  } catch {
    return undefined
  }
  const out: PolicyOverrides = {}
  const dynamic = (doc as { dynamic?: unknown } | null)?.dynamic
  if (!dynamic || typeof dynamic !== 'object') return out
  for (const [section, values] of Object.entries(dynamic as Record<string, unknown>)) {
    const kinds = SECTIONS[section]
    if (!kinds || !values || typeof values !== 'object') continue
    const fields: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const f = FIELDS[name]?.(value)
      if (f) fields[f[0]] = f[1]
    }
    for (const k of kinds) out[k] = { ...out[k], ...fields }
  }
  return out
}

/** Watches the file: `apply` receives the overrides at start and after every change. */
export class DynamicConfig {
  private timer: NodeJS.Timeout | null = null
  private last = ''

  constructor(
    private readonly path: string,
    private readonly interval: number,
    private readonly apply: (o: PolicyOverrides) => void,
  ) {}

  start(): void {
    this.load()
    this.timer = setInterval(() => this.load(), this.interval)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private load(): void {
    const o = readOverrides(this.path)
    if (o === undefined) return
    const text = JSON.stringify(o)
    if (text === this.last) return
    this.last = text
    this.apply(o)
  }
}

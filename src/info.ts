/**
 * Parsing of info responses, as the official client's `info` module does it:
 * `info.parse('build\t8.0.0\nfeatures\tgeo;double\n')` gives `{ build: '8.0.0', features: ['geo', 'double'] }`.
 *
 * How a value is split depends on its key: {@link separators} maps key patterns (`*` is one path
 * segment, `**` any rest) to one separator per nesting level. A one-character separator splits
 * into a list, a two-character one (`';='`) into an object of `key=value` entries, `null` leaves
 * that level whole (for `bins`, it reads the bin-name list). Keys no pattern matches are split on
 * `;` and `=` where they hold them. Numeric strings become numbers.
 * @module
 */

/** Separators per nesting level, by key pattern. Add or replace entries to change parsing. */
export const separators: Record<string, Array<string | null>> = {
  bins: [';:', null],
  'bins/*': [null],
  'namespace/*': [';='],
  service: [';'],
  sindex: [';', ':='],
  'sindex/*': [';', ':='],
  'sindex/*/**': [';='],
  'udf-list': [';', ',='],
  'get-dc-config': [';', ':='],
  sets: [';', ':='],
  'sets/*': [';', ':='],
  'sets/*/**': [null, ':='],
}

/** One info value: a string or number, or lists and objects of them. */
export type InfoValue = string | number | undefined | InfoValue[] | { [key: string]: InfoValue }

/** Parses a whole info response (`name\tvalue` lines) into an object by name. */
export function parse(info: string): Record<string, any> {
  if (typeof info !== 'string') throw new TypeError('info.parse() takes the response string')
  const out: Record<string, InfoValue> = {}
  for (const line of info.split('\n')) {
    if (line.length === 0) continue
    const tab = line.indexOf('\t')
    const key = tab < 0 ? line : line.slice(0, tab)
    const value = tab < 0 ? '' : line.slice(tab + 1)
    out[key] = parseValue(key, value)
  }
  return out
}

function parseValue(key: string, value: string): InfoValue {
  const seps = separatorsFor(key)
  if (seps === undefined) return smartSplit(value)
  if (value.length === 0) return seps.length === 0 ? undefined : seps[0] !== null && seps[0]!.length === 1 ? [] : undefined
  return splitLevel(value, seps, key.startsWith('bins'))
}

/** Unknown keys: `a=1;b=2` is an object, `x;y` a list, anything else a scalar. */
function smartSplit(value: string): InfoValue {
  if (value.length === 0) return undefined
  const parts = value.split(';').filter((p) => p.length > 0)
  if (parts.length > 0 && parts.every((p) => p.includes('='))) return entries(parts, '=', (v) => scalar(v))
  if (parts.length > 1) return parts.map(scalar)
  return scalar(value)
}

function splitLevel(value: string, seps: Array<string | null>, bins: boolean): InfoValue {
  if (seps.length === 0) return value
  const [sep, ...rest] = seps
  const next = (v: string): InfoValue => (rest.length === 0 ? scalar(v) : splitLevel(v, rest, bins))
  if (sep === null || sep === undefined) {
    if (bins && rest.length === 0) return binList(value)
    return next(value.endsWith(';') ? value.slice(0, -1) : value)
  }
  const parts = value.split(sep[0]!).filter((p) => p.length > 0)
  if (sep.length === 1) return parts.map(next)
  return entries(parts, sep[1]!, next)
}

function entries(parts: string[], sep: string, parse: (v: string) => InfoValue): Record<string, InfoValue> {
  const obj: Record<string, InfoValue> = {}
  for (const p of parts) {
    const i = p.indexOf(sep)
    if (i < 0) obj[p] = undefined
    else obj[p.slice(0, i)] = parse(p.slice(i + 1))
  }
  return obj
}

/** `bin_names=2,bin_names_quota=32768,bin1,bin2` → `{ names: [bin1, bin2], stats: {...} }`. */
function binList(value: string): InfoValue {
  const names: string[] = []
  const stats: Record<string, InfoValue> = {}
  for (const p of value.split(',')) {
    if (p.length === 0) continue
    const i = p.indexOf('=')
    if (i < 0) names.push(p)
    else stats[p.slice(0, i)] = scalar(p.slice(i + 1))
  }
  return { names, stats }
}

function scalar(v: string): string | number {
  return /^-?\d+(\.\d+)?$/.test(v) && Number.isSafeInteger(Math.trunc(Number(v))) ? Number(v) : v
}

function separatorsFor(key: string): Array<string | null> | undefined {
  if (Object.hasOwn(separators, key)) return separators[key]
  for (const pattern of Object.keys(separators)) {
    if (pattern.includes('*') && globMatch(pattern, key)) return separators[pattern]
  }
  return undefined
}

function globMatch(pattern: string, key: string): boolean {
  const re = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${re}$`).test(key)
}

/**
 * What the server answers to an empty info request: its summary. The official client sends an
 * empty request for it; the request path of this client always sends named commands, so it asks
 * for the summary's commands by name.
 */
const SUMMARY = ['features', 'node', 'compatibility-id', 'edition', 'build_os', 'build_time', 'build', 'version', 'statistics', 'services-alumni', 'services', 'partition-generation']

/** @internal The commands of an info request (one per line); the server's summary when empty. */
export function infoCommands(request: unknown): string[] {
  if (request !== undefined && request !== null && typeof request !== 'string') throw new TypeError('info request must be a string')
  const cmds = ((request as string | null | undefined) ?? '').split('\n').filter((c) => c.length > 0)
  return cmds.length > 0 ? cmds : SUMMARY
}

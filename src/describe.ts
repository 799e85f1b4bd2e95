/**
 * How an error message names a bad argument: its value when short (numbers, short strings), else
 * its type or class. Hostile input is expected here, so a proxy that throws on `constructor`
 * is named `object` instead of throwing from inside the error path.
 * @module
 * @internal
 */

/** Describes a bad argument for an error message. */
export function describe(v: unknown): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v)
    case 'string':
      return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v)
    case 'object':
      return v === null ? 'null' : className(v)
    default:
      return typeof v
  }
}

function className(v: object): string {
  try {
    return v.constructor?.name ?? 'object'
  } catch {
    return 'object' // a proxy that throws
  }
}

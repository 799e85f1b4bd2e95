import { Writer, writeValue } from './codec'
import { native } from './native'
import { AerospikeError } from './errors'
import { status } from './status'
import { isI64 } from './value'

/** A user key: string, integer (number or bigint) or bytes. */
export type UserKey = string | number | bigint | Buffer | Uint8Array

/** A key as a plain object (the official name): accepted wherever a {@link Key} is. */
export interface KeyOptions {
  ns: string
  set?: string | null
  key?: UserKey | null
  digest?: Buffer | null
}

/**
 * Identifies a record: namespace, set and user key (or a digest). The digest is computed
 * exactly as the official client computes it (RIPEMD-160 of set, key type and key bytes).
 */
export class Key {
  readonly ns: string
  readonly set: string | null
  readonly key: UserKey | null
  private _digest: Buffer | null
  /** @internal Encoded form, reused by every command that names this key. */
  _encoded: Buffer | null = null
  /** @internal Whether `_encoded` carries the digest (so the Rust side need not hash the key). */
  _encodedDigest = false
  /** @internal Whether the digest was given (by the caller or the server), not computed. */
  _givenDigest = false

  constructor(ns: string, set: string | null | undefined, key: UserKey | null | undefined, digest?: Buffer | null) {
    if (typeof ns !== 'string' || ns.length === 0) throw new TypeError('Key: namespace must be a non-empty string')
    if (Buffer.byteLength(ns) > 31) throw new TypeError('Key: namespace must be at most 31 bytes')
    if (set !== null && set !== undefined && typeof set !== 'string') throw new TypeError('Key: set must be a string, null or undefined')
    if (typeof set === 'string' && Buffer.byteLength(set) > 63) throw new TypeError('Key: set must be at most 63 bytes')
    if (digest !== undefined && digest !== null && !(digest instanceof Uint8Array && digest.length === 20)) {
      throw new TypeError('Key: digest must be a 20-byte Buffer')
    }
    if (key === undefined || key === null) {
      if (!digest) throw new TypeError('Key: a user key or a digest is required')
      key = null
    } else if (typeof key === 'number') {
      if (!Number.isSafeInteger(key)) throw new TypeError(`Key: numeric keys must be safe integers (use a bigint for larger values), got ${key}`)
    } else if (typeof key === 'bigint') {
      if (!isI64(key)) throw new TypeError('Key: bigint keys must fit in 64 bits')
    } else if (typeof key === 'string') {
      // any string, including the empty string, is a valid key
    } else if (key instanceof Uint8Array) {
      key = Buffer.from(key)
    } else {
      throw new TypeError(`Key: user key must be a string, integer, bigint or Buffer, got ${typeof key}`)
    }
    this.ns = ns
    this.set = set ?? null
    this.key = key
    this._digest = digest ? Buffer.from(digest) : null
    this._givenDigest = this._digest !== null
  }

  /**
   * @internal A key as the server reported it (already valid): no checks, the digest buffer
   * taken as its own (not copied).
   */
  static _fromServer(ns: string, set: string | null, key: UserKey | null, digest: Buffer): Key {
    const k = Object.create(Key.prototype) as Key
    const w = k as unknown as { ns: string; set: string | null; key: UserKey | null; _digest: Buffer; _encoded: Buffer | null; _encodedDigest: boolean; _givenDigest: boolean }
    w.ns = ns
    w.set = set
    // As from the official client: a record stored without its user key has `key` undefined.
    w.key = key ?? (undefined as never)
    // The caller's buffer becomes the key's own (record streams hand each key its view of a
    // copy made for the chunk's keys).
    w._digest = digest
    w._encoded = null
    w._encodedDigest = false
    w._givenDigest = true
    return k
  }

  /** The 20-byte RIPEMD-160 digest that identifies the record. */
  get digest(): Buffer {
    if (!this._digest) {
      const w = new Writer(64)
      writeValue(w, this.key, 'key')
      this._digest = native.computeDigest(this.set ?? '', w.finish())
    }
    return this._digest
  }

  /**
   * Whether two keys are equal, as the official client compares them: same namespace, same set
   * (or neither has one), same user key (or neither has one), and the same digest where both
   * were given one.
   */
  equals(other: Key): boolean {
    if (!(other instanceof Key) || this.ns !== other.ns) return false
    if ((this.set ?? null) !== (other.set ?? null)) return false
    if (!sameUserKey(this.key, other.key)) return false
    const a = this._givenDigest ? this._digest : null
    const b = other._givenDigest ? other._digest : null
    return a === null || b === null || a.equals(b)
  }

  toJSON(): object {
    return { ns: this.ns, set: this.set, key: typeof this.key === 'bigint' ? this.key.toString() : this.key, digest: this.digest.toString('hex') }
  }
}

function sameUserKey(a: UserKey | null | undefined, b: UserKey | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null)
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b)
  return a === b
}

/** Checks that `k` is a Key (or a plain `{ns, set, key}` object, as older code passes). */
export function asKey(k: unknown, where = 'key'): Key {
  if (k instanceof Key) return k
  if (k !== null && typeof k === 'object' && 'ns' in k) {
    const o = k as { ns: string; set?: string | null; key?: UserKey | null; digest?: Buffer | null }
    try {
      return new Key(o.ns, o.set, o.key, o.digest)
    } catch (e) {
      // The official client checks plain-object keys in the command, not in a constructor: a
      // bad one fails the command with ERR_PARAM.
      if (e instanceof TypeError) throw new AerospikeError(e.message, status.ERR_PARAM)
      throw e
    }
  }
  throw new TypeError(`${where} must be an Aerospike Key`)
}

function encodeKey(key: Key): Buffer {
  const kw = new Writer(64)
  kw.str(key.ns)
  kw.str(key.set ?? '')
  if (key.key === null || key.key === undefined) {
    kw.u8(0)
  } else {
    kw.u8(1)
    writeValue(kw, key.key, 'key')
  }
  const d = (key as unknown as { _digest: Buffer | null })._digest
  if (d) {
    kw.u8(1)
    kw.raw(d)
  } else {
    kw.u8(0)
  }
  key._encodedDigest = d !== null
  return kw.finish()
}

/**
 * Appends a key in the request format (cached per Key object). A key used a second time gets
 * its digest computed once and carried in its encoding, so later commands skip the hashing.
 */
export function writeKey(w: Writer, key: Key): void {
  let enc = key._encoded
  if (enc === null) {
    enc = key._encoded = encodeKey(key)
  } else if (!key._encodedDigest) {
    try {
      void key.digest
      enc = key._encoded = encodeKey(key)
    } catch {
      key._encodedDigest = true
    }
  }
  w.raw(enc)
}

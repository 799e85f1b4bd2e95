// Transactions: the Transaction class and its pool, client.commit()/abort() (promise and
// callback forms), and commands carrying policy.txn, against the embedded server.
import { describe, expect, it } from 'vitest'
import { aerospike, connectedClient, NS, uniqueSet } from './helpers'

const { Transaction } = aerospike
const pool = aerospike._transactionPool

describe('Transaction', () => {
  it('has the official constants', () => {
    expect(Transaction.state).toEqual({ OK: 0, VERIFIED: 1, COMMITTED: 2, ABORTED: 3 })
    expect(Transaction.capacity).toEqual({ READ_DEFAULT: 128, WRITE_DEFAULT: 128 })
    expect(Transaction.abortStatus.ROLL_BACK_ABANDONED).toBe(3)
    expect(Transaction.commitStatus.ROLL_FORWARD_ABANDONED).toBe(5)
  })

  it('starts open with a random id, default capacities, no timeout', () => {
    const a = new Transaction()
    const b = new Transaction(10, 20)
    expect(typeof a.getId()).toBe('number')
    expect(a.getId()).not.toBe(b.getId())
    expect(a.getState()).toBe(Transaction.state.OK)
    expect(a.getTimeout()).toBe(0)
    expect(a.getInDoubt()).toBe(false)
    expect([a.getReadsCapacity(), a.getWritesCapacity()]).toEqual([128, 128])
    expect([b.getReadsCapacity(), b.getWritesCapacity()]).toEqual([10, 20])
    a.setTimeout(7)
    expect(a.getTimeout()).toBe(7)
    expect(() => a.setTimeout(-1)).toThrow(TypeError)
  })

  it('rejects bad capacities with the official messages', () => {
    expect(() => new Transaction('256' as never, 256)).toThrow('Must specify a number for readsCapacity')
    expect(() => new Transaction(256, '256' as never)).toThrow('Must specify a number for writesCapacity')
    expect(() => new Transaction(2 ** 32, 256)).toThrow(RangeError)
    expect(() => new Transaction(256, 2 ** 32)).toThrow('writesCapacity is out of uint32 range')
    expect(() => new Transaction(2 ** 32, 2 ** 32)).toThrow('both readsCapacity and writesCapacity are out of uint32 range')
  })

  it('the pool grows past its capacity and refuses too much reserved capacity', () => {
    pool.removeAllTransactions()
    const cap = pool.getCapacity()
    for (let i = 0; i <= cap; i++) new Transaction()
    pool.tendTransactions()
    expect(pool.getCapacity()).toBe(cap * 2)
    pool.removeAllTransactions()
    expect(() => {
      for (let i = 0; i < 200; i++) new Transaction(4096, 4096)
    }).toThrow(/Maximum capacity for Multi-record transactions/)
    pool.removeAllTransactions()
    expect(pool.getLength()).toBe(0)
  })
})

describe('client.commit() / client.abort()', () => {
  let client: aerospike.Client
  connectedClient((c) => {
    client = c
  })
  const set = uniqueSet('txn')

  it.each([
    // What the first completion answers, the state, what completing it the same way again answers,
    // and the code of the throw when completing it the other way.
    { title: 'commits, then reports ALREADY_COMMITTED; aborting it then throws', done: 'commit', ok: Transaction.commitStatus.OK, state: Transaction.state.COMMITTED, again: Transaction.commitStatus.ALREADY_COMMITTED, other: 'abort', code: -18 },
    { title: 'aborts, then reports ALREADY_ABORTED; committing it then throws', done: 'abort', ok: Transaction.abortStatus.OK, state: Transaction.state.ABORTED, again: Transaction.abortStatus.ALREADY_ABORTED, other: 'commit', code: -19 },
  ] as const)('$title', async ({ done, other, ok, state, again, code }) => {
    const t = new Transaction()
    expect(await client[done](t)).toBe(ok)
    expect(t.getState()).toBe(state)
    expect(await client[done](t)).toBe(again)
    expect(() => client[other](t)).toThrow(expect.objectContaining({ code }))
  })

  it('takes a callback', async () => {
    const t = new Transaction()
    const r = await new Promise<unknown[]>((res) => client.commit(t, (e, v) => res([e, v])))
    expect(r).toEqual([null, Transaction.commitStatus.OK])
    const u = new Transaction()
    const s = await new Promise<unknown[]>((res) => client.abort(u, (e, v) => res([e, v])))
    expect(s).toEqual([null, Transaction.abortStatus.OK])
  })

  it('refuses a non-transaction and a destroyed one with ERR_CLIENT', () => {
    expect(() => client.commit('x' as never)).toThrow(expect.objectContaining({ code: aerospike.status.ERR_CLIENT }))
    expect(() => (client as any).abort()).toThrow(aerospike.AerospikeError)
    const t = new Transaction()
    t.destroyAll()
    expect(t.getDestroyed()).toBe(true)
    expect(() => client.abort(t)).toThrow('The object has been destroyed, please create a new transaction.')
  })

  it('runs commands carrying policy.txn; completing answers as a server without transactions', async () => {
    const key = new aerospike.Key(NS, set, 'k1')
    const t = new Transaction()
    await client.put(key, { a: 1 }, undefined, { txn: t } as never)
    const rec = await client.get(key, { txn: t } as never)
    expect(rec.bins).toEqual({ a: 1 })
    expect(await client.commit(t)).toBe(Transaction.commitStatus.ROLL_FORWARD_ABANDONED)
    expect(t.getState()).toBe(Transaction.state.COMMITTED)

    const u = new Transaction()
    await client.operate(key, [aerospike.operations.incr('a', 1)], undefined, { txn: u } as never)
    expect(await client.abort(u)).toBe(Transaction.abortStatus.ROLL_BACK_ABANDONED)
    expect((await client.get(key)).bins).toEqual({ a: 2 }) // not rolled back

    const readOnly = new Transaction()
    await client.get(key, { txn: readOnly } as never)
    await client.exists(key, { txn: readOnly } as never)
    expect(await client.commit(readOnly)).toBe(Transaction.commitStatus.OK)
  })

  it('refuses a policy.txn that is not a Transaction', async () => {
    const key = new aerospike.Key(NS, set, 'k2')
    await expect(client.put(key, { a: 1 }, undefined, { txn: 5 } as never)).rejects.toThrow(TypeError)
  })
})

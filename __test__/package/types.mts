// Type test (ESM): the package's types resolve through its "exports" map.
import { Key, connect, type Client, type ConfigOptions } from 'aerospike-napi'

const config: ConfigOptions = { hosts: '127.0.0.1:3000' }
const key: Key = new Key('test', 'demo', 1)
export async function run(): Promise<number> {
  const client: Client = await connect(config)
  const rec = await client.get(key)
  return rec.gen
}

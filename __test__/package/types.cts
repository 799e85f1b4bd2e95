// Type test (CommonJS): the same types through require().
import aerospike = require('aerospike-napi')

const key: aerospike.Key = new aerospike.Key('test', 'demo', 'a')
export async function run(): Promise<number | undefined> {
  const client: aerospike.Client = await aerospike.connect({ hosts: [{ addr: '127.0.0.1', port: 3000 }] })
  const cols = await client.batchReadColumns([key], { n: 'f64' })
  return cols.columns.n?.[0]
}

// The udf family's setup: registers the tester's Lua module (conformance/differential/udf) on
// the server before the cases run. The applies themselves run in exec.mjs.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MODULE } from './gen-udf.mjs'

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'differential', 'udf')

export async function setupUdf(client) {
  const job = await client.udfRegister(path.join(DIR, `${MODULE}.lua`))
  await job.wait(10)
}

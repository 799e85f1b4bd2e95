// Starts the embedded server once for the whole run (port 0 = a free port) and hands its
// address to every test file. With AEROSPIKE_HOSTS set, the same tests run against that server.
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    hosts: string
    embedded: boolean
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.AEROSPIKE_HOSTS
  if (external) {
    project.provide('hosts', external)
    project.provide('embedded', false)
    return
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startServer } = require('../index.js') as typeof import('../index')
  const server = await startServer()
  project.provide('hosts', server.address)
  project.provide('embedded', true)
  return async () => {
    await server.stop()
  }
}

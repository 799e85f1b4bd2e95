// Connecting to a secured cluster: the regions are the snippets of docs/security.md. It starts
// its own embedded server with security on, so it runs anywhere (`node examples/security.js`).
'use strict'

const Aerospike = require('aerospike-napi')

async function main () {
  // #region server
  // A local server that behaves like a new Enterprise server: one user, admin/admin, who may
  // only manage users and roles.
  const server = await Aerospike.startServer({ security: true })
  const hosts = server.address
  // #endregion server
  try {
    // #region admin
    const admin = await Aerospike.connect({ hosts, user: 'admin', password: 'admin' })
    await admin.createUser('app', 'app-secret', ['read-write'])
    const { privilegeCode, admin: { Privilege } } = Aerospike
    await admin.createRole('reporting', [new Privilege(privilegeCode.READ, { namespace: 'test' })])
    await admin.createUser('analyst', 'analyst-secret', ['reporting'])
    console.log(await admin.queryUser('analyst')) // User { name: 'analyst', roles: ['reporting'], … }
    await admin.close()
    // #endregion admin

    // #region login
    const client = await Aerospike.connect({
      hosts,
      user: 'app',
      password: 'app-secret',
      authMode: Aerospike.auth.INTERNAL, // the default: only the password's hash is sent
      loginTimeoutMs: 5000,
    })
    const key = new Aerospike.Key('test', 'orders', 1)
    await client.put(key, { total: 42 })
    console.log('logged in as app:', (await client.get(key)).bins)
    // #endregion login

    // #region errors
    try {
      await Aerospike.connect({ hosts, user: 'app', password: 'wrong' })
    } catch (err) {
      console.log(err.code === Aerospike.status.INVALID_PASSWORD) // true (an unknown user: INVALID_USER)
    }
    const analyst = await Aerospike.connect({ hosts, user: 'analyst', password: 'analyst-secret' })
    try {
      await analyst.put(key, { total: 0 })
    } catch (err) {
      console.log(err.code === Aerospike.status.ROLE_VIOLATION) // true: reporting may only read
    }
    await analyst.close()
    // #endregion errors
    await client.close()
  } finally {
    await server.stop()
  }
}

// #region tls
// The TLS settings of a production cluster, as the official client takes them; hosts name the
// TLS name on each node's certificate (addr:tlsname:port).
const tlsConfig = {
  hosts: '10.0.0.1:db.example.com:4333,10.0.0.2:db.example.com:4333',
  user: 'app',
  password: 'app-secret',
  tls: {
    cafile: '/etc/aerospike/ca.pem',
    certfile: '/etc/aerospike/client.pem', // mutual TLS (optional)
    keyfile: '/etc/aerospike/client.key',
    protocols: '-all +TLSv1.2 +TLSv1.3',
  },
}
// #endregion tls
void tlsConfig

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

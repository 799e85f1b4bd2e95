// Test certificates, made by openssl when the tests run (no private key is committed): two CAs,
// a node certificate for `node.test` (and 127.0.0.1) signed by `ca`, and a client certificate
// (CN `app`) signed by `ca`.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

/** Writes ca/other-ca/node/client `.pem` and `.key` files into `dir`. */
export function certificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  for (const ca of ['ca', 'other-ca']) ssl('req', '-x509', ...ec, '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=${ca}`)
  writeFileSync(path.join(dir, 'node.cnf'), 'subjectAltName=DNS:node.test,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n')
  writeFileSync(path.join(dir, 'client.cnf'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n')
  for (const who of ['node', 'client']) {
    ssl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'node' ? 'node.test' : 'app'}`)
    ssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', `${who}.cnf`)
  }
}

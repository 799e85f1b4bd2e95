// The TLS server of the benchmark's TLS rows: a CA and a node certificate made by openssl in a
// temporary directory when the run starts (no key is kept), and a second embedded server (same
// release build, own process) whose service port speaks only TLS.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The TLS name on the node certificate; workers connect to `127.0.0.1:<TLS_NAME>:<port>`. */
export const TLS_NAME = 'bench.test'

/** Makes `ca.pem` and `node.pem`/`node.key` (for TLS_NAME and 127.0.0.1) in a new temp dir. */
export function makeCertificates() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tls-'))
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=bench-ca')
  writeFileSync(path.join(dir, 'node.cnf'), `subjectAltName=DNS:${TLS_NAME},IP:127.0.0.1\nbasicConstraints=CA:FALSE\n`)
  ssl('req', ...ec, '-keyout', 'node.key', '-out', 'node.csr', '-subj', `/CN=${TLS_NAME}`)
  ssl('x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '1', '-extfile', 'node.cnf')
  return {
    dir,
    cafile: path.join(dir, 'ca.pem'),
    serverArgs: ['--tls-cert', path.join(dir, 'node.pem'), '--tls-key', path.join(dir, 'node.key'), '--tls-name', TLS_NAME],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

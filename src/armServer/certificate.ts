/**
 * A certificate made when the server starts, valid for 127.0.0.1 and localhost, so that a client
 * trusts exactly this server by adding `ca` to its own TLS options.
 */
import { generate } from 'selfsigned'

export interface ServerCertificate {
  /** PEM certificate; also the CA a client trusts. */
  cert: string
  /** PEM private key. */
  key: string
}

export async function makeLoopbackCertificate(): Promise<ServerCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000)
  const notAfterDate = new Date(Date.now() + 24 * 3600_000)
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

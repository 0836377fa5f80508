/**
 * What the offline connectivity check accepts (§3.4, §6.14): destinations by resource id or address,
 * host names through the model's DNS map, protocols and ports; and the errors for what it cannot do.
 */
import { describe, expect, it } from 'vitest'
import { AzureRequestError, InvalidInputError, ModelError, NotFoundError, NotSupportedOfflineError, VM_NOT_RUNNING_CODE } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityParameters } from '../../src/watcher.js'
import { armId } from '../fixtures/arm.js'
import { connectivityModel, ip } from './connectivityModel.js'
import { vmId } from './helpers.js'

const model = connectivityModel({ connectionStatus: 'Connected' })
const watcher = LocalWatcher.fromResources(model)
const fromWeb1 = (destination: ConnectivityParameters['destination'], extra: Partial<ConnectivityParameters> = {}): ConnectivityParameters => ({
  source: { resourceId: vmId('web1') },
  destination,
  ...extra,
})
const lastHop = (parameters: ConnectivityParameters) => watcher.checkConnectivitySync(parameters).hops!.at(-1)!

function errorOf(run: () => unknown): Error {
  try {
    run()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error, but the call returned')
}

describe('destinations', () => {
  it('by VM id or NIC id: the primary address of the primary NIC', () => {
    expect(lastHop(fromWeb1({ resourceId: vmId('app1'), port: 443 }))).toMatchObject({ type: 'VirtualNetwork', address: ip.app1 })
    expect(lastHop(fromWeb1({ resourceId: armId('nic', 'app1-nic'), port: 443 }))).toMatchObject({ type: 'VirtualNetwork', address: ip.app1 })
  })

  it('by host name or URL, through the model DNS map (any case, trailing dot)', () => {
    expect(lastHop(fromWeb1({ address: 'APP1.contoso.internal.', port: 443 }))).toMatchObject({ address: ip.app1 })
    const https = watcher.checkConnectivitySync(fromWeb1({ address: 'https://app1.contoso.internal/health' }, { protocol: 'Https' }))
    expect(https.connectionStatus).toBe('Connected')
  })

  it('Http defaults to port 80 and Https to 443 (§6.14): app1 listens on 443, not on 80', () => {
    expect(watcher.checkConnectivitySync(fromWeb1({ address: ip.app1 }, { protocol: 'Https' })).connectionStatus).toBe('Connected')
    expect(lastHop(fromWeb1({ address: ip.app1 }, { protocol: 'Http' })).issues).toEqual([{ origin: 'Inbound', severity: 'Error', type: 'GuestFirewall', context: [] }])
  })

  it('a name the DNS map sends to null does not resolve: a DnsResolution issue at the source', () => {
    const answer = watcher.checkConnectivitySync(fromWeb1({ address: 'gone.contoso.internal', port: 443 }))
    expect(answer.hops).toHaveLength(1)
    expect(answer.hops![0]!.issues).toEqual([{ origin: 'Local', severity: 'Error', type: 'DnsResolution', context: [] }])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('a host name missing from the DNS map is an error that says offline mode needs it', () => {
    const error = errorOf(() => watcher.checkConnectivitySync(fromWeb1({ address: 'db.example.com', port: 443 })))
    expect(error).toBeInstanceOf(NotSupportedOfflineError)
    expect(error.message).toContain(`offline mode resolves host names only through the model's DNS map, which has no entry for db.example.com; add "dns": { "db.example.com": "<its IP>" }`)
  })

  it('takes the DNS map from a LocalWatcher option as well as from the document', () => {
    const withOption = LocalWatcher.fromResources(model.resources, { dns: { 'svc.internal': ip.app1 } })
    expect(withOption.checkConnectivitySync(fromWeb1({ address: 'svc.internal', port: 443 })).connectionStatus).toBe('Connected')
  })
})

describe('request errors', () => {
  it.each([
    ['a NIC as source', { source: { resourceId: armId('nic', 'web1-nic') }, destination: { address: ip.app1, port: 443 } }, InvalidInputError, /is a NIC; a connectivity check starts from a VM/],
    ['an unknown source VM', { source: { resourceId: vmId('nope') }, destination: { address: ip.app1, port: 443 } }, NotFoundError, /VM .*nope is not in the network model/],
    ['an unknown destination', fromWeb1({ resourceId: vmId('nope'), port: 443 }), NotFoundError, /neither a VM nor a NIC of the network model/],
    ['no destination', fromWeb1({ port: 443 }), InvalidInputError, /destination needs a resourceId \(a VM or NIC\) or an address/],
    ['both resourceId and address', fromWeb1({ resourceId: vmId('app1'), address: ip.app1, port: 443 }), InvalidInputError, /give one of them/],
    ['a Tcp check without a port', fromWeb1({ address: ip.app1 }), InvalidInputError, /destination.port is missing/],
    ['port 70000', fromWeb1({ address: ip.app1, port: 70000 }), InvalidInputError, /destination.port 70000 is not a port/],
    ['protocol Udp', fromWeb1({ address: ip.app1, port: 53 }, { protocol: 'Udp' }), InvalidInputError, /use Tcp, Http, Https or Icmp/],
    ['IPv6 preferred', fromWeb1({ address: ip.app1, port: 443 }, { preferredIPVersion: 'IPv6' }), NotSupportedOfflineError, /follows IPv4 only/],
    ['an IPv6 destination', fromWeb1({ address: 'fd00::4', port: 443 }), NotSupportedOfflineError, /fd00::4 is IPv6/],
  ] as const)('%s', (_name, parameters, type, message) => {
    const error = errorOf(() => watcher.checkConnectivitySync(parameters as ConnectivityParameters))
    expect(error).toBeInstanceOf(type)
    expect(error.message).toMatch(message)
  })

  it('refuses a source VM that is not running, as the other diagnostics do', () => {
    const error = errorOf(() => watcher.checkConnectivitySync({ source: { resourceId: vmId('stopped1') }, destination: { address: ip.app1, port: 443 } }))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, statusCode: 400 })
  })

  it('honours an aborted signal', async () => {
    await expect(watcher.checkConnectivity(fromWeb1({ address: ip.app1, port: 443 }), { abortSignal: AbortSignal.abort() })).rejects.toThrow()
  })
})

describe('loading the DNS map and listening ports', () => {
  it('reports a bad DNS entry and a bad aznet:listen tag, naming where they are', () => {
    const resources = model.resources.map((r) => (r.name === 'web1' ? { ...r, tags: { 'aznet:listen': '22,http' } } : r))
    const error = errorOf(() => LocalWatcher.fromResources({ resources, dns: { 'a.internal': 'not-an-ip' } }))
    expect(error).toBeInstanceOf(ModelError)
    expect((error as ModelError).problems).toEqual([
      { resource: 'dns', field: 'a.internal', message: expect.stringContaining('"not-an-ip", which is not an IP address') },
      { resource: vmId('web1'), field: 'tags.aznet:listen', message: expect.stringContaining('list the ports the guest listens on, e.g. "22,443,8000-8100"') },
    ])
  })

  it('an empty aznet:listen tag means the guest listens on nothing', () => {
    const resources = model.resources.map((r) => (r.name === 'app1' ? { ...r, tags: { 'aznet:listen': '' } } : r))
    const silent = LocalWatcher.fromResources(resources)
    expect(silent.checkConnectivitySync(fromWeb1({ address: ip.app1, port: 443 })).connectionStatus).toBe('Disconnected')
  })
})

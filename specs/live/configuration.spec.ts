/**
 * The live settings: the strategy (configure({ strategy }) / AZNET_STRATEGY, default effective), what
 * the effective strategy fetches ahead (configure({ prefetch }) / AZNET_PREFETCH, default
 * resource-group) and an extra CA to trust (configure({ armCa }) / AZNET_ARM_CA, a PEM file's path).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { resolveSettings } from '../../src/config.js'
import { ConfigurationError } from '../../src/errors.js'

const SUB = '6e1c3d2a-0000-4000-8000-00000000beef'
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

function live(options: Parameters<typeof resolveSettings>[0], env: Record<string, string> = {}) {
  const settings = resolveSettings(options, { AZURE_SUBSCRIPTION_ID: SUB, ...env })
  if (settings.kind !== 'live') throw new Error(`expected live settings, got ${settings.kind}`)
  return settings
}

describe('strategy', () => {
  test('unset means effective; AZNET_STRATEGY sets it; configure() wins', () => {
    expect(live({}).strategy).toBe('effective')
    expect(live({}, { AZNET_STRATEGY: 'Exact' }).strategy).toBe('exact')
    expect(live({ strategy: 'exact' }, { AZNET_STRATEGY: 'effective' }).strategy).toBe('exact')
    expect(live({ strategy: 'effective' }, { AZNET_STRATEGY: 'exact' }).strategy).toBe('effective')
  })

  test('an unknown strategy is a configuration error naming the variable', () => {
    expect(() => live({}, { AZNET_STRATEGY: 'fast' })).toThrow(ConfigurationError)
    expect(() => live({}, { AZNET_STRATEGY: 'fast' })).toThrow(/AZNET_STRATEGY=fast is not a strategy: set AZNET_STRATEGY .* to exact or effective/)
  })
})

describe('prefetch', () => {
  test('unset means resource-group; AZNET_PREFETCH sets it; configure() wins', () => {
    expect(live({}).prefetch).toBe('resource-group')
    expect(live({}, { AZNET_PREFETCH: 'Subscription' }).prefetch).toBe('subscription')
    expect(live({}, { AZNET_PREFETCH: 'none' }).prefetch).toBe('none')
    expect(live({ prefetch: 'none' }, { AZNET_PREFETCH: 'subscription' }).prefetch).toBe('none')
  })

  test('an unknown prefetch scope is a configuration error naming the variable and the scopes', () => {
    expect(() => live({}, { AZNET_PREFETCH: 'all' })).toThrow(ConfigurationError)
    expect(() => live({}, { AZNET_PREFETCH: 'all' })).toThrow(/AZNET_PREFETCH=all is not a prefetch scope: set AZNET_PREFETCH .* to resource-group, subscription or none/)
    expect(() => live({ prefetch: 'vnet' as never })).toThrow(/is not a prefetch scope/)
  })
})

describe('armCa', () => {
  test('AZNET_ARM_CA names a PEM file whose content is trusted; configure({ armCa }) wins', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aznet-ca-')), 'arm.pem')
    writeFileSync(file, PEM)
    expect(live({}, { AZNET_ARM_CA: file }).armCa).toBe(PEM)
    expect(live({ armCa: 'given' }, { AZNET_ARM_CA: file }).armCa).toBe('given')
    expect(live({}).armCa).toBeUndefined()
  })

  test('an unreadable AZNET_ARM_CA is a configuration error naming the path', () => {
    expect(() => live({}, { AZNET_ARM_CA: '/nonexistent/arm.pem' })).toThrow(/AZNET_ARM_CA=\/nonexistent\/arm.pem cannot be read .*: set it to the path of a PEM certificate file/)
  })
})

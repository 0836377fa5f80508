/**
 * The model's Azure Firewalls by address, for the path walk: by private IP (the next hop of the
 * UDRs through it, §1.1) and by public IP (its DNAT frontends, §1.8). Built on first use, one per
 * model (a model does not change once loaded), and each firewall's rules compiled on first use.
 */
import type { NetworkModel } from '../../model/networkModel.js'
import { compileFirewall, type CompiledFirewall } from './compile.js'

export class Firewalls {
  private readonly byPrivate = new Map<number, string>()
  private readonly byPublic = new Map<number, string>()
  private readonly compiled = new Map<string, CompiledFirewall>()

  constructor(private readonly model: NetworkModel) {
    for (const firewall of model.firewalling.firewalls.values()) {
      if (firewall.privateIp.version === 4) this.byPrivate.set(firewall.privateIp.value, firewall.key)
      for (const key of firewall.publicIpKeys) {
        const address = model.firewalling.publicIps.get(key)?.address
        if (address?.version === 4) this.byPublic.set(address.value, firewall.key)
      }
    }
  }

  /** True when the model has no firewall: the walk then skips every firewall lookup. */
  get empty(): boolean {
    return this.byPrivate.size === 0
  }

  atPrivateIp(address: number): CompiledFirewall | undefined {
    const key = this.byPrivate.get(address)
    return key === undefined ? undefined : this.compile(key)
  }

  atPublicIp(address: number): CompiledFirewall | undefined {
    const key = this.byPublic.get(address)
    return key === undefined ? undefined : this.compile(key)
  }

  private compile(key: string): CompiledFirewall {
    let compiled = this.compiled.get(key)
    if (!compiled) {
      compiled = compileFirewall(this.model, this.model.firewalling.firewalls.get(key)!)
      this.compiled.set(key, compiled)
    }
    return compiled
  }
}

const firewallsByModel = new WeakMap<NetworkModel, Firewalls>()

/** The firewalls of a model, indexed once. */
export function firewallsOf(model: NetworkModel): Firewalls {
  let firewalls = firewallsByModel.get(model)
  if (!firewalls) {
    firewalls = new Firewalls(model)
    firewallsByModel.set(model, firewalls)
  }
  return firewalls
}

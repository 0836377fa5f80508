/**
 * The extension point: one Mapper per azurerm resource type (mappers/*.ts, registered in
 * registry.ts). `id` gives the ARM id the instance will have (so others can link to it before it
 * is mapped); `map` adds ARM resources to the context, or patches others' later (associations).
 */
import type { ImportContext } from './context.js'
import type { TfInstance } from './instances.js'

export interface Mapper {
  /** The ARM id of the resource this instance becomes; absent for types that make none (associations). */
  id?(instance: TfInstance, context: ImportContext): string
  /** Adds the instance's ARM resources (context.add) or defers a patch of others' (context.later). */
  map(instance: TfInstance, context: ImportContext): void
  /**
   * The value Azure will give an attribute Terraform knows only after apply (`ip_configuration[0].private_ip_address`
   * of a firewall: the first usable address of its subnet), so what references it resolves; undefined when it cannot tell.
   * The mapper warns that it assumed it.
   */
  assumed?(instance: TfInstance, attribute: string, context: ImportContext): string | undefined
}

/**
 * §1.7: which VM power states Network Watcher refuses to diagnose. Shared by the offline engine (the
 * model's instance view), the live path (the VM GET's instance view) and the ARM server, so that
 * all three refuse the same VMs.
 */
import type { NetworkModel, VirtualMachine } from './networkModel.js'

const NOT_RUNNING = new Set(['deallocated', 'deallocating', 'stopped', 'stopping'])

/** Is a power state (the `PowerState/<x>` code without its prefix) one of a VM that is not running? None known: not refused here (see powerStateUnknown). */
export function isNotRunningPowerState(powerState: string | undefined): powerState is string {
  return powerState !== undefined && NOT_RUNNING.has(powerState.toLowerCase())
}

/**
 * docs/model.md "Power state": a VM without a power state is taken as running only under the model's
 * `assumeRunning`; otherwise an answer that depends on it is undetermined, never a guess.
 */
export function powerStateUnknown(model: NetworkModel, vm: VirtualMachine): boolean {
  return vm.powerState === undefined && !model.assumeRunning
}

/** What would decide an answer that depends on these VMs' power states (UndeterminedError.missing). */
export function missingPowerStates(vms: readonly VirtualMachine[]): string[] {
  return vms.map(
    (vm) =>
      `the power state of VM ${vm.id}: give the model its instanceView (az vm get-instance-view, statuses PowerState/<state>), or load with assumeRunning: true to take VMs without one as running`,
  )
}

/** The warning of a model loaded with assumeRunning: which VMs are taken as running (up to three named). */
export function assumedRunningWarning(model: NetworkModel): string[] {
  if (!model.assumeRunning) return []
  const names = [...model.vms.values()].filter((vm) => vm.powerState === undefined).map((vm) => vm.name)
  if (names.length === 0) return []
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '')
  return [`VMs without a power state are taken as running (assumeRunning) (${shown})`]
}

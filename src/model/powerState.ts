/**
 * §1.7: which VM power states Network Watcher refuses to diagnose. Shared by the offline engine (the
 * model's instance view), the live path (the VM GET's instance view) and the ARM server, so that
 * all three refuse the same VMs.
 */
const NOT_RUNNING = new Set(['deallocated', 'deallocating', 'stopped', 'stopping'])

/** Is a power state (the `PowerState/<x>` code without its prefix) one of a VM that is not running? None known: taken as running. */
export function isNotRunningPowerState(powerState: string | undefined): powerState is string {
  return powerState !== undefined && NOT_RUNNING.has(powerState.toLowerCase())
}

/** The matchers, as `expect.extend` takes them (the setup file registers them). */
import { toAllowFlow } from './toAllowFlow.js'
import { toDenyFlow } from './toDenyFlow.js'
import { toHaveNextHop } from './toHaveNextHop.js'
import { toReachAddress } from './toReachAddress.js'
import { toAllowAnyFlow } from './toAllowAnyFlow.js'
import { toAllowOnly } from './toAllowOnly.js'
import { tiedToTests } from './tiedToTest.js'
import { toChangeOnly } from './toChangeOnly.js'
import { toAllowFlowEach, toDenyFlowEach, toHaveNextHopEach, toReachAddressEach } from './sweepMatchers.js'

/** Each asynchronous one tied to its running test, so an un-awaited one still decides it (tiedToTest.ts); toChangeOnly is synchronous. */
export const azureNetworkMatchers = {
  ...tiedToTests({ toAllowFlow, toDenyFlow, toHaveNextHop, toReachAddress, toAllowFlowEach, toDenyFlowEach, toHaveNextHopEach, toReachAddressEach, toAllowAnyFlow, toAllowOnly }),
  toChangeOnly,
}

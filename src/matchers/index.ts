/** The matchers, as `expect.extend` takes them (the setup file registers them). */
import { toAllowFlow } from './toAllowFlow.js'
import { toDenyFlow } from './toDenyFlow.js'
import { toHaveNextHop } from './toHaveNextHop.js'
import { toReachAddress } from './toReachAddress.js'
import { toAllowFlowEach, toDenyFlowEach, toHaveNextHopEach, toReachAddressEach } from './sweepMatchers.js'

export const azureNetworkMatchers = { toAllowFlow, toDenyFlow, toHaveNextHop, toReachAddress, toAllowFlowEach, toDenyFlowEach, toHaveNextHopEach, toReachAddressEach }

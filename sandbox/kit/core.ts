import { addFault, type FaultInput } from "./faults"
import { PushDelivery, type PushProfile } from "./push"
import type { SandboxStore } from "./state"
import type { Fault, SandboxLogger } from "./types"

/**
 * The behaviour every sandbox shares behind both doors (the platform's signed API and the unsigned
 * control API): push delivery, faults, the steady rate limit and reset. A platform's core extends it
 * with its shops, listings, orders, returns and tokens.
 */
export class SandboxCore<S extends SandboxStore = SandboxStore> {
  readonly push: PushDelivery

  constructor(
    readonly state: S,
    readonly logger: SandboxLogger,
    pushProfile: PushProfile
  ) {
    this.push = new PushDelivery(state, pushProfile, logger)
  }

  setCallbackUrl(url: string | null): void {
    this.state.callbackUrl = url
  }

  addFault(input: FaultInput): Fault {
    return addFault(this.state, input)
  }

  clearFaults(): void {
    this.state.faults = []
  }

  setRateLimit(perSecond: number | null): void {
    this.state.rateLimitPerSecond = perSecond
  }

  reset(): void {
    this.push.cancelRedeliveries()
    this.state.reset()
  }
}

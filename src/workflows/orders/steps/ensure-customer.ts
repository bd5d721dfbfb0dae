import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type EnsureCustomerStepInput = {
  email: string
  first_name: string | null
  phone: string | null
  metadata: Record<string, unknown>
}

export const ensureCustomerStepId = "ensure-marketplace-customer"

/**
 * The Medusa customer of a marketplace buyer, created on first sight. Under a lock on the e-mail (which is
 * keyed on the platform's buyer id), so that two orders of a new buyer imported at once make one customer.
 *
 * @example
 * const customer = ensureCustomerStep({ email: "buyer-42@shopee.marketplace.invalid", first_name: "jo", phone: null, metadata: {} })
 */
/**
 * Finds or creates the customer of one buyer e-mail under its lock; `created` says whether this call made it.
 * A batch import (ensureCustomersStep) inserts new buyers without the lock: the unique guest e-mail index
 * then makes the second insert fail, and the buyer is the one created first.
 */
export async function ensureCustomer(
  container: MedusaContainer,
  input: EnsureCustomerStepInput
): Promise<{ id: string; created: boolean }> {
  const customers = container.resolve(Modules.CUSTOMER)
  const oldest = async () =>
    (await customers.listCustomers({ email: input.email }, { take: 1, order: { created_at: "ASC" } }))[0]
  return await container.resolve(Modules.LOCKING).execute(
    `marketplace:customer:${input.email}`,
    async () => {
      const existing = await oldest()
      if (existing) {
        return { id: existing.id, created: false }
      }
      try {
        const created = await customers.createCustomers({
          email: input.email,
          first_name: input.first_name ?? undefined,
          phone: input.phone ?? undefined,
          metadata: input.metadata,
        })
        return { id: created.id, created: true }
      } catch (error) {
        const theirs = await oldest()
        if (!theirs) {
          throw error
        }
        return { id: theirs.id, created: false }
      }
    },
    { timeout: 30 }
  )
}

export const ensureCustomerStep = createStep(
  ensureCustomerStepId,
  async (input: EnsureCustomerStepInput, { container }) => {
    const { id, created } = await ensureCustomer(container, input)
    return new StepResponse({ id }, created ? id : null)
  },
  async (createdId, { container }) => {
    if (!createdId) {
      return
    }
    await container.resolve(Modules.CUSTOMER).deleteCustomers(createdId)
  }
)

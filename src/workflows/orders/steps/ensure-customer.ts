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
export const ensureCustomerStep = createStep(
  ensureCustomerStepId,
  async (input: EnsureCustomerStepInput, { container }) => {
    const customers = container.resolve(Modules.CUSTOMER)
    const locking = container.resolve(Modules.LOCKING)
    return await locking.execute(
      `marketplace:customer:${input.email}`,
      async () => {
        const [existing] = await customers.listCustomers({ email: input.email }, { take: 1, order: { created_at: "ASC" } })
        if (existing) {
          return new StepResponse({ id: existing.id }, null)
        }
        try {
          const created = await customers.createCustomers({
            email: input.email,
            first_name: input.first_name ?? undefined,
            phone: input.phone ?? undefined,
            metadata: input.metadata,
          })
          return new StepResponse({ id: created.id }, created.id)
        } catch (error) {
          // A batch import (ensureCustomersStep) inserts new buyers without this lock; the unique e-mail
          // index makes the second insert fail, and the buyer is then the one it created.
          const [theirs] = await customers.listCustomers({ email: input.email }, { take: 1, order: { created_at: "ASC" } })
          if (!theirs) {
            throw error
          }
          return new StepResponse({ id: theirs.id }, null)
        }
      },
      { timeout: 30 }
    )
  },
  async (createdId, { container }) => {
    if (!createdId) {
      return
    }
    await container.resolve(Modules.CUSTOMER).deleteCustomers(createdId)
  }
)

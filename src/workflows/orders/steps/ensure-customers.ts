import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ensureCustomer, type EnsureCustomerStepInput } from "./ensure-customer"

export const ensureCustomersStepId = "ensure-marketplace-customers"

async function oldestByEmail(container: MedusaContainer, emails: string[]) {
  const found = await container
    .resolve(Modules.CUSTOMER)
    .listCustomers({ email: emails }, { select: ["id", "email", "created_at"], order: { created_at: "ASC" } })
  const byEmail = new Map<string, string>()
  for (const c of found) {
    if (c.email && !byEmail.has(c.email)) byEmail.set(c.email, c.id)
  }
  return byEmail
}

/**
 * The Medusa customers of many marketplace buyers at once (the batch import of new orders): one query for
 * the known ones, one insert for the new ones. Customer e-mails are unique among guests in Medusa (a unique
 * index), so when an import elsewhere created one of them in between, the insert fails and the buyers are
 * then found or created one by one with {@link ensureCustomer}, under the same per-e-mail lock.
 *
 * Returns the customer id of each input e-mail.
 *
 * @example
 * const ids = ensureCustomersStep([{ email: "buyer-42@shopee.marketplace.invalid", first_name: "jo", phone: null, metadata: {} }])
 */
export const ensureCustomersStep = createStep(
  ensureCustomersStepId,
  async (input: EnsureCustomerStepInput[], { container }) => {
    const customers = container.resolve(Modules.CUSTOMER)
    const wanted = new Map<string, EnsureCustomerStepInput>()
    for (const buyer of input) if (!wanted.has(buyer.email)) wanted.set(buyer.email, buyer)
    const ids = await oldestByEmail(container, [...wanted.keys()])
    const missing = [...wanted.values()].filter((b) => !ids.has(b.email))
    const created: string[] = []
    if (missing.length) {
      try {
        const rows = await customers.createCustomers(
          missing.map((b) => ({ email: b.email, first_name: b.first_name ?? undefined, phone: b.phone ?? undefined, metadata: b.metadata }))
        )
        for (const row of rows) {
          ids.set(row.email as string, row.id)
          created.push(row.id)
        }
      } catch {
        for (const buyer of missing) {
          const { id, created: mine } = await ensureCustomer(container, buyer)
          ids.set(buyer.email, id)
          if (mine) created.push(id)
        }
      }
    }
    return new StepResponse(Object.fromEntries(ids) as Record<string, string>, created)
  },
  async (created, { container }) => {
    if (!created?.length) {
      return
    }
    await container.resolve(Modules.CUSTOMER).deleteCustomers(created)
  }
)

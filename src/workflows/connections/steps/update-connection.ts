import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type UpdateConnectionStepInput = {
  id: string
  name?: string
  /**
   * Written over the stored settings key by key: a key given replaces its value as a whole (a map such as
   * `stock_rules` or `channel_sales_channels` included), keys not given keep theirs.
   */
  settings?: ConnectionSettings
  status?: "active" | "needs_reauth" | "disabled"
  last_error?: string | null
}

export const updateConnectionStepId = "update-connection"

/**
 * Updates a connection's name, settings or status; restores the previous values on compensation.
 *
 * @example
 * updateConnectionStep({ id: "mpcon_123", settings: { import_unpaid: true } })
 */
export const updateConnectionStep = createStep(
  updateConnectionStepId,
  async (input: UpdateConnectionStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.retrieveConnection(input.id)

    if (previous.status === "disabled" && input.status === "active") {
      const hasCredentials = await marketplace
        .retrieveCredentials(input.id)
        .then(() => true)
        .catch(() => false)
      if (!hasCredentials) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Connection ${input.id} has no credentials: connect the shop again to enable it`
        )
      }
    }

    const update: Record<string, unknown> = { id: input.id }
    if (input.name !== undefined) update.name = input.name
    if (input.status !== undefined) update.status = input.status
    if (input.last_error !== undefined) update.last_error = input.last_error
    let updated = await marketplace.updateConnections(update)
    if (input.settings !== undefined) {
      await marketplace.writeConnectionSettings(input.id, input.settings as Record<string, unknown>)
      updated = await marketplace.retrieveConnection(input.id)
    }

    return new StepResponse(updated, {
      update: {
        id: previous.id,
        name: previous.name,
        status: previous.status,
        last_error: previous.last_error,
      },
      settings: input.settings === undefined ? null : ((previous.settings as Record<string, unknown> | null) ?? {}),
    })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    await marketplace.updateConnections(previous.update)
    if (previous.settings) {
      await marketplace.writeConnectionSettings(previous.update.id, previous.settings, { replace: true })
    }
  }
)

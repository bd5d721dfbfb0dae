import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type CreateSyncRunStepInput = { connection_id: string; from?: Date | string | null; to?: Date | string | null }

/** A backfill without a start goes this far back. */
export const DEFAULT_SYNC_DAYS = 15

export const createSyncRunStepId = "create-marketplace-sync-run"

/**
 * Creates a pending sync run for an active connection over [from, to) (default: the last 15 days up to now).
 *
 * @example
 * const run = createSyncRunStep({ connection_id: "mpcon_123", from: "2026-01-01T00:00:00Z" })
 */
export const createSyncRunStep = createStep(
  createSyncRunStepId,
  async (input: CreateSyncRunStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const connection = await marketplace.retrieveConnection(input.connection_id)
    if (connection.status !== "active") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Connection ${connection.id} is ${connection.status}: it cannot sync`
      )
    }
    const to = input.to ? new Date(input.to) : new Date()
    const from = input.from ? new Date(input.from) : new Date(to.getTime() - DEFAULT_SYNC_DAYS * 86400_000)
    if (from >= to) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The sync range must start before it ends")
    }
    if (to.getTime() > Date.now() + 60_000) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The sync range cannot end in the future")
    }
    const run = await marketplace.createSyncRuns({
      connection_id: connection.id,
      kind: input.from || input.to ? "backfill" : "sync",
      range_from: from,
      range_to: to,
      resume_from: from,
    })
    return new StepResponse(run, run.id)
  },
  async (id, { container }) => {
    if (!id) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteSyncRuns(id)
  }
)

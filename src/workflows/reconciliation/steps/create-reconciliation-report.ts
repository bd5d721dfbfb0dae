import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type CreateReconciliationReportStepInput = {
  connection_id: string
  from: Date | string
  to: Date | string
  trigger: "manual" | "scheduled"
}

/** The longest range one report may cover. */
export const MAX_RECONCILIATION_DAYS = 92

export const createReconciliationReportStepId = "create-marketplace-reconciliation-report"

/**
 * Creates a running reconciliation report for a connection with a provider, over a valid range.
 *
 * @example
 * const report = createReconciliationReportStep({ connection_id: "mpcon_123", from, to, trigger: "manual" })
 */
export const createReconciliationReportStep = createStep(
  createReconciliationReportStepId,
  async (input: CreateReconciliationReportStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const connection = await marketplace.retrieveConnection(input.connection_id, { select: ["id", "platform"] })
    if (!marketplace.hasProvider(connection.platform)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Connection ${connection.id} uses platform ${connection.platform}, which has no configured provider`
      )
    }
    const from = new Date(input.from)
    const to = new Date(input.to)
    if (!(from < to)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The reconciliation range must start before it ends")
    }
    if (to.getTime() - from.getTime() > MAX_RECONCILIATION_DAYS * 86400_000) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The reconciliation range cannot be longer than ${MAX_RECONCILIATION_DAYS} days`
      )
    }
    const report = await marketplace.createReconciliationReports({
      connection_id: connection.id,
      trigger: input.trigger,
      status: "running",
      range_from: from,
      range_to: to,
    })
    return new StepResponse(report, report.id)
  },
  async (id, { container }) => {
    if (!id) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteReconciliationReports(id)
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { CompareMarketplaceOrdersStepOutput } from "./compare-marketplace-orders"

export type CompleteReconciliationReportStepInput = { id: string; outcome: CompareMarketplaceOrdersStepOutput }

export const completeReconciliationReportStepId = "complete-marketplace-reconciliation-report"

/**
 * Stores a reconciliation's rows, summary, fee totals and payout per day on its report and completes it, or
 * marks it failed with the marketplace's error.
 *
 * @example
 * const report = completeReconciliationReportStep({ id: "mprec_123", outcome })
 */
export const completeReconciliationReportStep = createStep(
  completeReconciliationReportStepId,
  async (input: CompleteReconciliationReportStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const { outcome } = input
    const report = await marketplace.updateReconciliationReports(
      outcome.ok
        ? {
            id: input.id,
            status: "completed",
            summary: outcome.result.summary,
            rows: outcome.result.rows as unknown as Record<string, unknown>,
            fee_totals: outcome.result.fee_totals,
            payout_by_day: outcome.result.payout_by_day,
            currency_code: outcome.result.currency_code,
            completed_at: new Date(),
          }
        : { id: input.id, status: "failed", error: outcome.error, completed_at: new Date() }
    )
    return new StepResponse(report, input.id)
  },
  async (id, { container }) => {
    if (!id) return
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateReconciliationReports({
      id,
      status: "running",
      summary: null,
      rows: null,
      fee_totals: null,
      payout_by_day: null,
      error: null,
      completed_at: null,
    })
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { collectReconciliation } from "../utils/reconciliation-collect"
import type { ReconciliationResult } from "../../../lib/reconciliation-compare"
import { errorMessage } from "../../../lib/errors"

export type CompareMarketplaceOrdersStepInput = { connection_id: string; from: Date | string; to: Date | string }

/** The comparison, or why it could not be made (the marketplace failed): a failed report is kept. */
export type CompareMarketplaceOrdersStepOutput =
  | { ok: true; result: ReconciliationResult & { currency_code: string | null }; error: null }
  | { ok: false; result: null; error: string }

export const compareMarketplaceOrdersStepId = "compare-marketplace-orders"

/**
 * Compares the marketplace's orders in a range with the order links and the Medusa orders (reads only).
 *
 * @example
 * const outcome = compareMarketplaceOrdersStep({ connection_id: "mpcon_123", from, to })
 */
export const compareMarketplaceOrdersStep = createStep(
  compareMarketplaceOrdersStepId,
  async (input: CompareMarketplaceOrdersStepInput, { container }) => {
    try {
      const result = await collectReconciliation(container, input.connection_id, {
        from: new Date(input.from),
        to: new Date(input.to),
      })
      return new StepResponse<CompareMarketplaceOrdersStepOutput>({ ok: true, result, error: null })
    } catch (e) {
      return new StepResponse<CompareMarketplaceOrdersStepOutput>({ ok: false, result: null, error: errorMessage(e) })
    }
  }
)

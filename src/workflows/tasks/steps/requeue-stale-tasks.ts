import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type RequeueStaleTasksStepInput = { kinds: string[] }

export const requeueStaleTasksStepId = "requeue-stale-marketplace-tasks"

/**
 * Hands back tasks a worker claimed and never finished (it died mid-push): `processing` for longer than
 * the outbox queue's stale timeout (option taskStaleMs) becomes `failed` and due now, so the next flush
 * retries it. Compensation puts them back.
 *
 * @example
 * requeueStaleTasksStep({ kinds: ["push_stock", "push_price"] })
 */
export const requeueStaleTasksStep = createStep(
  requeueStaleTasksStepId,
  async ({ kinds }: RequeueStaleTasksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const ids = await marketplace.requeueStaleQueue("task", {
      where: { sql: `kind in (${kinds.map(() => "?").join(", ")})`, params: kinds },
      error: "The worker pushing this task stopped; retried",
    })
    return new StepResponse(ids.length, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) {
      return
    }
    await container
      .resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
      .updateTasks(ids.map((id) => ({ id, status: "processing" as const })))
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { taskSettings } from "../../../lib/push-tasks"

export type RequeueStaleTasksStepInput = { kinds: string[] }

export const requeueStaleTasksStepId = "requeue-stale-marketplace-tasks"

/**
 * Hands back tasks a worker claimed and never finished (it died mid-push): `processing` for longer than
 * the stale limit becomes `failed` and due now, so the next flush retries it. Compensation puts them back.
 *
 * @example
 * requeueStaleTasksStep({ kinds: ["push_stock", "push_price"] })
 */
export const requeueStaleTasksStep = createStep(
  requeueStaleTasksStepId,
  async ({ kinds }: RequeueStaleTasksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const before = new Date(Date.now() - taskSettings().stale_after_ms)
    const stale = await marketplace.listTasks(
      { kind: kinds, status: "processing", processing_started_at: { $lt: before } },
      { select: ["id", "processing_started_at"] }
    )
    if (stale.length) {
      await marketplace.updateTasks(
        stale.map((t) => ({
          id: t.id,
          status: "failed" as const,
          next_attempt_at: new Date(),
          last_error: "The worker pushing this task stopped; retried",
        }))
      )
    }
    return new StepResponse(stale.length, stale.map((t) => t.id))
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

import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type DropHeldTaskStepInput = { id: string }

type Snapshot = {
  id: string
  status: "pending" | "processing" | "done" | "failed" | "dead" | "held"
  completed_at: Date | null
  last_error: string | null
  result: Record<string, unknown> | null
}

export const dropHeldTaskStepId = "drop-held-marketplace-task"

/**
 * Drops a price change the guard held: the task is closed (done, `result.dropped_at`) without a call, so the
 * shop keeps its price. Only a held task can be dropped. Compensation restores it.
 *
 * @example
 * const task = dropHeldTaskStep({ id: "mptsk_123" })
 */
export const dropHeldTaskStep = createStep(
  dropHeldTaskStepId,
  async ({ id }: DropHeldTaskStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const [task] = (await marketplace.listTasks({ id }, { take: 1 })) as unknown as Snapshot[]
    if (!task) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Task with id: ${id} was not found`)
    }
    if (task.status !== "held") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Task ${id} is ${task.status}: only held price changes can be dropped`)
    }
    const now = new Date()
    const [updated] = await marketplace.updateTasks([
      { id, status: "done", completed_at: now, last_error: null, result: { ...(task.result ?? {}), dropped_at: now.toISOString() } },
    ])
    const snapshot: Snapshot = {
      id,
      status: task.status,
      completed_at: task.completed_at,
      last_error: task.last_error,
      result: task.result,
    }
    return new StepResponse(updated, snapshot)
  },
  async (snapshot, { container }) => {
    if (!snapshot) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).updateTasks([snapshot])
  }
)

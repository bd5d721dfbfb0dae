import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import { PUSH_PRICE } from "../../../lib/push-tasks"

export type RequeueTaskStepInput = {
  id: string
  /** retry: a failed or dead task goes again; confirm: a held price change is sent as it is. */
  mode: "retry" | "confirm"
}

type Snapshot = {
  id: string
  status: "pending" | "processing" | "done" | "failed" | "dead" | "held"
  attempts: number
  next_attempt_at: Date | null
  completed_at: Date | null
  last_error: string | null
  payload: Record<string, unknown> | null
  result: Record<string, unknown> | null
}

const isDuplicate = (error: unknown) =>
  (error instanceof MedusaError && error.type === MedusaError.Types.DUPLICATE_ERROR) ||
  /already exists|duplicate key|unique/i.test(error instanceof Error ? error.message : String(error))

export const requeueTaskStepId = "requeue-marketplace-task"

/**
 * Puts one task back in the outbox at once, with its attempts reset: a failed or dead task (retry), or a
 * held price change the merchant confirmed (the confirmed price is then sent despite the guard). When a
 * newer task for the same listing is already waiting, that one carries the request and this one is closed
 * as superseded. Compensation restores both.
 *
 * @example
 * const task = requeueTaskStep({ id: "mptsk_123", mode: "retry" })
 */
export const requeueTaskStep = createStep(
  requeueTaskStepId,
  async ({ id, mode }: RequeueTaskStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const [task] = (await marketplace.listTasks({ id }, { take: 1 })) as unknown as (Snapshot & { kind: string; coalescing_key: string })[]
    if (!task) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Task with id: ${id} was not found`)
    }
    const allowed = mode === "retry" ? ["failed", "dead"] : ["held"]
    if (!allowed.includes(task.status)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        mode === "retry"
          ? `Task ${id} is ${task.status}: only failed or dead tasks can be retried`
          : `Task ${id} is ${task.status}: only held price changes can be confirmed`
      )
    }
    if (mode === "confirm" && (task.kind !== PUSH_PRICE || typeof task.result?.price !== "string")) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Task ${id} holds no price change to confirm`)
    }
    const confirmed = mode === "confirm" ? { confirmed_price: task.result?.price as string } : {}
    const snapshots: Snapshot[] = [task]
    const now = new Date()
    try {
      const [updated] = await marketplace.updateTasks([
        {
          id,
          status: "pending",
          attempts: 0,
          next_attempt_at: now,
          completed_at: null,
          last_error: null,
          payload: { ...(task.payload ?? {}), ...confirmed, requeued_at: now.toISOString(), requeued_by: mode },
        },
      ])
      return new StepResponse(updated, snapshots)
    } catch (error) {
      if (!isDuplicate(error)) {
        throw error
      }
    }
    const [waiting] = (await marketplace.listTasks(
      { coalescing_key: task.coalescing_key, status: "pending" },
      { take: 1 }
    )) as unknown as Snapshot[]
    if (!waiting) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `Task ${id} could not be queued again; try once more`)
    }
    snapshots.push(waiting)
    await marketplace.updateTasks([
      { id, status: "done", completed_at: now, result: { ...(task.result ?? {}), superseded_by: waiting.id } },
    ])
    const [carrier] = await marketplace.updateTasks([
      { id: waiting.id, attempts: 0, next_attempt_at: now, payload: { ...(waiting.payload ?? {}), ...confirmed } },
    ])
    return new StepResponse(carrier, snapshots)
  },
  async (snapshots, { container }) => {
    if (!snapshots?.length) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    // The waiting task first: restoring the original to its old status must not meet a second pending row.
    for (const snapshot of [...snapshots].reverse()) {
      await marketplace.updateTasks([snapshot])
    }
  }
)

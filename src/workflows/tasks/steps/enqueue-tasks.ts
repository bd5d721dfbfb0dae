import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type TaskToEnqueue = {
  kind: string
  connection_id: string
  listing_id: string | null
  coalescing_key: string
  /** Why it was enqueued (the event name), kept for the admin. */
  reason?: string
}

export type EnqueueTasksStepInput = { tasks: TaskToEnqueue[] }

export type EnqueueTasksStepOutput = {
  /** New pending tasks: each needs a flush. */
  inserted: string[]
  /** Changes folded into a task that was already waiting. */
  coalesced: string[]
}

const isDuplicate = (error: unknown) =>
  (error instanceof MedusaError && error.type === MedusaError.Types.DUPLICATE_ERROR) ||
  /already exists|duplicate key|unique/i.test(error instanceof Error ? error.message : String(error))

type Payload = { reasons?: string[]; changes?: number; [key: string]: unknown }

const touched = (payload: unknown, reason: string | undefined): Payload => {
  const current = (payload ?? {}) as Payload
  const reasons = new Set(current.reasons ?? [])
  if (reason) {
    reasons.add(reason)
  }
  return { ...current, reasons: [...reasons].slice(-10), changes: (current.changes ?? 1) + 1, last_change_at: new Date().toISOString() }
}

export const enqueueTasksStepId = "enqueue-marketplace-tasks"

/**
 * Puts outbound changes in the outbox, one waiting task per coalescing key: a key that already has a task
 * waiting (pending, or failed and due for a retry) only gets its payload touched; otherwise a pending task
 * is inserted, and a unique-index race with another worker folds into the winner. Compensation deletes the
 * tasks it inserted.
 *
 * @example
 * enqueueTasksStep({ tasks: [{ kind: "push_stock", connection_id, listing_id, coalescing_key }] })
 */
export const enqueueTasksStep = createStep(
  enqueueTasksStepId,
  async ({ tasks }: EnqueueTasksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const unique = [...new Map(tasks.map((t) => [t.coalescing_key, t])).values()]
    const inserted: string[] = []
    const coalesced: string[] = []
    if (!unique.length) {
      return new StepResponse<EnqueueTasksStepOutput, string[]>({ inserted, coalesced }, inserted)
    }

    const fold = async (task: TaskToEnqueue) => {
      const [waiting] = await marketplace.listTasks(
        { coalescing_key: task.coalescing_key, status: ["pending", "failed"] },
        { select: ["id", "payload"], take: 1, order: { created_at: "DESC" } }
      )
      if (!waiting) {
        return false
      }
      await marketplace.updateTasks({ id: waiting.id, payload: touched(waiting.payload, task.reason) })
      coalesced.push(waiting.id)
      return true
    }

    for (const task of unique) {
      if (await fold(task)) {
        continue
      }
      try {
        const created = await marketplace.createTasks({
          kind: task.kind,
          connection_id: task.connection_id,
          listing_id: task.listing_id,
          coalescing_key: task.coalescing_key,
          status: "pending",
          next_attempt_at: new Date(),
          payload: { reasons: task.reason ? [task.reason] : [], changes: 1, last_change_at: new Date().toISOString() },
        })
        inserted.push(created.id)
      } catch (error) {
        // Another worker inserted the pending task for this key a moment ago: fold into theirs.
        if (!isDuplicate(error) || !(await fold(task))) {
          throw error
        }
      }
    }
    return new StepResponse<EnqueueTasksStepOutput, string[]>({ inserted, coalesced }, inserted)
  },
  async (inserted, { container }) => {
    if (!inserted?.length) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteTasks(inserted)
  }
)

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
  /** New pending tasks. */
  inserted: string[]
  /** Changes folded into a task that was already waiting. */
  coalesced: string[]
  /**
   * In how many ms the tasks whose due time was set or moved are due, distinct and rounded up to
   * DUE_GRANULARITY_MS: a flush is needed at each (scheduleFlushStep takes the list).
   */
  due_in_ms: number[]
}

/** Due times this close together share one flush. */
export const DUE_GRANULARITY_MS = 50

/** Fold-or-insert rounds for one key before giving up (each lost one means another process just inserted). */
export const ENQUEUE_ATTEMPTS = 3

export const enqueueTasksStepId = "enqueue-marketplace-tasks"

/**
 * Puts outbound changes in the outbox, one waiting task per coalescing key (the module's enqueuePushTask): a
 * key that already has a task waiting (pending, or failed and due for a retry) only gets the change folded
 * in; otherwise a pending task is inserted, due after option flushQuietMs when the key is quiet, after
 * flushDelayMs when busy. A race with another process inserting the key's pending task (the unique index)
 * folds into the winner, up to ENQUEUE_ATTEMPTS rounds. Compensation deletes the tasks it inserted (a folded
 * change stays: the push reads the current value).
 *
 * @example
 * enqueueTasksStep({ tasks: [{ kind: "push_stock", connection_id, listing_id, coalescing_key }] })
 */
export const enqueueTasksStep = createStep(
  enqueueTasksStepId,
  async ({ tasks }: EnqueueTasksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const { flushDelayMs, flushQuietMs } = marketplace.settings()
    const unique = [...new Map(tasks.map((t) => [t.coalescing_key, t])).values()]
    const inserted: string[] = []
    const coalesced: string[] = []
    const due = new Set<number>()

    for (const task of unique) {
      let done = false
      for (let round = 1; round <= ENQUEUE_ATTEMPTS && !done; round++) {
        const outcome = await marketplace.enqueuePushTask({
          kind: task.kind,
          connection_id: task.connection_id,
          listing_id: task.listing_id,
          coalescing_key: task.coalescing_key,
          reason: task.reason,
          delayMs: flushDelayMs,
          quietMs: flushQuietMs,
        })
        if (!outcome) {
          // Another process inserted the pending task for this key a moment ago: fold into theirs.
          continue
        }
        done = true
        ;(outcome.inserted ? inserted : coalesced).push(outcome.id)
        if (outcome.due_in_ms !== null) {
          due.add(Math.ceil(outcome.due_in_ms / DUE_GRANULARITY_MS) * DUE_GRANULARITY_MS)
        }
      }
      if (!done) {
        // A failing step is not compensated: take back what this one inserted before failing.
        if (inserted.length) {
          await marketplace.deleteTasks(inserted)
        }
        throw new MedusaError(
          MedusaError.Types.CONFLICT,
          `Could not enqueue "${task.coalescing_key}": its pending task kept changing hands (${ENQUEUE_ATTEMPTS} attempts)`
        )
      }
    }
    const output: EnqueueTasksStepOutput = { inserted, coalesced, due_in_ms: [...due].sort((a, b) => a - b) }
    return new StepResponse<EnqueueTasksStepOutput, string[]>(output, inserted)
  },
  async (inserted, { container }) => {
    if (!inserted?.length) {
      return
    }
    await container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).deleteTasks(inserted)
  }
)

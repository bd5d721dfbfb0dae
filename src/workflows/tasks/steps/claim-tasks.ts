import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

/** `limit` defaults to the outbox queue's batch size (option flushBatchSize). */
export type ClaimTasksStepInput = { kinds: string[]; limit?: number }

export type ClaimedTask = {
  id: string
  kind: string
  connection_id: string
  listing_id: string | null
  coalescing_key: string
  attempts: number
  payload: Record<string, unknown> | null
}

export type ClaimTasksStepOutput = {
  tasks: ClaimedTask[]
  /** Due tasks left behind (over the limit, or their key is being pushed right now). */
  left_behind: number
}

type Previous = { id: string; attempts: number }

/** Claims are taken one worker at a time, across every process (Locking module). */
export const CLAIM_LOCK_KEY = "marketplace:tasks:claim"

export const claimTasksStepId = "claim-marketplace-tasks"

/**
 * Takes the due push tasks for this worker: under a lock, reads tasks pending (or failed and due for a
 * retry), skips keys another worker is pushing right now (their values would race), keeps one task per key
 * (a duplicate is superseded), and marks the rest `processing`. Compensation hands them back.
 *
 * @example
 * const { tasks } = claimTasksStep({ kinds: ["push_stock", "push_price"], limit: 500 })
 */
export const claimTasksStep = createStep(
  claimTasksStepId,
  async ({ kinds, limit: given }: ClaimTasksStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const limit = given ?? marketplace.queuePolicy("task").batchSize
    const locking = container.resolve(Modules.LOCKING)

    const claimed = await locking.execute(
      CLAIM_LOCK_KEY,
      async () => {
        const now = new Date()
        const busy = await marketplace.listTasks({ kind: kinds, status: "processing" }, { select: ["coalescing_key"] })
        const busyKeys = new Set(busy.map((t) => t.coalescing_key))
        const due = await marketplace.listTasks(
          { kind: kinds, status: ["pending", "failed"], next_attempt_at: { $lte: now } },
          {
            select: ["id", "kind", "connection_id", "listing_id", "coalescing_key", "attempts", "payload", "status", "created_at"],
            order: { next_attempt_at: "ASC" },
            take: limit * 2,
          }
        )
        const chosen = new Map<string, (typeof due)[number]>()
        const superseded: string[] = []
        let leftBehind = 0
        for (const task of due) {
          if (busyKeys.has(task.coalescing_key)) {
            leftBehind++
            continue
          }
          const other = chosen.get(task.coalescing_key)
          if (!other) {
            if (chosen.size >= limit) {
              leftBehind++
              continue
            }
            chosen.set(task.coalescing_key, task)
            continue
          }
          // Two waiting tasks for one key (a retry and a newer change): the value is read at push time,
          // so one push serves both.
          const [keep, drop] = other.status === "pending" ? [other, task] : [task, other]
          chosen.set(task.coalescing_key, keep)
          superseded.push(drop.id)
        }
        const tasks = [...chosen.values()]
        if (superseded.length) {
          await marketplace.updateTasks(
            superseded.map((id) => ({ id, status: "done" as const, completed_at: now, result: { superseded: true } }))
          )
        }
        if (tasks.length) {
          await marketplace.updateTasks(
            tasks.map((t) => ({ id: t.id, status: "processing" as const, processing_started_at: now, attempts: t.attempts + 1 }))
          )
        }
        return { tasks, left_behind: leftBehind }
      },
      { timeout: 30 }
    )

    const output: ClaimTasksStepOutput = {
      tasks: claimed.tasks.map((t) => ({
        id: t.id,
        kind: t.kind,
        connection_id: t.connection_id,
        listing_id: t.listing_id,
        coalescing_key: t.coalescing_key,
        attempts: t.attempts + 1,
        payload: (t.payload ?? null) as Record<string, unknown> | null,
      })),
      left_behind: claimed.left_behind,
    }
    const previous: Previous[] = claimed.tasks.map((t) => ({
      id: t.id,
      attempts: t.attempts,
    }))
    return new StepResponse(output, previous)
  },
  async (previous, { container }) => {
    if (!previous?.length) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    // Back as "failed" and due now rather than "pending": a newer pending task for the same key may exist,
    // and the partial unique index allows one pending task per key only.
    await marketplace.updateTasks(
      previous.map((p) => ({
        id: p.id,
        status: "failed" as const,
        attempts: p.attempts,
        next_attempt_at: new Date(),
        processing_started_at: null,
      }))
    )
  }
)

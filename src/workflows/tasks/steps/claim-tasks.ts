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
 * Takes the due push tasks for this worker with the module's queue claim (`FOR UPDATE SKIP LOCKED`, marked
 * `processing` in the same statement): tasks pending or failed and due, except keys another worker is
 * pushing right now (their values would race); keeps one task per key (a duplicate is superseded).
 * Compensation hands them back.
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
        const kindList = kinds.map(() => "?").join(", ")
        // The queue primitive's claim, restricted to keys no worker is pushing right now (their values would
        // race). The lock keeps two claims from both taking a key that was free when each looked.
        const rows = await marketplace.claimQueue<ClaimedTask>("task", {
          columns: ["kind", "connection_id", "listing_id", "coalescing_key", "attempts", "payload"],
          limit,
          takeOverStale: false,
          where: {
            sql: `kind in (${kindList}) and not exists (
              select 1 from marketplace_task busy
              where busy.coalescing_key = marketplace_task.coalescing_key
                and busy.status = 'processing' and busy.deleted_at is null)`,
            params: kinds,
          },
        })
        // Two waiting tasks for one key (a retry and a newer change): the value is read at push time, so one
        // push serves both. The one with the fewest attempts (the newer change) goes.
        const chosen = new Map<string, ClaimedTask>()
        const superseded: ClaimedTask[] = []
        for (const task of rows) {
          const other = chosen.get(task.coalescing_key)
          if (!other) {
            chosen.set(task.coalescing_key, task)
            continue
          }
          const [keep, drop] = other.attempts <= task.attempts ? [other, task] : [task, other]
          chosen.set(task.coalescing_key, keep)
          superseded.push(drop)
        }
        if (superseded.length) {
          await marketplace.updateTasks(
            superseded.map((t) => ({
              id: t.id,
              status: "done" as const,
              attempts: t.attempts - 1,
              completed_at: now,
              result: { superseded: true },
            }))
          )
        }
        const [, leftBehind] = await marketplace.listAndCountTasks(
          { kind: kinds, status: ["pending", "failed"], next_attempt_at: { $lte: now } },
          { select: ["id"], take: 1 }
        )
        return { tasks: [...chosen.values()], left_behind: leftBehind }
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
        attempts: t.attempts,
        payload: (t.payload ?? null) as Record<string, unknown> | null,
      })),
      left_behind: claimed.left_behind,
    }
    const previous: Previous[] = claimed.tasks.map((t) => ({
      id: t.id,
      attempts: t.attempts - 1,
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

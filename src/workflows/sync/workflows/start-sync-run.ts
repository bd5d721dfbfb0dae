import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { createSyncRunStep, type CreateSyncRunStepInput } from "../steps/create-sync-run"

export type StartSyncRunWorkflowInput = CreateSyncRunStepInput

export const startSyncRunWorkflowId = "start-marketplace-sync-run"

/**
 * Creates a sync run (a backfill of a date range, or a manual sync) and hands it to a worker.
 *
 * @example
 * const { result: run } = await startSyncRunWorkflow(container).run({
 *   input: { connection_id: "mpcon_123", from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z" },
 * })
 */
export const startSyncRunWorkflow = createWorkflow(startSyncRunWorkflowId, (input: StartSyncRunWorkflowInput) => {
  const run = createSyncRunStep(input)
  emitEventStep({
    eventName: MarketplaceEvents.SYNC_RUN_REQUESTED,
    data: transform({ run }, ({ run }) => ({ id: run.id })),
  })
  return new WorkflowResponse(run)
})

import type { MedusaContainer } from "@medusajs/framework/types"
import { flushTasksWorkflow } from "../workflows/tasks/workflows/flush-tasks"

/**
 * The safety net of the outbox: pushes normally go out a second after a change (event-driven); this picks up
 * retries whose flush event was lost and tasks left by a worker that died.
 */
export default async function flushMarketplaceTasksJob(container: MedusaContainer) {
  await flushTasksWorkflow(container).run({ input: {} })
}

export const config = {
  name: "flush-marketplace-tasks",
  schedule: "* * * * *",
}

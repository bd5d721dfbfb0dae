import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { TASKS_FLUSH_EVENT } from "../lib/push-tasks"
import { flushTasksWorkflow } from "../workflows/tasks/workflows/flush-tasks"

/** Sends the due stock and price pushes a moment after a change (the event is emitted with a delay). */
export default async function taskFlushHandler({ container }: SubscriberArgs<{ reason?: string }>) {
  await flushTasksWorkflow(container).run({ input: {} })
}

export const config: SubscriberConfig = {
  event: TASKS_FLUSH_EVENT,
  context: { subscriberId: "marketplace-task-flush" },
}

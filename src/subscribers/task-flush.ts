import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { rerunCoalescer } from "../lib/rerun-coalescer"
import { TASKS_FLUSH_EVENT } from "../lib/push-tasks"
import { flushTasksWorkflow } from "../workflows/tasks/workflows/flush-tasks"

/** This process's flush per app (container). */
const flushes = new WeakMap<MedusaContainer, () => Promise<void>>()

/**
 * Sends the due stock and price pushes a moment after a change (the event is emitted with a delay). The
 * requests that arrive while this process is flushing are served by one more flush right after it: a busy
 * store asks for a flush per change, and each run that found the claim lock taken or nothing due cost as
 * much as one that sent (bench:stock: p95 4.1 s -> 1.0 s at 10 changes/s). Another process flushes on its own; the
 * claim keeps any task from being sent twice, and the minute job flushes whatever a dead process left waiting.
 */
export default async function taskFlushHandler({ container }: SubscriberArgs<{ reason?: string }>) {
  let flush = flushes.get(container)
  if (!flush) {
    flush = rerunCoalescer(async () => await flushTasksWorkflow(container).run({ input: {} }))
    flushes.set(container, flush)
  }
  await flush()
}

export const config: SubscriberConfig = {
  event: TASKS_FLUSH_EVENT,
  context: { subscriberId: "marketplace-task-flush" },
}

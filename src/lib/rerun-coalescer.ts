/**
 * Runs `work` at most once at a time in this process, and coalesces the calls that come while it runs into one
 * more run right after it: N calls during a run cost one run, not N. A call made while a run is going resolves at
 * once (the run after the current one does its part); the call that started the runs resolves when no call is
 * waiting any more, and rejects with the last run's error only when no run followed it.
 *
 * This only saves work: what must happen once is guarded elsewhere (the outbox claim holds a lock and skips
 * rows another worker holds), and each process has its own coalescer.
 *
 * @example
 * const flush = rerunCoalescer(async () => { await flushTasksWorkflow(container).run({ input: {} }) })
 * await Promise.all([flush(), flush(), flush()]) // two runs: the first, and one for the calls made during it
 */
export function rerunCoalescer(work: () => Promise<unknown>): () => Promise<void> {
  let running = false
  let again = false
  return async () => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      let failure: unknown = undefined
      do {
        again = false
        failure = undefined
        try {
          await work()
        } catch (e) {
          failure = e
        }
      } while (again)
      if (failure !== undefined) throw failure
    } finally {
      running = false
    }
  }
}

/**
 * Webhook acknowledgements before background work, inside one process. In a process that answers webhooks
 * and processes the inbox (Medusa's `workerMode` `shared`, the default install), every stretch of
 * processing delays the acknowledgements that arrive meanwhile, and platforms disable endpoints that answer
 * slowly. The webhook route counts the requests it is answering; processing waits at its natural pauses (before
 * a claim, before each batch or order it imports) until none is being answered, for a bounded time, so a
 * burst of deliveries is acknowledged first and processed in the gaps between them.
 *
 * Only a scheduling hint for this process: nothing depends on it for correctness, and nothing here has to
 * happen once across processes.
 */
let answering = 0
let waiters: (() => void)[] = []

/** The webhook route starts answering a delivery. */
export function ackStarted(): void {
  answering++
}

/** The webhook route has answered (or given up on) a delivery. */
export function ackFinished(): void {
  answering = Math.max(0, answering - 1)
  if (answering === 0 && waiters.length) {
    const ready = waiters
    waiters = []
    ready.forEach((resolve) => resolve())
  }
}

/** How many deliveries this process is answering now. */
export function acksInFlight(): number {
  return answering
}

/**
 * Resolves once no delivery is being answered in this process, or after `maxWaitMs` at most (processing is
 * never starved by a steady stream). Resolves after pending I/O has had its turn either way.
 *
 * @example
 * await yieldToAcks(50) // before claiming the next batch of inbox events
 */
export function yieldToAcks(maxWaitMs: number): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      if (answering === 0 || maxWaitMs <= 0) return resolve()
      let done = false
      const finish = () => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== finish)
        finish()
      }, maxWaitMs)
      waiters.push(finish)
    })
  })
}

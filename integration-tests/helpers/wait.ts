/** Polls `check` until it returns a truthy value (returned) or the time is up (throws with `what`). */
export async function waitFor<T>(check: () => Promise<T>, what: string, timeoutMs = 20000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await check()
    if (last) return last as NonNullable<T>
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`)
}

/**
 * Waits until the clock is past `unixSeconds`. Platforms keep update times in whole seconds, and a sandbox
 * that moves an order twice within one second dates the second change a second later (so that the two are
 * ordered): a pull sees that change once its second has begun, as it would on the platform.
 */
export async function waitPastSecond(unixSeconds: number): Promise<void> {
  const wait = unixSeconds * 1000 + 1 - Date.now()
  if (wait > 0) await new Promise((r) => setTimeout(r, wait))
}

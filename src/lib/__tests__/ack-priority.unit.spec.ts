import { acksInFlight, ackFinished, ackStarted, yieldToAcks } from "../ack-priority"

const settledWithin = async (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))])

describe("ack priority", () => {
  afterEach(() => {
    while (acksInFlight()) ackFinished()
  })

  it("lets processing go on at once when no delivery is being answered", async () => {
    expect(await settledWithin(yieldToAcks(1000), 50)).toBe(true)
  })

  it("holds processing while deliveries are answered and releases it when the last one is", async () => {
    ackStarted()
    ackStarted()
    const waiting = yieldToAcks(1000)
    expect(await settledWithin(waiting, 30)).toBe(false)
    ackFinished()
    expect(await settledWithin(waiting, 30)).toBe(false)
    ackFinished()
    expect(await settledWithin(waiting, 30)).toBe(true)
  })

  it("never holds processing longer than its bound under a steady stream", async () => {
    ackStarted()
    const started = Date.now()
    await yieldToAcks(40)
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
    expect(Date.now() - started).toBeLessThan(500)
    expect(acksInFlight()).toBe(1)
  })

  it("does not count below zero", () => {
    ackFinished()
    expect(acksInFlight()).toBe(0)
  })
})

import axios from "axios"
import http from "http"
import type { AddressInfo } from "net"
import { acmeSignature, type AcmeHarness, startAcme } from "./test-platform"

/** Signed push delivery and the platform's re-delivery schedule, on a platform built only on the kit. */
describe("sandbox kit push delivery", () => {
  let h: AcmeHarness
  let receiver: http.Server
  let received: { body: string; signature: string }[]
  /** Answers for the next deliveries, in order; 204 once they run out. */
  let answers: number[]
  let callbackUrl: string

  beforeEach(async () => {
    received = []
    answers = []
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: String(req.headers["x-acme-signature"]) })
        res.writeHead(answers.shift() ?? 204)
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve))
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/acme`
  })

  afterEach(async () => {
    await h.close()
    await new Promise<void>((resolve) => receiver.close(() => resolve()))
  })

  it("signs each push with the platform's signature and envelope", async () => {
    h = await startAcme()
    h.sandbox.setPushConfig(callbackUrl)
    const order = h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    expect(received).toHaveLength(1)
    expect(received[0].signature).toBe(acmeSignature(received[0].body))
    expect(JSON.parse(received[0].body)).toMatchObject({ type: "order", shop: 7, payload: { id: order.id, status: "NEW" } })
    expect(h.sandbox.pushes).toEqual([expect.objectContaining({ attempt: 1, ok: true, status: 204, code: "order", shop_id: 7 })])
    expect(h.sandbox.redeliveries).toEqual([])
  })

  it("re-sends a failed push on the platform's schedule, by the sandbox clock, until it is acknowledged", async () => {
    h = await startAcme({ redeliverySeconds: [60, 600] })
    h.sandbox.setPushConfig(callbackUrl)
    answers = [500, 503]
    const sentAt = h.clock.now
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()

    // First failure: listed as lost once, and scheduled 60 s later.
    expect(h.sandbox.lostPushes).toHaveLength(1)
    expect(h.sandbox.redeliveries).toEqual([expect.objectContaining({ attempt: 2, due_at: sentAt + 60_000 })])
    h.clock.now += 59_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(0)
    expect(received).toHaveLength(1)

    h.clock.now += 1_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(1)
    expect(received).toHaveLength(2)
    // Same message, signed again.
    expect(received[1].body).toBe(received[0].body)
    expect(received[1].signature).toBe(acmeSignature(received[1].body))
    expect(h.sandbox.redeliveries).toEqual([expect.objectContaining({ attempt: 3, due_at: h.clock.now + 600_000 })])

    h.clock.now += 600_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(1)
    expect(h.sandbox.pushes.map((p) => [p.attempt, p.status, p.ok])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 204, true],
    ])
    expect(new Set(h.sandbox.pushes.map((p) => p.msg_id)).size).toBe(1)
    expect(h.sandbox.redeliveries).toEqual([])
    // Re-deliveries do not add lost entries.
    expect(h.sandbox.lostPushes).toHaveLength(1)
  })

  it("stops when the schedule is exhausted, and never re-sends with an empty schedule", async () => {
    h = await startAcme({ redeliverySeconds: [30] })
    h.sandbox.setPushConfig(callbackUrl)
    answers = [500, 500, 500]
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    h.clock.now += 30_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(1)
    h.clock.now += 3_600_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(0)
    expect(h.sandbox.pushes.map((p) => p.attempt)).toEqual([1, 2])
    expect(h.sandbox.redeliveries).toEqual([])
    await h.close()

    h = await startAcme({ redeliverySeconds: [] })
    h.sandbox.setPushConfig(callbackUrl)
    answers = [500]
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    expect(h.sandbox.redeliveries).toEqual([])
    expect(h.sandbox.lostPushes).toHaveLength(1)
  })

  it("serves due re-deliveries through the control API, and forgets them on reset", async () => {
    h = await startAcme({ redeliverySeconds: [60] })
    h.sandbox.setPushConfig(callbackUrl)
    answers = [500]
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    const listed = await axios.get(`${h.sandbox.url}/sandbox/pushes`)
    expect(listed.data.redeliveries).toEqual([expect.objectContaining({ attempt: 2 })])
    expect(listed.data.lost).toHaveLength(1)

    h.clock.now += 60_000
    const sent = await axios.post(`${h.sandbox.url}/sandbox/pushes/redeliver`, {})
    expect(sent.data).toEqual({ redelivered: 1 })
    expect(h.sandbox.pushes.map((p) => p.ok)).toEqual([false, true])

    answers = [500]
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    expect(h.sandbox.redeliveries).toHaveLength(1)
    h.sandbox.reset()
    expect(h.sandbox.redeliveries).toEqual([])
    h.clock.now += 60_000
    expect(await h.sandbox.redeliverDuePushes()).toBe(0)
  })

  it("re-delivers on its own timer once the sandbox clock says it is due", async () => {
    h = await startAcme({ redeliverySeconds: [60] })
    h.sandbox.setPushConfig(callbackUrl)
    answers = [500]
    h.sandbox.createOrder(7)
    await h.sandbox.flushPushes()
    h.clock.now += 60_000
    const deadline = Date.now() + 5000
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
    await h.sandbox.flushPushes()
    expect(received).toHaveLength(2)
    expect(h.sandbox.pushes.map((p) => [p.attempt, p.ok])).toEqual([
      [1, false],
      [2, true],
    ])
  })

  it("moves orders through the status table, each live change pushed with a strictly later update time", async () => {
    h = await startAcme()
    h.sandbox.setPushConfig(callbackUrl)
    const order = h.sandbox.createOrder(7)
    const created = order.update_time
    const moved = await axios.post(`${h.sandbox.url}/sandbox/orders/${order.id}/advance`, {})
    expect(moved.data.order).toMatchObject({ status: "PAID", update_time: created + 1 })
    await axios.post(`${h.sandbox.url}/sandbox/orders/${order.id}/advance`, {})
    await axios.post(`${h.sandbox.url}/sandbox/orders/${order.id}/advance`, {})
    expect(order).toMatchObject({ status: "DONE", update_time: created + 3, shipped_at: created + 2 })
    expect((await axios.post(`${h.sandbox.url}/sandbox/orders/${order.id}/advance`, {}, { validateStatus: () => true })).status).toBe(409)
    await h.sandbox.flushPushes()
    const statuses = received.map((r) => JSON.parse(r.body).payload).map((p) => [p.previous, p.status])
    expect(statuses).toEqual(expect.arrayContaining([[undefined, "NEW"], ["NEW", "PAID"], ["PAID", "SHIPPED"], ["SHIPPED", "DONE"]]))
    expect(received).toHaveLength(4)
  })
})

#!/usr/bin/env node
/**
 * The delivery process of bench:chaos (a marketplace is not inside our process). Forked with an IPC channel:
 * the bench sends `{ type: "targets", urls }` (the servers' webhook URLs), `{ type: "deliveries", items: [{ id,
 * body, headers }] }` and finally `{ type: "end" }`. Up to `concurrency` deliveries are in flight at once, each
 * to the next server in turn. A delivery that gets no answer or a 5xx (a server being killed) is sent again
 * to the next server after a short pause, as a marketplace re-delivers, until `deadlineMs` after it was first
 * sent; a 2xx acknowledges it, a 4xx rejects it. Each outcome goes back as `{ type: "result", id, status,
 * attempts }`; `{ type: "progress", queued, inFlight }` after each; `{ type: "done" }` when ended and idle.
 *
 * Input (JSON in argv[2]): { concurrency, deadlineMs }
 */
const http = require("http")

const cfg = JSON.parse(process.argv[2] || "{}")
const concurrency = cfg.concurrency || 16
const deadlineMs = cfg.deadlineMs || 120000
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 })
let targets = []
let next = 0
const queue = []
let inFlight = 0
let ended = false

function post(url, item) {
  return new Promise((resolve) => {
    const u = new URL(url)
    const req = http.request(u, { method: "POST", agent, headers: { ...item.headers, "content-length": Buffer.byteLength(item.body) } }, (res) => {
      res.resume()
      res.on("end", () => resolve(res.statusCode || 0))
      res.on("error", () => resolve(0))
    })
    req.setTimeout(15000, () => req.destroy(new Error("timeout")))
    req.on("error", () => resolve(0))
    req.end(item.body)
  })
}

async function deliver(item) {
  const started = Date.now()
  let attempts = 0
  for (;;) {
    attempts++
    const url = targets[next++ % targets.length]
    const status = await post(url, item)
    if ((status >= 200 && status < 500) || Date.now() - started > deadlineMs) return { status, attempts }
    await new Promise((r) => setTimeout(r, 250))
  }
}

function pump() {
  while (inFlight < concurrency && queue.length && targets.length) {
    const item = queue.shift()
    inFlight++
    deliver(item).then(({ status, attempts }) => {
      inFlight--
      process.send({ type: "result", id: item.id, status, attempts })
      process.send({ type: "progress", queued: queue.length, inFlight })
      pump()
    })
  }
  if (ended && !queue.length && !inFlight) {
    agent.destroy()
    process.send({ type: "done" }, () => process.exit(0))
  }
}

process.on("message", (m) => {
  if (m.type === "targets") targets = m.urls
  else if (m.type === "deliveries") queue.push(...m.items)
  else if (m.type === "end") ended = true
  pump()
})
process.on("disconnect", () => process.exit(0))

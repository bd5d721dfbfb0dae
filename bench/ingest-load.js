#!/usr/bin/env node
/**
 * The load generator of bench:ingest, in its own process so that sending requests never competes with the
 * server for the event loop (a marketplace is not inside our process either). Open loop: request i is sent
 * at t0 + i/rate whether or not earlier ones were answered. Prints one JSON line with the latencies.
 *
 * It signs nothing: the bench writes the platform's signed pushes (the driver's sandbox-side signing code) to
 * `pushesFile` before the load, `{ warmup: [{ body, headers }], pushes: [{ body, headers, order }] }`, and this
 * process only posts them, so a request costs the same whatever the platform's signature.
 *
 * Input (JSON in argv[2]): { url, rate, seconds, duplicates, pushesFile, warmup }, and for a burst (see
 * burst()): { burst: true, count, concurrency }.
 */
const fs = require("fs")
const http = require("http")
const { monitorEventLoopDelay, PerformanceObserver } = require("perf_hooks")

const cfg = JSON.parse(process.argv[2])
const signed = JSON.parse(fs.readFileSync(cfg.pushesFile, "utf8"))
// An idle socket is closed by us after 4 s, before the server's 5 s keep-alive timeout: otherwise a request
// can go out on a socket the server is closing at that moment (ECONNRESET, a client artifact).
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, timeout: 4000 })
const url = new URL(cfg.url)
const total = Math.round(cfg.rate * cfg.seconds)
const bodies = []
const results = []

/** Posts one signed push ({ body, headers }). */
function send(push) {
  const { body } = push
  return new Promise((resolve) => {
    const started = process.hrtime.bigint()
    const done = (status, timing) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status, ...timing })
    const req = http.request(url, {
      method: "POST",
      agent,
      headers: { ...push.headers, "content-length": Buffer.byteLength(body) },
    }, (res) => {
      res.resume()
      // The route's own time (Server-Timing: verify;dur=.., commit;dur=..): the rest is queueing and transport.
      const timing = {}
      for (const m of String(res.headers["server-timing"] || "").matchAll(/(\w+);dur=([\d.]+)/g)) timing[m[1]] = Number(m[2])
      res.on("end", () => done(res.statusCode || 0, timing))
    })
    req.on("error", (error) => done(0, { error: error.code || error.message }))
    req.end(body)
  })
}

/** Warm-up: the pushes for a shop that is not connected (stored as ignored, nothing to process), unrecorded. */
async function warmUp() {
  const sends = []
  const t0 = Date.now()
  for (let i = 0; i < signed.warmup.length; i++) {
    const wait = t0 + (i * 1000) / cfg.rate - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    sends.push(send(signed.warmup[i]))
  }
  await Promise.all(sends)
}

/**
 * A burst (`cfg.burst`): `cfg.count` deliveries of the signed pushes (each names its `order`), `cfg.concurrency`
 * in flight at once (closed loop, as fast as they are answered). Each order gets successive status messages with
 * distinct, increasing update times; a share `cfg.duplicates` of the deliveries re-sends an earlier push exactly.
 * Each result carries its order and its absolute send time, so the runner can tell when the order appeared.
 */
async function burst() {
  const queue = []
  for (let i = 0, k = 0; i < cfg.count; i++) {
    if (queue.length && Math.random() < cfg.duplicates) {
      queue.push(queue[Math.floor(Math.random() * queue.length)])
      continue
    }
    const push = signed.pushes[k++]
    bodies.push(push)
    queue.push(push)
  }
  const t0 = Date.now()
  let next = 0
  const worker = async () => {
    while (next < queue.length) {
      const push = queue[next++]
      const at = Date.now()
      results.push({ ...(await send(push)), sent: at - t0, at, order: push.order })
    }
  }
  await Promise.all(Array.from({ length: cfg.concurrency }, worker))
  const elapsed = (Date.now() - t0) / 1000
  agent.destroy()
  process.stdout.write(JSON.stringify({ elapsed, total: queue.length, distinct: bodies.length, results, client: { loop_max_ms: NaN, loop_p99_ms: NaN, gc_longest_ms: NaN } }) + "\n")
}

async function main() {
  await warmUp()
  if (cfg.burst) return burst()
  // This process's own stalls (event loop, GC) would show as server latency: measured and reported.
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const gc = []
  const gcObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => gc.push(e.duration)))
  gcObserver.observe({ entryTypes: ["gc"] })
  const pending = []
  const t0 = Date.now()
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / cfg.rate - Date.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    let push
    if (bodies.length && Math.random() < cfg.duplicates) {
      push = bodies[Math.floor(Math.random() * bodies.length)]
    } else {
      // The next distinct push: a later update time of the next order (after its own), a change to fetch.
      push = signed.pushes[bodies.length]
      bodies.push(push)
    }
    const sent = Date.now() - t0
    pending.push(send(push).then((r) => results.push({ ...r, sent })))
  }
  await Promise.all(pending)
  const elapsed = (Date.now() - t0) / 1000
  agent.destroy()
  loop.disable()
  gcObserver.disconnect()
  const client = { loop_max_ms: loop.max / 1e6, loop_p99_ms: loop.percentile(99) / 1e6, gc_longest_ms: Math.max(0, ...gc) }
  process.stdout.write(JSON.stringify({ elapsed, total, distinct: bodies.length, results, client }) + "\n")
}

main()

/**
 * Loaded with `node --require` into the Medusa process that answers the webhooks in bench:ingest: measures
 * that process's event-loop delay and garbage-collection pauses. The first SIGUSR2 starts a measurement, the
 * next one writes it as JSON to BENCH_PROBE_FILE. Nothing else: it changes no behaviour of the process.
 */
const { monitorEventLoopDelay, PerformanceObserver } = require("perf_hooks")
const { writeFileSync } = require("fs")

const file = process.env.BENCH_PROBE_FILE
if (file) {
  let loop = null
  let gc = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration)
  })
  process.on("SIGUSR2", () => {
    if (!loop) {
      gc = []
      loop = monitorEventLoopDelay({ resolution: 10 })
      loop.enable()
      observer.observe({ entryTypes: ["gc"] })
      return
    }
    loop.disable()
    observer.disconnect()
    writeFileSync(
      file,
      JSON.stringify({
        loop_p99_ms: loop.percentile(99) / 1e6,
        loop_max_ms: loop.max / 1e6,
        gc_count: gc.length,
        gc_total_ms: gc.reduce((a, b) => a + b, 0),
        gc_longest_ms: Math.max(0, ...gc),
      })
    )
    loop = null
  })
}

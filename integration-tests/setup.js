const { execFileSync } = require("child_process")
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// The Redis runs (REDIS_URL set) use two jest workers, like the other integration suites: each worker's apps get a
// Redis database of their own (12 + the worker's id), emptied before each spec file, so two apps booted at once
// never take each other's event, workflow or lock keys, and no spec finds the jobs an earlier one left.
if (process.env.REDIS_URL && process.env.JEST_WORKER_ID && process.env.TEST_TYPE === "integration:http") {
  const url = new URL(process.env.REDIS_URL)
  url.pathname = `/${12 + (Number(process.env.JEST_WORKER_ID) % 4)}`
  process.env.REDIS_URL = url.toString()
  execFileSync("redis-cli", ["-u", process.env.REDIS_URL, "flushdb"], { stdio: "ignore" })
}

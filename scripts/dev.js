#!/usr/bin/env node
/**
 * `npm run dev`: runs this repository's development app with the plugin loaded from ./src.
 * Creates the database when missing, runs the migrations, creates an admin user, then starts
 * `medusa develop` at http://localhost:9000/app.
 */
const { spawnSync, spawn } = require("child_process")
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")

const root = path.resolve(__dirname, "..")
const envFile = path.join(root, ".env")

function readEnvFile() {
  if (!fs.existsSync(envFile)) return {}
  return Object.fromEntries(
    fs
      .readFileSync(envFile, "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.trim().startsWith("#") && l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")).trim(), l.slice(l.indexOf("=") + 1).trim()])
  )
}

const fileEnv = readEnvFile()
const env = { ...fileEnv, ...process.env }

// A development key is generated once and kept in .env (git-ignored); production sets its own.
if (!env.MARKETPLACE_ENCRYPTION_KEY) {
  env.MARKETPLACE_ENCRYPTION_KEY = crypto.randomBytes(32).toString("base64")
  fs.appendFileSync(envFile, `MARKETPLACE_ENCRYPTION_KEY=${env.MARKETPLACE_ENCRYPTION_KEY}\n`)
  console.log("Generated a development MARKETPLACE_ENCRYPTION_KEY and saved it in .env")
}

const dbName = env.DB_NAME || "medusa_marketplace_dev"
env.DATABASE_URL = env.DATABASE_URL || `postgres://postgres@localhost:5432/${dbName}`
const email = env.MEDUSA_ADMIN_EMAIL || "admin@example.com"
const password = env.MEDUSA_ADMIN_PASSWORD || "supersecret"

const medusa = path.join(root, "node_modules", ".bin", "medusa")
function run(args, { allowFail = false, quiet = false } = {}) {
  const r = spawnSync(medusa, args, { cwd: root, env, stdio: quiet ? "pipe" : "inherit", encoding: "utf8" })
  if (r.status !== 0 && !allowFail) {
    if (quiet) process.stderr.write(`${r.stdout || ""}${r.stderr || ""}`)
    console.error(`medusa ${args.join(" ")} failed`)
    process.exit(r.status || 1)
  }
  return r
}

async function createDatabaseIfMissing() {
  const { Client } = require("pg")
  const url = new URL(env.DATABASE_URL)
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""))
  url.pathname = "/postgres"
  const client = new Client({ connectionString: url.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name])
    if (!rowCount) {
      await client.query(`create database "${name.replace(/"/g, '""')}"`)
      console.log(`Created the database ${name}`)
    }
  } finally {
    await client.end()
  }
}

async function main() {
console.log(`Database: ${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")}`)
await createDatabaseIfMissing()
run(["db:migrate"])
const user = run(["user", "-e", email, "-p", password], { allowFail: true, quiet: true })
if (user.status === 0) {
  console.log(`Created the admin user ${email}`)
}
console.log(`\nAdmin: http://localhost:9000/app  login: ${email} / ${password}\n`)

const child = spawn(medusa, ["develop"], { cwd: root, env, stdio: "inherit" })
const stop = (signal) => child.kill(signal)
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
child.on("exit", (code) => process.exit(code ?? 0))
}

main().catch((e) => {
  console.error(e.message)
  process.exit(1)
})

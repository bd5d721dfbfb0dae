import { execFile, spawn, type ChildProcess } from "child_process"
import crypto from "crypto"
import fs from "fs"
import net from "net"
import os from "os"
import path from "path"
import { promisify } from "util"
import { chromium, type Browser } from "playwright-core"

/**
 * The merchant's install path, as the README tells it: the packed plugin installed into a brand-new Medusa app
 * made here (its package.json and medusa-config.ts written by hand, as `create-medusa-app` would), with no
 * marketplace credentials and no fulfillment provider registered. The app must migrate, boot, let an admin log
 * in, and serve the plugin's Marketplaces page from the package, saying what is still to configure.
 *
 * The app's node_modules starts as a hard-linked copy of this repository's (the same locked Medusa versions), so that
 * `npm install` of the tarball works offline and in seconds; npm then reconciles the tree with the app's own
 * package.json (installing the plugin, removing what the app does not list).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require("../../scripts/demo-lib") as {
  root: string
  dropDatabase(databaseUrl: string): Promise<void>
  ensureDatabase(databaseUrl: string, options: { fresh?: boolean; log?: (msg: string) => void }): Promise<void>
  stopProcess(child: ChildProcess | undefined): Promise<void>
  waitForHttp(url: string, options: { timeoutMs?: number; child?: ChildProcess }): Promise<void>
}

const run = promisify(execFile)
const root = demo.root
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const ADMIN = { email: "installer@example.com", password: "install-check-password" }
const verbose = !!process.env.INSTALL_TEST_VERBOSE
const log = (msg: string) => verbose && process.stdout.write(`install: ${msg}\n`)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The version this repository has installed (its lock's), so the scratch app is what CI tests against. */
function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version
}

const APP_CONFIG = `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  plugins: [
    {
      resolve: "medusa-marketplace-sync",
      options: {
        encryptionKey: process.env.MARKETPLACE_ENCRYPTION_KEY,
        publicUrl: process.env.MARKETPLACE_PUBLIC_URL,
        providers: [
          {
            resolve: "medusa-marketplace-sync/providers/shopee",
            id: "shopee",
            options: {
              partnerId: process.env.SHOPEE_PARTNER_ID,
              partnerKey: process.env.SHOPEE_PARTNER_KEY,
              pushKey: process.env.SHOPEE_PUSH_KEY,
              baseUrl: process.env.SHOPEE_BASE_URL,
            },
          },
        ],
      },
    },
  ],
})
`

const APP_TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    declaration: false,
    sourceMap: false,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    strictNullChecks: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
}

describe("installing the packed plugin into a new Medusa app", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mms-install-"))
  const app = path.join(scratch, "app")
  const databaseUrl = `postgres://postgres@localhost:5432/mms_install_${process.pid}`
  const logFile = path.join(root, "tmp", "install-medusa.log")
  let env: NodeJS.ProcessEnv
  let medusa: ChildProcess | undefined
  let browser: Browser | undefined

  const medusaCli = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run(path.join(app, "node_modules", ".bin", "medusa"), args, {
        cwd: app,
        env,
        maxBuffer: 64 * 1024 * 1024,
      })
      return `${stdout}${stderr}`
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string }
      throw new Error(`medusa ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`)
    }
  }

  afterAll(async () => {
    await browser?.close().catch(() => undefined)
    await demo.stopProcess(medusa)
    await demo.dropDatabase(databaseUrl).catch(() => undefined)
    fs.rmSync(scratch, { recursive: true, force: true })
  }, 120000)

  it("migrates without marketplace credentials, boots, and serves the Marketplaces page from the package", async () => {
    if (!fs.existsSync(path.join(root, ".medusa", "server", "src", "admin", "index.mjs"))) {
      throw new Error("The plugin is not built: run `npm run build` before this suite")
    }
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`No chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`)
    }
    const started = Date.now()
    const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`

    // 1. The tarball a merchant would download.
    const { stdout: packed } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    })
    const [{ filename }] = JSON.parse(packed) as { filename: string }[]
    const tarball = path.join(scratch, filename)
    expect(fs.existsSync(tarball)).toBe(true)
    log(`packed ${filename} after ${elapsed()}`)

    // 2. A new app: the files create-medusa-app writes, with the plugin configured as the README shows.
    fs.mkdirSync(app, { recursive: true })
    const medusaVersion = installedVersion("@medusajs/medusa")
    const pkg = {
      name: "install-check-app",
      version: "0.0.1",
      private: true,
      scripts: { start: "medusa start" },
      dependencies: {
        "@medusajs/admin-sdk": installedVersion("@medusajs/admin-sdk"),
        "@medusajs/cli": installedVersion("@medusajs/cli"),
        "@medusajs/framework": installedVersion("@medusajs/framework"),
        "@medusajs/icons": installedVersion("@medusajs/icons"),
        "@medusajs/medusa": medusaVersion,
        "@medusajs/ui": installedVersion("@medusajs/ui"),
        "medusa-marketplace-sync": `file:${tarball}`,
        react: installedVersion("react"),
        "react-dom": installedVersion("react-dom"),
        "react-router-dom": installedVersion("react-router-dom"),
      },
      devDependencies: {
        "@swc/core": installedVersion("@swc/core"),
        "@types/node": installedVersion("@types/node"),
        "ts-node": installedVersion("ts-node"),
        typescript: installedVersion("typescript"),
        vite: installedVersion("vite"),
      },
      engines: { node: ">=20" },
    }
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(pkg, null, 2))
    fs.writeFileSync(path.join(app, "medusa-config.ts"), APP_CONFIG)
    fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(APP_TSCONFIG, null, 2))

    // 3. npm install of the tarball, offline, over the same locked Medusa packages. The copy is made of hard links
    // (a full copy takes minutes on a busy machine); npm only adds and removes packages and writes its own
    // lockfiles afresh, so the repository's files are never written through them. The hidden lockfile is
    // unlinked first for that reason, and install scripts are off: the packages kept already ran theirs and the
    // plugin has none.
    await run("cp", ["-al", `${fs.realpathSync(path.join(root, "node_modules"))}/.`, path.join(app, "node_modules")])
    fs.rmSync(path.join(app, "node_modules", ".package-lock.json"), { force: true })
    log(`node_modules linked after ${elapsed()}`)
    await run("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: app,
      maxBuffer: 64 * 1024 * 1024,
    })
    const installed = JSON.parse(
      fs.readFileSync(path.join(app, "node_modules", "medusa-marketplace-sync", "package.json"), "utf8")
    )
    expect(installed.name).toBe("medusa-marketplace-sync")
    expect(fs.lstatSync(path.join(app, "node_modules", "medusa-marketplace-sync")).isSymbolicLink()).toBe(false)
    expect(fs.existsSync(path.join(app, "node_modules", "medusa-marketplace-sync", "sandbox"))).toBe(false)
    log(`tarball installed after ${elapsed()}`)

    // 4. Migrate a fresh database and create the admin user, with no marketplace credentials at all.
    const port = await freePort()
    const origin = `http://localhost:${port}`
    env = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => !/^(SHOPEE_|MARKETPLACE_|DB_|REDIS_URL$|DATABASE_URL$|TEST_TYPE$|NODE_OPTIONS$|JEST_)/.test(k)
        )
      ),
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      MARKETPLACE_ENCRYPTION_KEY: crypto.randomBytes(32).toString("base64"),
      MARKETPLACE_PUBLIC_URL: origin,
      STORE_CORS: "http://localhost:8000",
      ADMIN_CORS: origin,
      AUTH_CORS: origin,
      PORT: String(port),
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: "info",
    }
    await demo.ensureDatabase(databaseUrl, { fresh: true, log })
    // Before the provider was left out, this stopped at `Shopee provider: option "partnerId" is required`.
    const migrated = await medusaCli(["db:migrate"])
    expect(migrated).not.toContain('option "partnerId" is required')
    await medusaCli(["user", "-e", ADMIN.email, "-p", ADMIN.password])
    log(`migrated and admin user created after ${elapsed()}`)

    // 5. Boot `medusa start` (NODE_ENV=development: the admin is compiled on first load from the package).
    fs.mkdirSync(path.dirname(logFile), { recursive: true })
    const out = fs.openSync(logFile, "w")
    medusa = spawn(path.join(app, "node_modules", ".bin", "medusa"), ["start", "--port", String(port)], {
      cwd: app,
      env,
      stdio: ["ignore", out, out],
      detached: true,
    })
    await demo.waitForHttp(`${origin}/health`, { child: medusa, timeoutMs: 180000 })
    const warnings = fs.readFileSync(logFile, "utf8").split("\n").filter((l) => l.includes("SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY"))
    expect(warnings).toHaveLength(1)
    log(`medusa answers after ${elapsed()}`)

    // 6. Log in with Chromium and open the Marketplaces page.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] })
    const page = await browser.newPage({ baseURL: origin, viewport: { width: 1440, height: 900 } })
    // The first load compiles the admin with the plugin's screens from the package (Vite).
    page.setDefaultTimeout(240000)
    page.setDefaultNavigationTimeout(300000)
    await page.goto("/app/login")
    await page.locator('input[name="email"]').fill(ADMIN.email)
    await page.locator('input[name="password"]').fill(ADMIN.password)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL((url) => !url.pathname.includes("/login"))
    await page.goto("/app/marketplaces")
    const notice = page.getByTestId("marketplace-not-configured")
    const shots = path.join(root, "screenshots", "install")
    fs.mkdirSync(shots, { recursive: true })
    await notice.waitFor().catch(async (error: Error) => {
      await page.screenshot({ path: path.join(shots, "00-failed.png"), fullPage: true }).catch(() => undefined)
      throw new Error(`${error.message}\nPage at ${page.url()}: ${(await page.locator("body").innerText().catch(() => "")).slice(0, 2000)}`)
    })
    expect(await notice.textContent()).toContain("SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY")
    const fulfillment = page.getByTestId("fulfillment-provider-missing")
    await fulfillment.waitFor()
    expect(await fulfillment.textContent()).toContain("medusa-marketplace-sync/providers/marketplace-fulfillment")
    await page.screenshot({ path: path.join(shots, "01-marketplaces-not-configured.png"), fullPage: true })

    const providers = await page.request.get("/admin/marketplace/providers")
    expect(providers.status()).toBe(200)
    expect(await providers.json()).toEqual(
      expect.objectContaining({
        providers: [],
        count: 0,
        unconfigured: [expect.objectContaining({ id: "shopee", missing_env: ["SHOPEE_PARTNER_ID", "SHOPEE_PARTNER_KEY"] })],
        fulfillment: expect.objectContaining({ registered: false }),
      })
    )
    log(`done after ${elapsed()}`)
  }, 1200000)
})

import fs from "fs"
import net from "net"
import path from "path"
import { chromium, type Browser, type Locator, type Page } from "playwright-core"
import { demoListings, demoShopsOf, type DemoShop } from "../../sandbox/demo-shops"
import { drivers, type SandboxDriver } from "../platforms"

// The demo's preparation (database, admin user, seeded store) and process handling, shared with `npm run demo`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const demo = require("../../scripts/demo-lib") as {
  root: string
  loadEnv(options?: { log?: (msg: string) => void }): Record<string, string>
  migrateDatabase(env: Record<string, string>, options: { fresh?: boolean; log?: (msg: string) => void }): Promise<void>
  seedDemoData(
    env: Record<string, string>,
    options: { email: string; password: string; log?: (msg: string) => void }
  ): Promise<void>
  dropDatabase(databaseUrl: string): Promise<void>
  appEnv(env: Record<string, string>, options: { port: number; providers: Record<string, string> }): Record<string, string>
  startMedusaProcess(options: { env: Record<string, string>; port: number; logFile?: string }): import("child_process").ChildProcess
  stopProcess(child: import("child_process").ChildProcess | undefined): Promise<void>
  waitForHttp(url: string, options: { timeoutMs?: number; child?: import("child_process").ChildProcess }): Promise<void>
}

export const ADMIN = { email: "admin@example.com", password: "supersecret" }
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

/**
 * The platforms the browser suite runs for: the drivers of TEST_PLATFORMS (default shopee), one stack each, as
 * `describe.each(browserDrivers())(...)`.
 */
export function browserDrivers(): [string, SandboxDriver][] {
  return drivers().map((driver) => [driver.displayName, driver])
}

export interface BrowserStack {
  baseUrl: string
  /** The platform's sandbox, started for the stack and pushing to the app. */
  driver: SandboxDriver
  /**
   * The platform's first demo shop (sandbox/demo-shops.ts), created in the sandbox with its listings: the shop the
   * tests connect, with the sales channel the demo store has for it.
   */
  shop: DemoShop
  browser: Browser
  page: Page
  logFile: string
}

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

/**
 * The whole stack a merchant sees, started for one platform (call it inside that platform's describe): the
 * platform's sandbox through its driver (in this process, with the platform's demo shop and its listings, pushing
 * to the app), a fresh database prepared exactly as `npm run demo` prepares it, Medusa with the plugin pointed at
 * the sandbox (a child process; its log in tmp/), and a headless chromium page.
 */
export function useBrowserStack(name: string, driver: SandboxDriver): () => BrowserStack {
  let stack: BrowserStack | undefined
  let medusa: import("child_process").ChildProcess | undefined
  let databaseUrl: string | undefined
  const log = process.env.BROWSER_TEST_VERBOSE ? (msg: string) => process.stdout.write(`${msg}\n`) : () => undefined

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`No chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`)
    }
    const started = Date.now()
    const port = await freePort()
    const baseUrl = `http://localhost:${port}`
    const shop = demoShopsOf(driver.platform)[0]
    if (!shop) throw new Error(`No demo shop for ${driver.platform} in sandbox/demo-shops.ts`)
    // The driver points the app's provider at the sandbox through the environment medusa-config.ts reads.
    await driver.start()
    driver.createShop({ id: shop.id, name: shop.name, country: shop.region })
    driver.createListings(shop.id, demoListings(shop))
    driver.setPushTarget(`${baseUrl}${driver.webhookPath}`)
    driver.setAppRedirectUrl(`${baseUrl}/app/marketplaces/oauth/${driver.platform}`)

    const env = demo.loadEnv({ log })
    const label = `${name}_${driver.platform}`.replace(/\W+/g, "_")
    databaseUrl = `postgres://postgres@localhost:5432/mms_browser_${label}_${process.pid}`
    // The driver's variables are in the environment already: no provider is added.
    // The admin's Vite dependency cache of this stack's own: another app optimizing a shared one breaks its pages.
    const viteCache = path.join(demo.root, "tmp", `vite-${label}`)
    const appEnv = demo.appEnv(
      { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info", ADMIN_VITE_CACHE_DIR: viteCache },
      { port, providers: {} }
    )
    await demo.migrateDatabase(appEnv, { fresh: true, log })
    log(`browser stack: database migrated after ${Math.round((Date.now() - started) / 1000)} s`)

    // The server boots while the admin user and the store are seeded (as `npm run demo` prepares them).
    const logDir = path.join(demo.root, "tmp")
    fs.mkdirSync(logDir, { recursive: true })
    const logFile = path.join(logDir, `browser-${name}-${driver.platform}-medusa.log`)
    fs.writeFileSync(logFile, "")
    medusa = demo.startMedusaProcess({ env: appEnv, port, logFile })
    await Promise.all([
      demo.seedDemoData(appEnv, { ...ADMIN, log }),
      demo.waitForHttp(`${baseUrl}/health`, { child: medusa, timeoutMs: 180000 }),
    ])
    log(`browser stack: store seeded and Medusa answers after ${Math.round((Date.now() - started) / 1000)} s`)

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] })
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    // The admin's own errors, for a screen that does not show: beside the Medusa log.
    const consoleLog = path.join(logDir, `browser-${name}-${driver.platform}-console.log`)
    fs.writeFileSync(consoleLog, "")
    page.on("pageerror", (error) => fs.appendFileSync(consoleLog, `pageerror ${page.url()}: ${error.stack ?? error.message}\n`))
    page.on("console", (message) => {
      if (message.type() === "error") fs.appendFileSync(consoleLog, `console ${page.url()}: ${message.text()}\n`)
    })
    page.setDefaultTimeout(60000)
    page.setDefaultNavigationTimeout(120000)
    stack = { baseUrl, driver, shop, browser, page, logFile }
  }, 600000)

  afterAll(async () => {
    await stack?.browser.close().catch(() => undefined)
    await demo.stopProcess(medusa)
    await driver.stop()
    if (databaseUrl) await demo.dropDatabase(databaseUrl).catch(() => undefined)
  }, 60000)

  return () => {
    if (!stack) throw new Error("The browser stack is not started")
    return stack
  }
}

function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
}

/**
 * Screenshots of the current test into `screenshots/<test name>/NN-<step>.png`, numbered in order. The folder is
 * emptied when a test takes its first screenshot, so it shows the last run only.
 */
export function screenshots(page: () => Page) {
  const counters = new Map<string, number>()
  return async (step: string): Promise<void> => {
    const test = expect.getState().currentTestName ?? "unnamed"
    const dir = path.join(demo.root, "screenshots", slug(test))
    const n = (counters.get(dir) ?? 0) + 1
    if (n === 1) fs.rmSync(dir, { recursive: true, force: true })
    counters.set(dir, n)
    fs.mkdirSync(dir, { recursive: true })
    await page().screenshot({ path: path.join(dir, `${String(n).padStart(2, "0")}-${slug(step)}.png`), fullPage: true })
  }
}

/** Waits until the locator's trimmed text is `expected` (the monitor refetches on its own every 3 s). */
export async function waitForText(locator: Locator, expected: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: string | null = null
  while (Date.now() < deadline) {
    last = (await locator.first().textContent({ timeout: 5000 }).catch(() => null))?.trim() ?? null
    if (last === expected) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`Timed out waiting for "${expected}" (last text: ${JSON.stringify(last)})`)
}

/** The admin API with the browser's session cookie: for reading what the screens should show. */
export async function adminApi<T = Record<string, any>>(
  page: Page,
  method: "GET" | "POST",
  route: string,
  body?: unknown
): Promise<T> {
  const response =
    method === "GET" ? await page.request.get(route) : await page.request.post(route, { data: body ?? {} })
  if (!response.ok()) throw new Error(`${method} ${route}: ${response.status()} ${await response.text()}`)
  return (await response.json()) as T
}

/** Polls `check` until it returns a truthy value or the time is up. */
export async function poll<T>(check: () => Promise<T>, what: string, timeoutMs = 60000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  while (Date.now() < deadline) {
    last = await check()
    if (last) return last as NonNullable<T>
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`)
}

/** Logs the admin user in through the login form; the browser's session then serves the admin API too. */
export async function logIn(page: Page): Promise<void> {
  // The first page of a fresh app waits for the admin bundle to be built (minutes on a busy machine).
  await page.goto("/app/login", { timeout: 420000 })
  await page.locator('input[name="email"]').waitFor({ timeout: 300000 })
  await page.fill('input[name="email"]', ADMIN.email)
  await page.fill('input[name="password"]', ADMIN.password)
  await page.click('button[type="submit"]')
  await page.waitForURL(/\/app\/orders/)
}

/**
 * Connects the stack's demo shop the way a merchant does (Connect shop, the marketplace's authorization page,
 * back to the connection page) and returns the connection id. `shot` is called at each step.
 */
export async function connectDemoShop(
  page: Page,
  { driver, shop }: Pick<BrowserStack, "driver" | "shop">,
  shot: (step: string) => Promise<void> = async () => undefined
): Promise<string> {
  await page.goto("/app/marketplaces")
  await page.getByTestId("connect-shop").click()
  const choice = page.getByTestId(`connect-platform-${driver.platform}`)
  await choice.waitFor()
  await shot("choose-platform")
  await choice.click()
  const authorizePath = new URL(driver.authorizeUrlPrefix).pathname
  await page.waitForURL((url) => url.pathname === authorizePath)
  await shot("sandbox-authorize")
  await page.locator(driver.authorizeLinkSelector(shop.id)).click()
  await page.waitForURL(/\/app\/marketplaces\/mpcon_[A-Za-z0-9]+$/)
  return page.url().split("/").pop() as string
}

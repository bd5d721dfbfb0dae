import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { mutate, pick, seededRandom, type Random } from "../helpers/json-fuzz"
import { connectDriverShop, seedStore } from "../helpers/store"
import { drivers, useSandbox, type DriverPush, type SandboxDriver } from "../platforms"

jest.setTimeout(240000)

/** FUZZ_SEED replays a run; FUZZ_CASES makes it longer (a few thousand by default, well under a minute). */
const SEED = Number(process.env.FUZZ_SEED || 15_2026)
const CASES = Number(process.env.FUZZ_CASES || 2000)
const CONCURRENCY = 8
/** A shop the sandbox knows nothing of and the app has not connected: its messages are kept, never processed. */
const STRANGER_SHOP = "9900000001"

type Case = {
  name: string
  push: DriverPush
  /** Signed with the platform's key over this exact body. */
  signed: boolean
  /** A valid message for the connected shop: it must be stored once and processed. */
  legitimate: boolean
}

/** What the platform might send, and what an attacker or a broken proxy might: signed and unsigned. */
function generateCases(random: Random, driver: SandboxDriver, hookUrl: string, shopId: string, orderIds: string[]): Case[] {
  const now = Math.floor(Date.now() / 1000)
  const cases: Case[] = []
  const legitimate = orderIds.map((orderId, i) => ({
    name: `legitimate ${orderId}`,
    push: driver.orderStatusPush(hookUrl, { shopId, orderId, status: "paid", time: now - i }),
    signed: true,
    legitimate: true,
  }))
  cases.push(...legitimate)
  const templates = (i: number): DriverPush[] => [
    driver.orderStatusPush(hookUrl, { shopId: STRANGER_SHOP, orderId: `FZ${i}`, status: "paid", time: now - (i % 600) }),
    driver.returnStatusPush(hookUrl, { shopId: STRANGER_SHOP, orderId: `FZ${i}`, returnId: `RF${i}`, status: "requested", time: now }),
    driver.unsupportedPush(hookUrl, { shopId: STRANGER_SHOP, time: now - (i % 900) }),
    driver.deauthorizationPush(hookUrl, { shopId: STRANGER_SHOP, time: now - (i % 300) }),
    driver.shoplessPush(hookUrl, { orderId: `FZ${i}`, time: now }),
  ]
  while (cases.length < CASES) {
    const i = cases.length
    const roll = random()
    if (roll < 0.05) {
      // A platform re-delivery of a message already sent: the same bytes, the same signature.
      const again = pick(random, legitimate)
      cases.push({ ...again, name: `re-delivery of ${again.name}` })
      continue
    }
    const template = pick(random, templates(i))
    const mutation = roll < 0.1 ? { kind: "template", body: template.body, contentType: "application/json" } : mutate(random, template.body)
    const signed = driver.sign(hookUrl, mutation.body)
    const headers: Record<string, string> = { ...signed.headers }
    if (mutation.contentType) headers["content-type"] = mutation.contentType
    else delete headers["content-type"]
    if (random() < 0.3) {
      // Unsigned: no signature, an empty or made-up one, another body's, another URL's.
      const other = pick(random, [
        null,
        "",
        "0".repeat(64),
        driver.sign(hookUrl, `${mutation.body} `),
        driver.sign("https://elsewhere.example/hook", mutation.body),
      ])
      for (const name of Object.keys(signed.headers).filter((n) => n.toLowerCase() !== "content-type")) {
        if (other === null) delete headers[name]
        else headers[name] = typeof other === "string" ? other : other.headers[name]
      }
      cases.push({ name: `unsigned ${mutation.kind}`, push: { body: mutation.body, headers }, signed: false, legitimate: false })
      continue
    }
    cases.push({ name: `signed ${mutation.kind}`, push: { body: mutation.body, headers }, signed: true, legitimate: false })
  }
  return cases
}

describe.each(drivers())("$displayName webhook fuzz", (driver) => {
  useSandbox(driver)

  medusaIntegrationTestRunner({
    testSuite: ({ api, getContainer }) => {
      let container: MedusaContainer
      let marketplace: MarketplaceModuleService

      beforeEach(async () => {
        container = getContainer()
        marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
        driver.reset()
        driver.setPushTarget(null)
      })

      it(`${CASES} seeded hostile deliveries: never a 5xx, unsigned ones 401 and unstored, the inbox holds exactly what was acknowledged`, async () => {
        const store = await seedStore(container, ["MUG-01"])
        const { shop_id: shopId } = await connectDriverShop(container, driver, store)
        driver.createListings(shopId, [{ name: "Mug", sku: "MUG-01", price: 12, stock: 500 }])
        const orders = driver.createOrders(shopId, { count: 5, status: "paid", items: [{ sku: "MUG-01", quantity: 1 }] })
        const hookUrl = `${api.defaults.baseURL}${driver.webhookPath}`
        const cases = generateCases(seededRandom(SEED), driver, hookUrl, shopId, orders.map((o) => o.id))

        const answers: number[] = new Array(cases.length)
        let next = 0
        const started = Date.now()
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < cases.length) {
              const i = next++
              const { body, headers } = cases[i].push
              const answer = await api
                .post(driver.webhookPath, body, { headers, transformRequest: [(data: unknown) => data], validateStatus: () => true })
              answers[i] = answer.status
            }
          })
        )
        const seconds = (Date.now() - started) / 1000

        const failures = cases.map((c, i) => ({ name: c.name, status: answers[i], body: c.push.body.slice(0, 200) }))
        // Never a 5xx: a platform retries those and disables endpoints that keep failing.
        expect(failures.filter((f) => f.status >= 500)).toEqual([])
        // Unsigned: refused, whatever the body.
        expect(failures.filter((f, i) => !cases[i].signed && f.status !== 401)).toEqual([])
        // Signed: acknowledged (stored) or refused as malformed; never refused as unsigned.
        expect(failures.filter((f, i) => cases[i].signed && ![200, 400, 413].includes(f.status))).toEqual([])

        const rows = await marketplace.listMarketplaceEvents({}, { take: null })
        const acknowledged = new Set(cases.filter((_c, i) => answers[i] === 200).map((c) => c.push.body))
        const refused = new Set(cases.filter((_c, i) => answers[i] !== 200).map((c) => c.push.body))
        // Exactly what was acknowledged: no row from a refused body, each body at most once...
        expect(rows.filter((r) => !acknowledged.has(r.raw_body as string)).map((r) => r.raw_body)).toEqual([])
        expect(rows.filter((r) => refused.has(r.raw_body as string) && !acknowledged.has(r.raw_body as string))).toEqual([])
        expect(new Set(rows.map((r) => r.raw_body)).size).toBe(rows.length)
        // ...each legitimate message once, for processing; everything else kept as ignored, with its reason.
        for (const legit of cases.filter((c) => c.legitimate)) {
          const mine = rows.filter((r) => r.raw_body === legit.push.body)
          expect(mine).toHaveLength(1)
          expect(mine[0].status).not.toBe("ignored")
        }
        const others = rows.filter((r) => !cases.some((c) => c.legitimate && c.push.body === r.raw_body))
        expect(others.filter((r) => r.status !== "ignored" || !r.last_error)).toEqual([])
        // Every distinct acknowledged body that is a new message has its row: the rest repeat a stored message.
        expect(rows.length).toBeLessThanOrEqual(acknowledged.size)
        expect(others.length).toBeGreaterThan(CASES / 10)

        const counts = answers.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {})
        // eslint-disable-next-line no-console
        console.log(`webhook fuzz seed=${SEED}: ${cases.length} cases in ${seconds.toFixed(1)} s, answers ${JSON.stringify(counts)}, ${rows.length} rows`)
      })
    },
  })
})

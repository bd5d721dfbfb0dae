import { lazadaDriver } from "./lazada/driver"
import { shopeeDriver } from "./shopee/driver"
import { tiktokShopDriver } from "./tiktok-shop/driver"
import type { SandboxDriver } from "./types"

export type * from "./types"

const REGISTRY: Record<string, () => SandboxDriver> = {
  shopee: shopeeDriver,
  "tiktok-shop": tiktokShopDriver,
  lazada: lazadaDriver,
}

/**
 * The drivers of the platforms named in `TEST_PLATFORMS` (comma-separated, default `shopee`), for
 * `describe.each(drivers())`: a spec that tests behaviour all platforms share runs once per driver, each with its
 * own sandbox and its own Medusa app. A new platform adds its driver to the registry. Each call builds fresh
 * drivers, so a spec file owns its sandboxes.
 */
export function drivers(): SandboxDriver[] {
  const wanted = (process.env.TEST_PLATFORMS ?? "shopee").split(",").map((p) => p.trim()).filter(Boolean)
  return wanted.map((p) => driverFor(p, "TEST_PLATFORMS entry"))
}

/**
 * A fresh driver of one platform by its id (a bench's `--platform`); an unknown id is refused with the known ones.
 * `what` names where the id came from, for that error.
 */
export function driverFor(platform = "shopee", what = "platform"): SandboxDriver {
  const make = REGISTRY[platform]
  if (!make) throw new Error(`Unknown ${what} "${platform}" (known: ${Object.keys(REGISTRY).join(", ")})`)
  return make()
}

/**
 * Starts the driver's sandbox before the Medusa app boots (call it before `medusaIntegrationTestRunner`, in the
 * same describe) so that the app's provider points at it, and stops it afterwards.
 */
export function useSandbox(driver: SandboxDriver): SandboxDriver {
  beforeAll(async () => {
    await driver.start()
  })
  afterAll(async () => {
    await driver.stop()
  })
  return driver
}

/** A describe block for a feature only `platform` has: it runs under that platform's driver only. */
export function describeFor(platform: string, driver: SandboxDriver): jest.Describe {
  return driver.platform === platform ? describe : describe.skip
}

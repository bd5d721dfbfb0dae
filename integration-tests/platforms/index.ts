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
  return wanted.map((p) => { const make = REGISTRY[p]; if (!make) throw new Error(`Unknown TEST_PLATFORMS entry "${p}"`); return make() })
}

/**
 * The driver of one platform (a bench's `--platform`, default `shopee`); an unknown name throws with the known ones.
 */
export function driverFor(platform = "shopee"): SandboxDriver {
  const make = REGISTRY[platform]
  if (!make) throw new Error(`Unknown platform "${platform}": one of ${Object.keys(REGISTRY).join(", ")}`)
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

import { createMedusaContainer } from "@medusajs/framework/utils"
import { asValue } from "@medusajs/framework/awilix"
import { ShopeeProvider } from ".."
import type { ProviderRegistry } from "../../../modules/marketplace/services/provider-registry"
import providersLoader, { PROVIDER_REGISTRY_KEY } from "../../../modules/marketplace/loaders/providers"

const KEY = Buffer.alloc(32, 7).toString("base64")

async function load(options: Record<string, unknown>) {
  const container = createMedusaContainer()
  const warnings: string[] = []
  container.register(
    "logger",
    asValue({ warn: (m: string) => warnings.push(m), info: () => {}, error: () => {}, debug: () => {} })
  )
  await providersLoader({
    container,
    options: { encryptionKey: KEY, providers: [{ resolve: ShopeeProvider, id: "shopee", options }] },
  } as unknown as Parameters<typeof providersLoader>[0])
  return { registry: container.resolve<ProviderRegistry>(PROVIDER_REGISTRY_KEY), warnings }
}

describe("marketplace providers loader", () => {
  it("leaves out a provider whose required options are absent, with one warning naming the env vars", async () => {
    const { registry, warnings } = await load({ partnerId: undefined, partnerKey: "", baseUrl: undefined })

    expect(registry.has("shopee")).toBe(false)
    expect(registry.list()).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain("SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY")
    expect(warnings[0]).toContain("not registered")
    expect(registry.unconfigured()).toEqual([
      expect.objectContaining({
        id: "shopee",
        display_name: "Shopee",
        missing_options: ["partnerId", "partnerKey"],
        missing_env: ["SHOPEE_PARTNER_ID", "SHOPEE_PARTNER_KEY"],
      }),
    ])
  })

  it("names only the option that is missing", async () => {
    const { registry, warnings } = await load({ partnerId: "100001" })

    expect(registry.has("shopee")).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain("set SHOPEE_PARTNER_KEY ")
    expect(warnings[0]).not.toContain("SHOPEE_PARTNER_ID")
    expect(registry.unconfigured()[0].missing_env).toEqual(["SHOPEE_PARTNER_KEY"])
  })

  it("still refuses options that are present but invalid", async () => {
    await expect(load({ partnerId: "not-a-number", partnerKey: "key" })).rejects.toThrow(
      'option "partnerId" must be a number (SHOPEE_PARTNER_ID)'
    )
    await expect(load({ partnerId: "100001", partnerKey: "key", baseUrl: "ftp://x" })).rejects.toThrow(
      'option "baseUrl" must be an http(s) URL'
    )
  })

  it("registers a provider whose required options are set, without a warning", async () => {
    const { registry, warnings } = await load({ partnerId: "100001", partnerKey: "key" })

    expect(registry.list()).toEqual([expect.objectContaining({ id: "shopee", display_name: "Shopee" })])
    expect(registry.unconfigured()).toEqual([])
    expect(warnings).toEqual([])
  })
})

describe("marketplace providers loader: the inbox retention and the webhooks' replay window", () => {
  const loadWith = (eventRetentionDays: number) =>
    providersLoader({
      container: createMedusaContainer(),
      options: {
        encryptionKey: KEY,
        eventRetentionDays,
        providers: [{ resolve: ShopeeProvider, id: "shopee", options: { partnerId: 1, partnerKey: "k" } }],
      },
    } as unknown as Parameters<typeof providersLoader>[0])

  it("refuses to start when dedupe rows would be deleted before the platform stops re-delivering", async () => {
    // Shopee re-delivers for 300 + 1800 + 10800 s; the window adds an hour: 16,500 s, about 0.19 days.
    await expect(loadWith(0.1)).rejects.toThrow(/eventRetentionDays \(0\.1\).*"shopee" webhooks' replay window \(16500 s/)
  })

  it("starts when the retention covers the window", async () => {
    await expect(loadWith(0.2)).resolves.toBeUndefined()
  })
})

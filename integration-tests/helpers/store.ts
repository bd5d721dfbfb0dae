import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import type MarketplaceModuleService from "../../src/modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../src/modules/marketplace/types"
import { defaultShippingProfile } from "../../src/workflows/shipping/utils/shipping-profile"
import { updateConnectionWorkflow } from "../../src/workflows/connections/workflows/update-connection"
import type { DriverListing, DriverListingInput, SandboxDriver } from "../platforms/types"

export type SeededStore = {
  region_id: string
  sales_channel_id: string
  stock_location_id: string
  variants: Record<string, { id: string; inventory_item_id: string }>
}

/** A Singapore store: SGD region, a sales channel and a stock location, products with these SKUs in stock. */
export async function seedStore(
  container: MedusaContainer,
  skus: string[],
  { stock = 100, country = "sg", currency = "sgd" }: { stock?: number; country?: string; currency?: string } = {}
): Promise<SeededStore> {
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: country === "sg" ? "Singapore" : country.toUpperCase(), currency_code: currency, countries: [country] }] },
  })
  const {
    result: [channel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Shopee SG" }] },
  })
  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({ input: { locations: [{ name: "SG warehouse" }] } })
  await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [channel.id] } })

  await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          // A second store in one test (another country) gets its own catalogue.
          title: country === "sg" ? "Catalogue" : `Catalogue ${country.toUpperCase()}`,
          status: "published",
          options: [{ title: "SKU", values: skus }],
          sales_channels: [{ id: channel.id }],
          variants: skus.map((sku) => ({
            title: sku,
            sku,
            manage_inventory: true,
            options: { SKU: sku },
            prices: [{ amount: 10, currency_code: currency }],
          })),
        },
      ],
    },
  })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "inventory_items.inventory_item_id"],
    filters: { sku: skus },
  })
  const variants: SeededStore["variants"] = {}
  for (const v of data as unknown as { id: string; sku: string; inventory_items: { inventory_item_id: string }[] }[]) {
    variants[v.sku] = { id: v.id, inventory_item_id: v.inventory_items[0].inventory_item_id }
  }
  await createInventoryLevelsWorkflow(container).run({
    input: {
      inventory_levels: Object.values(variants).map((v) => ({
        inventory_item_id: v.inventory_item_id,
        location_id: location.id,
        stocked_quantity: stock,
      })),
    },
  })
  return { region_id: region.id, sales_channel_id: channel.id, stock_location_id: location.id, variants }
}

/**
 * A connection to a sandbox shop with tokens the sandbox issued, pointed at the seeded store: what the OAuth
 * callback leaves behind, without the round trip. Its scheduled pull is made not due (the app's cron jobs run
 * during tests), so that tests decide when to pull.
 */
export async function connectShop(
  container: MedusaContainer,
  input: {
    platform: string
    shop: { id: string; name: string; metadata?: Record<string, unknown> }
    tokens: { access_token: string; refresh_token: string; expires_in_seconds: number }
    store: SeededStore | null
    settings?: Record<string, unknown>
  }
): Promise<{ connection_id: string }> {
  const { platform, shop, tokens, store, settings } = input
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.createConnections({
    platform,
    external_shop_id: shop.id,
    name: shop.name,
    shop_region: "SG",
    currency_code: "sgd",
    authorized_at: new Date(),
    last_pull_at: new Date(),
    settings: { pull_interval_minutes: 1440 },
    ...(shop.metadata ? { metadata: shop.metadata } : {}),
  })
  await marketplace.storeCredentials(connection.id, {
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    access_token_expires_at: new Date(Date.now() + tokens.expires_in_seconds * 1000),
  })
  if (store || settings) {
    await updateConnectionWorkflow(container).run({
      input: {
        id: connection.id,
        ...(store
          ? {
              sales_channel_id: store.sales_channel_id,
              stock_location_id: store.stock_location_id,
              region_id: store.region_id,
            }
          : {}),
        settings,
      },
    })
  }
  return { connection_id: connection.id }
}

/** A new shop in the driver's sandbox, connected to the seeded store (see connectShop). */
export async function connectDriverShop(
  container: MedusaContainer,
  driver: SandboxDriver,
  store: SeededStore | null,
  { shopId, settings, country }: { shopId?: string; settings?: Record<string, unknown>; country?: string } = {}
): Promise<{ connection_id: string; shop_id: string }> {
  const shop = driver.createShop({ id: shopId, name: "Sandbox shop", country })
  const { connection_id } = await connectShop(container, { platform: driver.platform, shop, tokens: driver.issueTokens(shop.id), store, settings })
  return { connection_id, shop_id: shop.id }
}

/** What setUpDriverStore leaves for a test: the app, the seeded store and a connected sandbox shop. */
export type DriverStore = {
  container: MedusaContainer
  marketplace: MarketplaceModuleService
  store: SeededStore
  connectionId: string
  shopId: string
  /** The shop's listings, as `listings` created them. */
  listings: DriverListing[]
}

/**
 * The set-up most HTTP specs run before each test, after `describe.each(drivers())`: a fresh sandbox (the
 * driver reset), a store with these SKUs in stock, optionally on the default shipping profile, a connected
 * sandbox shop and its listings. Assign the result to the spec's own variables in its `beforeEach`.
 *
 * @example
 * ;({ container, marketplace, store, connectionId, shopId } = await setUpDriverStore(getContainer(), driver, {
 *   skus: SKUS, stock: 50, listings: [{ name: "Mug", sku: "MUG-01", price: 12, stock: 40 }],
 * }))
 */
export async function setUpDriverStore(
  container: MedusaContainer,
  driver: SandboxDriver,
  {
    skus,
    stock,
    listings = [],
    defaultShippingProfile = false,
  }: { skus: string[]; stock?: number; listings?: DriverListingInput[]; defaultShippingProfile?: boolean }
): Promise<DriverStore> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  driver.reset()
  const store = await seedStore(container, skus, stock === undefined ? {} : { stock })
  if (defaultShippingProfile) {
    await useDefaultShippingProfile(container, store)
  }
  const { connection_id: connectionId, shop_id: shopId } = await connectDriverShop(container, driver, store)
  const created = listings.length ? driver.createListings(shopId, listings) : []
  return { container, marketplace, store, connectionId, shopId, listings: created }
}

/** Reads the native order, its items, payment, and reservations the way the assertions need them. */
export async function readOrder(container: MedusaContainer, orderId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "status",
      "email",
      "currency_code",
      "total",
      "customer_id",
      "sales_channel_id",
      "region_id",
      "metadata",
      "items.id",
      "items.variant_id",
      "items.quantity",
      "items.unit_price",
      "items.title",
      "items.metadata",
      "shipping_methods.amount",
      "shipping_methods.name",
      "shipping_address.*",
      "payment_collections.status",
      "payment_collections.amount",
      "payment_collections.payments.refunds.amount",
    ],
    filters: { id: orderId },
  })
  const inventory = container.resolve(Modules.INVENTORY)
  const itemIds = ((data[0] as unknown as { items: { id: string }[] }).items ?? []).map((i) => i.id)
  const reservations = itemIds.length ? await inventory.listReservationItems({ line_item_id: itemIds }) : []
  return { order: data[0] as unknown as Record<string, any>, reservations }
}

/** Products in a real store belong to a shipping profile (the admin requires one): the default one here. */
export async function useDefaultShippingProfile(container: MedusaContainer, store: SeededStore): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const profileId = await defaultShippingProfile(container)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["product_id"],
    filters: { id: Object.values(store.variants).map((v) => v.id) },
  })
  const productIds = [...new Set((data as unknown as { product_id: string }[]).map((v) => v.product_id))]
  await link.create(
    productIds.map((product_id) => ({
      [Modules.PRODUCT]: { product_id },
      [Modules.FULFILLMENT]: { shipping_profile_id: profileId },
    }))
  )
  return profileId
}

/**
 * The catalogue of the order-import tests in a sandbox shop (any platform): a tee with two sizes (the L model's SKU written
 * with spaces and in lower case, matched after trimming and case-folding), a mug, and a poster whose SKU is
 * not in Medusa. Medusa's side: seedStore(container, ORDER_TEST_SKUS).
 */
export const ORDER_TEST_SKUS = ["TEE-BLK-M", "TEE-BLK-L", "MUG-01"]

export function seedOrderTestCatalogue(driver: SandboxDriver, shopId: string) {
  return driver.createListings(shopId, [
    {
      name: "Tee",
      sku: "TEE",
      option: "Size",
      variants: [
        { sku: "TEE-BLK-M", name: "M", price: 19.9, stock: 40 },
        { sku: " tee-blk-l ", name: "L", price: 21.5, stock: 40 },
      ],
    },
    { name: "Mug", sku: "MUG-01", price: 12, stock: 40 },
    { name: "Poster", sku: "NOT-IN-MEDUSA", price: 5, stock: 40 },
  ])
}

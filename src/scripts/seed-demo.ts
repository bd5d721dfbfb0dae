import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { DEMO_CATALOGUE, type CatalogueItemInput } from "../../sandbox/shopee/catalogue"
import { defaultShippingProfile } from "../workflows/shipping/utils/shipping-profile"

/**
 * The store the demo shop feeds (`npm run demo` and the browser tests run this script): a Singapore region in
 * SGD, a sales channel, a stock location linked to it, a publishable key, and one product per item of the
 * sandbox's demo catalogue with the same SKUs, prices and stock, so listings and order lines match by SKU.
 * Idempotent: what exists (found by name, SKU or location level) is kept, only what is missing is created.
 *
 * @example
 * npx medusa exec ./src/scripts/seed-demo.ts
 */
export const DEMO_STORE = {
  region: { name: "Singapore", currency_code: "sgd", countries: ["sg"] },
  sales_channel: "Shopee SG",
  stock_location: "Singapore warehouse",
  api_key: "Demo storefront",
} as const

type Logger = { info: (msg: string) => void }

async function ensureRegion(container: MedusaContainer, logger: Logger): Promise<string> {
  const regionModule = container.resolve(Modules.REGION)
  const existing = await regionModule.listRegions({ currency_code: DEMO_STORE.region.currency_code })
  if (existing.length) return existing[0].id
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: DEMO_STORE.region.name,
          currency_code: DEMO_STORE.region.currency_code,
          countries: [...DEMO_STORE.region.countries],
        },
      ],
    },
  })
  logger.info(`Created the region ${region.name} (${region.currency_code})`)
  return region.id
}

async function ensureSalesChannel(container: MedusaContainer, logger: Logger): Promise<string> {
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const existing = await salesChannels.listSalesChannels({ name: DEMO_STORE.sales_channel })
  if (existing.length) return existing[0].id
  const {
    result: [channel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: DEMO_STORE.sales_channel, description: "Orders from the Shopee shop" }] },
  })
  logger.info(`Created the sales channel ${channel.name}`)
  return channel.id
}

async function ensureStockLocation(container: MedusaContainer, channelId: string, logger: Logger): Promise<string> {
  const locations = container.resolve(Modules.STOCK_LOCATION)
  const existing = await locations.listStockLocations({ name: DEMO_STORE.stock_location })
  let locationId = existing[0]?.id
  if (!locationId) {
    const {
      result: [location],
    } = await createStockLocationsWorkflow(container).run({
      input: { locations: [{ name: DEMO_STORE.stock_location, address: { address_1: "1 Demo Road", country_code: "sg" } }] },
    })
    locationId = location.id
    logger.info(`Created the stock location ${location.name}`)
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "stock_locations.id"],
    filters: { id: channelId },
  })
  const linked = ((data[0] as unknown as { stock_locations?: { id: string }[] })?.stock_locations ?? []).some(
    (l) => l.id === locationId
  )
  if (!linked) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: locationId, add: [channelId] } })
  }
  return locationId
}

async function ensureStore(container: MedusaContainer, ids: { region: string; channel: string; location: string }) {
  const storeModule = container.resolve(Modules.STORE)
  const [store] = await storeModule.listStores({}, { relations: ["supported_currencies"] })
  if (!store) return
  const currencies = (store.supported_currencies ?? []).map((c) => c.currency_code)
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [
          { currency_code: DEMO_STORE.region.currency_code, is_default: true },
          ...currencies
            .filter((code) => code !== DEMO_STORE.region.currency_code)
            .map((code) => ({ currency_code: code, is_default: false })),
        ],
        default_sales_channel_id: store.default_sales_channel_id ?? ids.channel,
        default_region_id: store.default_region_id ?? ids.region,
        default_location_id: store.default_location_id ?? ids.location,
      },
    },
  })
}

async function ensurePublishableKey(container: MedusaContainer, channelId: string, logger: Logger) {
  const apiKeys = container.resolve(Modules.API_KEY)
  const existing = await apiKeys.listApiKeys({ title: DEMO_STORE.api_key, type: "publishable" })
  if (existing.length) return
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: DEMO_STORE.api_key, type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channelId] } })
  logger.info(`Created the publishable key "${DEMO_STORE.api_key}"`)
}

/** The product of one catalogue item: one variant per model (options from its tier variations), or one. */
function productInput(item: CatalogueItemInput, channelId: string, shippingProfileId: string) {
  const handle = (item.item_sku ?? item.item_name).toLowerCase().replace(/[^a-z0-9]+/g, "-")
  const base = {
    title: item.item_name,
    handle,
    description: item.description,
    status: "published" as const,
    weight: item.weight ? Math.round(item.weight * 1000) : undefined,
    sales_channels: [{ id: channelId }],
    // The shipping option of a connection uses the default profile: marketplace shipments fulfil these.
    shipping_profile_id: shippingProfileId,
  }
  if (!item.models?.length) {
    return {
      ...base,
      options: [{ title: "Default", values: ["Default"] }],
      variants: [
        {
          title: item.item_name,
          sku: item.item_sku,
          manage_inventory: true,
          options: { Default: "Default" },
          prices: [{ amount: item.price ?? 0, currency_code: DEMO_STORE.region.currency_code }],
        },
      ],
    }
  }
  const tiers = item.tier_variation ?? [{ name: "Variant", options: item.models.map((m) => m.model_name ?? m.model_sku) }]
  return {
    ...base,
    options: tiers.map((t) => ({ title: t.name, values: t.options })),
    variants: item.models.map((model, index) => ({
      title: model.model_name ?? model.model_sku,
      sku: model.model_sku,
      manage_inventory: true,
      options: Object.fromEntries(
        tiers.map((t, tier) => [t.name, t.options[model.tier_index?.[tier] ?? (tiers.length === 1 ? index : 0)]])
      ),
      prices: [{ amount: model.price, currency_code: DEMO_STORE.region.currency_code }],
    })),
  }
}

/** Stock of each SKU in the catalogue: the stock a shop starts with, kept in Medusa as well. */
function catalogueStock(): Map<string, number> {
  const stock = new Map<string, number>()
  for (const item of DEMO_CATALOGUE) {
    if (item.models?.length) for (const m of item.models) stock.set(m.model_sku, m.stock)
    else if (item.item_sku) stock.set(item.item_sku, item.stock ?? 0)
  }
  return stock
}

async function ensureProducts(container: MedusaContainer, channelId: string, locationId: string, logger: Logger) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const stock = catalogueStock()
  const skus = [...stock.keys()]
  const readVariants = async () => {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku", "inventory_items.inventory_item_id"],
      filters: { sku: skus },
    })
    return data as unknown as { id: string; sku: string; inventory_items?: { inventory_item_id: string }[] }[]
  }
  const known = new Set((await readVariants()).map((v) => v.sku))
  const missing = DEMO_CATALOGUE.filter((item) => {
    const itemSkus = item.models?.length ? item.models.map((m) => m.model_sku) : [item.item_sku ?? ""]
    return itemSkus.every((sku) => !known.has(sku))
  })
  if (missing.length) {
    const profileId = await defaultShippingProfile(container)
    await createProductsWorkflow(container).run({
      input: { products: missing.map((item) => productInput(item, channelId, profileId)) },
    })
    logger.info(`Created ${missing.length} products: ${missing.map((i) => i.item_name).join(", ")}`)
  }

  const inventory = container.resolve(Modules.INVENTORY)
  const variants = await readVariants()
  const itemIds = variants.flatMap((v) => (v.inventory_items ?? []).map((i) => i.inventory_item_id))
  const levels = itemIds.length
    ? await inventory.listInventoryLevels({ inventory_item_id: itemIds, location_id: locationId })
    : []
  const stocked = new Set(levels.map((l) => l.inventory_item_id))
  const toCreate = variants.flatMap((v) =>
    (v.inventory_items ?? [])
      .filter((i) => !stocked.has(i.inventory_item_id))
      .map((i) => ({ inventory_item_id: i.inventory_item_id, location_id: locationId, stocked_quantity: stock.get(v.sku) ?? 0 }))
  )
  if (toCreate.length) {
    await createInventoryLevelsWorkflow(container).run({ input: { inventory_levels: toCreate } })
    logger.info(`Stocked ${toCreate.length} variants at ${DEMO_STORE.stock_location}`)
  }
}

export default async function seedDemo({ container }: ExecArgs): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const region = await ensureRegion(container, logger)
  const channel = await ensureSalesChannel(container, logger)
  const location = await ensureStockLocation(container, channel, logger)
  await ensureStore(container, { region, channel, location })
  await ensurePublishableKey(container, channel, logger)
  await ensureProducts(container, channel, location, logger)
  logger.info("The demo store is ready")
}

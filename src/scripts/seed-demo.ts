import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkProductsToSalesChannelWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { DEMO_CURRENCIES, DEMO_SHOPS, demoPrice } from "../../sandbox/demo-shops"
import { DEMO_CATALOGUE, type CatalogueItemInput } from "../../sandbox/shopee/catalogue"
import { defaultShippingProfile } from "../workflows/shipping/utils/shipping-profile"

/**
 * The store the demo shops feed (`npm run demo` and the browser tests run this script): a region per currency the
 * shops sell in (Singapore SGD, Malaysia MYR, Indonesia IDR), a sales channel per demo shop (sandbox/demo-shops.ts:
 * "Shopee SG", "TikTok Shop MY", "Tokopedia ID", "Lazada SG"), one stock location linked to all of them, a
 * publishable key, and one product per item of the demo catalogue with the shops' SKUs, a price in each currency
 * and the catalogue's stock, so listings and order lines match by SKU and one variant's stock reaches every shop.
 * Idempotent: what exists (found by name, currency, SKU or location level) is kept, only what is missing is
 * created; products made by an earlier demo are added to the sales channels they miss.
 *
 * @example
 * npx medusa exec ./src/scripts/seed-demo.ts
 */
export const DEMO_STORE = {
  /** The store's default region and currency. */
  region: { name: "Singapore", currency_code: "sgd", countries: ["sg"] },
  regions: [
    { name: "Singapore", currency_code: "sgd", countries: ["sg"] },
    { name: "Malaysia", currency_code: "myr", countries: ["my"] },
    { name: "Indonesia", currency_code: "idr", countries: ["id"] },
  ],
  sales_channels: DEMO_SHOPS.map((shop) => ({ name: shop.sales_channel, description: `Orders from ${shop.name} (${shop.platform})` })),
  stock_location: "Singapore warehouse",
  api_key: "Demo storefront",
} as const

type Logger = { info: (msg: string) => void }

/** A region per demo currency (found by currency); returns the default region's id. */
async function ensureRegions(container: MedusaContainer, logger: Logger): Promise<string> {
  const regionModule = container.resolve(Modules.REGION)
  const ids = new Map<string, string>()
  for (const wanted of DEMO_STORE.regions.filter((r) => DEMO_CURRENCIES.includes(r.currency_code))) {
    const existing = await regionModule.listRegions({ currency_code: wanted.currency_code })
    if (existing.length) {
      ids.set(wanted.currency_code, existing[0].id)
      continue
    }
    const {
      result: [region],
    } = await createRegionsWorkflow(container).run({
      input: { regions: [{ name: wanted.name, currency_code: wanted.currency_code, countries: [...wanted.countries] }] },
    })
    ids.set(wanted.currency_code, region.id)
    logger.info(`Created the region ${region.name} (${region.currency_code})`)
  }
  return ids.get(DEMO_STORE.region.currency_code) as string
}

/** A sales channel per demo shop (found by name); returns their ids, the Shopee shop's first. */
async function ensureSalesChannels(container: MedusaContainer, logger: Logger): Promise<string[]> {
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const ids: string[] = []
  for (const wanted of DEMO_STORE.sales_channels) {
    const existing = await salesChannels.listSalesChannels({ name: wanted.name })
    if (existing.length) {
      ids.push(existing[0].id)
      continue
    }
    const {
      result: [channel],
    } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ ...wanted }] } })
    ids.push(channel.id)
    logger.info(`Created the sales channel ${channel.name}`)
  }
  return ids
}

/** The one stock location, linked to every demo channel: the shops share the store's stock. */
async function ensureStockLocation(container: MedusaContainer, channelIds: string[], logger: Logger): Promise<string> {
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
    filters: { id: channelIds },
  })
  const linked = new Set(
    (data as unknown as { id: string; stock_locations?: { id: string }[] }[])
      .filter((c) => (c.stock_locations ?? []).some((l) => l.id === locationId))
      .map((c) => c.id)
  )
  const add = channelIds.filter((id) => !linked.has(id))
  if (add.length) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: locationId, add } })
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
          ...[...new Set([...DEMO_CURRENCIES, ...currencies])]
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

async function ensurePublishableKey(container: MedusaContainer, channelIds: string[], logger: Logger) {
  const apiKeys = container.resolve(Modules.API_KEY)
  const existing = await apiKeys.listApiKeys({ title: DEMO_STORE.api_key, type: "publishable" })
  if (existing.length) return
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: DEMO_STORE.api_key, type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: channelIds } })
  logger.info(`Created the publishable key "${DEMO_STORE.api_key}"`)
}

/** The product of one catalogue item: one variant per model (options from its tier variations), or one. */
/** A catalogue price (SGD) in every demo currency. */
function pricesOf(sgd: number) {
  return DEMO_CURRENCIES.map((currency_code) => ({ amount: demoPrice(sgd, currency_code), currency_code }))
}

function productInput(item: CatalogueItemInput, channelIds: string[], shippingProfileId: string) {
  const handle = (item.item_sku ?? item.item_name).toLowerCase().replace(/[^a-z0-9]+/g, "-")
  const base = {
    title: item.item_name,
    handle,
    description: item.description,
    status: "published" as const,
    weight: item.weight ? Math.round(item.weight * 1000) : undefined,
    sales_channels: channelIds.map((id) => ({ id })),
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
          prices: pricesOf(item.price ?? 0),
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
      prices: pricesOf(model.price),
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

async function ensureProducts(container: MedusaContainer, channelIds: string[], locationId: string, logger: Logger) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const stock = catalogueStock()
  const skus = [...stock.keys()]
  const readVariants = async () => {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["id", "sku", "product_id", "product.sales_channels.id", "inventory_items.inventory_item_id"],
      filters: { sku: skus },
    })
    return data as unknown as {
      id: string
      sku: string
      product_id: string
      product?: { sales_channels?: { id: string }[] }
      inventory_items?: { inventory_item_id: string }[]
    }[]
  }
  const known = new Set((await readVariants()).map((v) => v.sku))
  const missing = DEMO_CATALOGUE.filter((item) => {
    const itemSkus = item.models?.length ? item.models.map((m) => m.model_sku) : [item.item_sku ?? ""]
    return itemSkus.every((sku) => !known.has(sku))
  })
  if (missing.length) {
    const profileId = await defaultShippingProfile(container)
    await createProductsWorkflow(container).run({
      input: { products: missing.map((item) => productInput(item, channelIds, profileId)) },
    })
    logger.info(`Created ${missing.length} products: ${missing.map((i) => i.item_name).join(", ")}`)
  }
  await ensureProductChannels(container, await readVariants(), channelIds, logger)

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

/** Products of an earlier demo (one channel) join the channels they miss: every shop's orders may sell them. */
async function ensureProductChannels(
  container: MedusaContainer,
  variants: { product_id: string; product?: { sales_channels?: { id: string }[] } }[],
  channelIds: string[],
  logger: Logger
) {
  const inChannel = new Map<string, Set<string>>()
  for (const v of variants) inChannel.set(v.product_id, new Set((v.product?.sales_channels ?? []).map((c) => c.id)))
  let linked = 0
  for (const channelId of channelIds) {
    const add = [...inChannel].filter(([, channels]) => !channels.has(channelId)).map(([productId]) => productId)
    if (!add.length) continue
    await linkProductsToSalesChannelWorkflow(container).run({ input: { id: channelId, add } })
    linked += add.length
  }
  if (linked) logger.info(`Added the demo products to the sales channels they missed (${linked} links)`)
}

export default async function seedDemo({ container }: ExecArgs): Promise<void> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const region = await ensureRegions(container, logger)
  const channels = await ensureSalesChannels(container, logger)
  const location = await ensureStockLocation(container, channels, logger)
  await ensureStore(container, { region, channel: channels[0], location })
  await ensurePublishableKey(container, channels, logger)
  await ensureProducts(container, channels, location, logger)
  logger.info("The demo store is ready")
}

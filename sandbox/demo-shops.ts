import { DEMO_CATALOGUE, DEMO_SHOP_ID, type CatalogueItemInput } from "./shopee/catalogue"

/**
 * The shops `npm run demo` starts (each sandbox's `--seed-shop`), the browser suite connects, and
 * src/scripts/seed-demo.ts prepares the store for: one Shopee shop, one TikTok Shop seller with a TikTok Shop shop
 * and a Tokopedia shop, one Lazada seller. Every shop lists items of the one demo catalogue under the same SKUs
 * (`MUG-CERAMIC-WHT` and `TSHIRT-BLK-M` in all four), so one Medusa variant's stock reaches every shop that sells it.
 */
export interface DemoShop {
  /** The plugin's provider id. */
  platform: string
  /** The shop's id on its platform (Lazada: the seller id of the country). */
  id: string
  name: string
  /** ISO 3166-1 alpha-2, upper case. */
  region: string
  /** ISO 4217, upper case: the shop's prices and orders are in it. */
  currency: string
  /** The sales channel the demo store has for the shop's orders. */
  sales_channel: string
  /** The demo catalogue's items the shop lists, by `item_sku`. */
  items: readonly string[]
}

const ALL_ITEMS = DEMO_CATALOGUE.map((item) => item.item_sku ?? item.item_name)

export const DEMO_TIKTOK_SELLER = "Sandbox Demo Seller"
export const DEMO_LAZADA_ACCOUNT = "demo-seller@lazada.sandbox"

export const DEMO_SHOPS: readonly DemoShop[] = [
  { platform: "shopee", id: String(DEMO_SHOP_ID), name: "Sandbox Demo Shop", region: "SG", currency: "SGD", sales_channel: "Shopee SG", items: ALL_ITEMS },
  {
    platform: "tiktok-shop",
    id: "7495540735365777001",
    name: "Demo TikTok Shop",
    region: "MY",
    currency: "MYR",
    sales_channel: "TikTok Shop MY",
    items: ["TSHIRT", "MUG-CERAMIC-WHT", "CAP-NAVY"],
  },
  {
    platform: "tiktok-shop",
    id: "7495540735365777002",
    name: "Demo Tokopedia",
    region: "ID",
    currency: "IDR",
    sales_channel: "Tokopedia ID",
    items: ["TSHIRT", "MUG-CERAMIC-WHT", "TOTE-CANVAS-NAT", "SOCKS-3PK"],
  },
  {
    platform: "lazada",
    id: "1000000201",
    name: "Lazada Demo SG",
    region: "SG",
    currency: "SGD",
    sales_channel: "Lazada SG",
    items: ["TSHIRT", "MUG-CERAMIC-WHT", "HOODIE", "CAP-NAVY"],
  },
]

/** The demo shops of one platform, in the order above. */
export function demoShopsOf(platform: string): DemoShop[] {
  return DEMO_SHOPS.filter((shop) => shop.platform === platform)
}

/** SGD per unit of each demo currency's price, rounded the way shops price in it. */
const PRICE_RULES: Record<string, { rate: number; step: number }> = {
  SGD: { rate: 1, step: 0.01 },
  MYR: { rate: 3.5, step: 0.1 },
  IDR: { rate: 12000, step: 100 },
}

/** A catalogue price (SGD) in `currency`. */
export function demoPrice(sgd: number, currency: string): number {
  const rule = PRICE_RULES[currency.toUpperCase()]
  if (!rule) throw new Error(`No demo price rule for ${currency}`)
  const steps = Math.round((sgd * rule.rate) / rule.step)
  // Decimal steps multiplied back can drift (0.1 * 3 = 0.30000000000000004): fix the decimals of the step.
  return Number((steps * rule.step).toFixed(rule.step < 1 ? String(rule.step).split(".")[1].length : 0))
}

/** The currencies the demo shops sell in, lower case (Medusa's currency codes). */
export const DEMO_CURRENCIES: readonly string[] = [...new Set(DEMO_SHOPS.map((s) => s.currency.toLowerCase()))]

/** One sellable unit of a demo listing. */
export interface DemoListingVariant {
  sku: string
  name?: string
  price: number
  stock: number
}

/** A demo shop's listing: a single unit (`sku`, `price`, `stock`) or several `variants` differing by `option`. */
export interface DemoListing {
  name: string
  sku?: string
  price?: number
  stock?: number
  option?: string
  variants?: DemoListingVariant[]
}

function listingOf(item: CatalogueItemInput, currency: string): DemoListing {
  if (!item.models?.length) {
    return { name: item.item_name, sku: item.item_sku, price: demoPrice(item.price ?? 0, currency), stock: item.stock ?? 0 }
  }
  return {
    name: item.item_name,
    option: item.tier_variation?.map((t) => t.name).join(" / ") ?? "Variant",
    variants: item.models.map((m) => ({ sku: m.model_sku, name: m.model_name, price: demoPrice(m.price, currency), stock: m.stock })),
  }
}

/** The sellable units of a listing: its variants, or the listing itself when it has none. */
export function demoUnits(listing: DemoListing): DemoListingVariant[] {
  return listing.variants ?? [{ sku: listing.sku ?? listing.name, price: listing.price ?? 0, stock: listing.stock ?? 0 }]
}

/** What the shop lists: its items of the demo catalogue, priced in its currency, with the catalogue's stock. */
export function demoListings(shop: DemoShop): DemoListing[] {
  return DEMO_CATALOGUE.filter((item) => shop.items.includes(item.item_sku ?? item.item_name)).map((item) => listingOf(item, shop.currency))
}

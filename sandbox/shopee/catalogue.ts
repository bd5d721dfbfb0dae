/**
 * The demo shop's catalogue. SKUs are stable so a demo seeding script can create Medusa products
 * with the same SKUs and see listings match. Prices are in SGD and converted for other currencies.
 */
export interface CatalogueModelInput {
  model_sku: string
  model_name?: string
  tier_index?: number[]
  price: number
  stock: number
  reserved_stock?: number
  weight?: number
}

export interface CatalogueItemInput {
  item_name: string
  item_sku?: string
  description?: string
  weight?: number
  /** Items without variations: price and stock live on the item (model_id 0 in Shopee). */
  price?: number
  stock?: number
  reserved_stock?: number
  tier_variation?: { name: string; options: string[] }[]
  models?: CatalogueModelInput[]
  item_status?: "NORMAL" | "UNLIST" | "BANNED"
}

/** shop_id of the demo shop the CLI creates with --seed-shop. */
export const DEMO_SHOP_ID = 880001

export const DEMO_CATALOGUE: readonly CatalogueItemInput[] = [
  {
    item_name: "Classic Cotton T-Shirt",
    item_sku: "TSHIRT",
    description: "Heavyweight cotton tee, regular fit.",
    weight: 0.25,
    tier_variation: [
      { name: "Colour", options: ["Black", "White"] },
      { name: "Size", options: ["M", "L"] },
    ],
    models: [
      { model_sku: "TSHIRT-BLK-M", model_name: "Black,M", tier_index: [0, 0], price: 19.9, stock: 40 },
      { model_sku: "TSHIRT-BLK-L", model_name: "Black,L", tier_index: [0, 1], price: 19.9, stock: 35 },
      { model_sku: "TSHIRT-WHT-M", model_name: "White,M", tier_index: [1, 0], price: 19.9, stock: 30 },
      { model_sku: "TSHIRT-WHT-L", model_name: "White,L", tier_index: [1, 1], price: 19.9, stock: 25 },
    ],
  },
  {
    item_name: "Zip Hoodie",
    item_sku: "HOODIE",
    description: "Brushed fleece zip hoodie.",
    weight: 0.6,
    tier_variation: [{ name: "Size", options: ["M", "L"] }],
    models: [
      { model_sku: "HOODIE-GRY-M", model_name: "M", tier_index: [0], price: 49.9, stock: 20 },
      { model_sku: "HOODIE-GRY-L", model_name: "L", tier_index: [1], price: 49.9, stock: 15 },
    ],
  },
  {
    item_name: "Ceramic Mug 350ml",
    item_sku: "MUG-CERAMIC-WHT",
    description: "Dishwasher-safe stoneware mug.",
    weight: 0.4,
    price: 12.9,
    stock: 60,
  },
  {
    item_name: "Canvas Tote Bag",
    item_sku: "TOTE-CANVAS-NAT",
    description: "Natural canvas tote with inner pocket.",
    weight: 0.3,
    price: 15.9,
    stock: 50,
  },
  {
    item_name: "Baseball Cap",
    item_sku: "CAP-NAVY",
    description: "Adjustable six-panel cap.",
    weight: 0.15,
    price: 17.9,
    stock: 45,
  },
  {
    item_name: "Crew Socks (3 pairs)",
    item_sku: "SOCKS-3PK",
    description: "Combed cotton crew socks.",
    weight: 0.2,
    tier_variation: [{ name: "Colour", options: ["Black", "White"] }],
    models: [
      { model_sku: "SOCKS-3PK-BLK", model_name: "Black", tier_index: [0], price: 11.9, stock: 80 },
      { model_sku: "SOCKS-3PK-WHT", model_name: "White", tier_index: [1], price: 11.9, stock: 70 },
    ],
  },
]

/** Every sellable SKU of the demo catalogue (model SKUs, or the item SKU when it has no models). */
export const DEMO_SKUS: readonly string[] = DEMO_CATALOGUE.flatMap((item) =>
  item.models?.length ? item.models.map((m) => m.model_sku) : [item.item_sku ?? ""]
)

import type { CatalogueItemInput } from "./catalogue"
import { fromSgd, roundMoney, sumMoney } from "../kit/money"
import type { Random } from "../kit/random"
import type { SandboxState } from "./state"
import type {
  OrderLine,
  RecipientAddress,
  SandboxItem,
  SandboxModel,
  SandboxOrder,
  SandboxShop,
} from "./types"

/** Realistic-looking but fake data: shops, items and orders as Shopee would hand them out. */

const REGION_CURRENCY: Record<string, string> = {
  SG: "SGD",
  MY: "MYR",
  PH: "PHP",
  TH: "THB",
  ID: "IDR",
  VN: "VND",
  TW: "TWD",
  BR: "BRL",
}

const ADDRESSES: Record<string, { state: string; city: string; district: string; zipcode: () => string; street: string[] }> = {
  SG: { state: "", city: "Singapore", district: "", zipcode: () => "", street: ["Block 106 Henderson Crescent", "21 Tampines Avenue 1", "8 Marina View"] },
  MY: { state: "Selangor", city: "Petaling Jaya", district: "", zipcode: () => "", street: ["12 Jalan SS2/24", "3 Jalan PJU 1/45"] },
  ID: { state: "DKI Jakarta", city: "Jakarta Selatan", district: "Kebayoran Baru", zipcode: () => "", street: ["Jl. Senopati No. 10", "Jl. Wolter Monginsidi 88"] },
  TH: { state: "Bangkok", city: "Khet Pathum Wan", district: "Lumphini", zipcode: () => "", street: ["99 Wireless Road", "1 Ratchadamri Road"] },
  VN: { state: "TP. Hồ Chí Minh", city: "Quận 1", district: "Phường Bến Nghé", zipcode: () => "", street: ["12 Lê Lợi", "45 Nguyễn Huệ"] },
  PH: { state: "Metro Manila", city: "Makati City", district: "Poblacion", zipcode: () => "", street: ["5 Jupiter Street", "120 Ayala Avenue"] },
}

const FIRST_NAMES = ["Aisyah", "Benjamin", "Chloe", "Daniel", "Farah", "Gabriel", "Hana", "Ivan", "Jasmine", "Kevin", "Linh", "Marco"]
const LAST_NAMES = ["Tan", "Lim", "Nguyen", "Santos", "Wong", "Rahman", "Chen", "Pereira", "Ong", "Reyes"]
const PAYMENT_METHODS = ["Credit Card/Debit Card", "ShopeePay", "Cash on Delivery", "Bank Transfer", "SPayLater"]

const CARRIERS: Record<string, { id: number; name: string }> = {
  SG: { id: 18099, name: "SPX Express" },
  MY: { id: 28052, name: "SPX Express (West Malaysia)" },
  ID: { id: 8003, name: "SPX Standard" },
  TH: { id: 78004, name: "SPX Express" },
  VN: { id: 50018, name: "SPX Express" },
  PH: { id: 48002, name: "SPX Express" },
}

export function currencyForRegion(region: string): string {
  return REGION_CURRENCY[region] ?? "SGD"
}

export function createShop(
  state: SandboxState,
  input: { shop_id?: number; shop_name?: string; region?: string; currency?: string; warehouses?: string[] }
): SandboxShop {
  const region = (input.region ?? "SG").toUpperCase()
  const shopId = input.shop_id ?? 600000000 + state.nextSeq() * 17
  const now = state.nowSec()
  const shop: SandboxShop = {
    shop_id: shopId,
    shop_name: input.shop_name ?? `Sandbox Shop ${shopId}`,
    region,
    currency: input.currency ?? currencyForRegion(region),
    status: "NORMAL",
    auth_time: 0,
    // Shopee authorizations last at most 365 days.
    expire_time: now + 365 * 86400,
    warehouses: input.warehouses ?? [],
    refresh_count: 0,
  }
  state.shops.set(shopId, shop)
  return shop
}

function newModel(
  shop: SandboxShop,
  input: { model_sku: string; model_name?: string; tier_index?: number[]; price: number; stock: number; reserved_stock?: number; weight?: number },
  fallbackWeight: number,
  modelId: number
): SandboxModel {
  return {
    model_id: modelId,
    model_sku: input.model_sku,
    model_name: input.model_name ?? input.model_sku,
    tier_index: input.tier_index ?? [],
    original_price: fromSgdIfCatalogue(input.price, shop.currency),
    stock: input.stock,
    reserved_stock: input.reserved_stock ?? 0,
    weight: input.weight ?? fallbackWeight,
  }
}

/** Catalogue prices are SGD; seeded prices for other currencies are converted once. */
function fromSgdIfCatalogue(price: number, currency: string): number {
  return currency === "SGD" ? roundMoney(price, currency) : fromSgd(price, currency)
}

export function seedItems(state: SandboxState, shop: SandboxShop, inputs: readonly CatalogueItemInput[]): SandboxItem[] {
  const now = state.nowSec()
  return inputs.map((input) => {
    // Large ids like Shopee's (int64 in the docs; still exact as JS numbers).
    const itemId = 20000000000 + state.nextSeq()
    const weight = input.weight ?? 0.3
    const hasModel = (input.models?.length ?? 0) > 0
    const models: SandboxModel[] = hasModel
      ? (input.models ?? []).map((m) => newModel(shop, m, weight, 200000000000 + state.nextSeq()))
      : [
          newModel(
            shop,
            {
              model_sku: input.item_sku ?? `ITEM-${itemId}`,
              model_name: "",
              price: input.price ?? 10,
              stock: input.stock ?? 0,
              reserved_stock: input.reserved_stock,
            },
            weight,
            0
          ),
        ]
    const item: SandboxItem = {
      item_id: itemId,
      shop_id: shop.shop_id,
      item_name: input.item_name,
      item_sku: input.item_sku ?? "",
      description: input.description ?? input.item_name,
      item_status: input.item_status ?? "NORMAL",
      category_id: 100017,
      create_time: now,
      update_time: now,
      weight,
      has_model: hasModel,
      tier_variation: (input.tier_variation ?? []).map((t) => ({
        name: t.name,
        option_list: t.options.map((option) => ({ option })),
      })),
      models,
    }
    if (!hasModel) {
      // For an item without variations the item SKU is the sellable SKU and model_sku is empty.
      item.models[0].model_sku = ""
      item.item_sku = input.item_sku ?? `ITEM-${itemId}`
    }
    state.items.set(itemId, item)
    return item
  })
}

/** The SKU a seller matches on: model SKU, or item SKU when the item has no variations. */
export function sellableSku(item: SandboxItem, model: SandboxModel): string {
  return item.has_model ? model.model_sku : item.item_sku
}

export function findBySku(state: SandboxState, shopId: number, sku: string): { item: SandboxItem; model: SandboxModel } | undefined {
  for (const item of state.items.values()) {
    if (item.shop_id !== shopId) continue
    for (const model of item.models) {
      if (sellableSku(item, model) === sku) return { item, model }
    }
  }
  return undefined
}

/** Shopee masks recipient data: "P******n", "******64", first characters of the street. */
export function maskName(name: string): string {
  if (name.length <= 2) return `${name[0] ?? ""}******`
  return `${name[0]}******${name[name.length - 1]}`
}

export function maskPhone(phone: string): string {
  return `******${phone.slice(-2)}`
}

function recipientAddress(random: Random, region: string, name: string): RecipientAddress {
  const pool = ADDRESSES[region] ?? ADDRESSES.SG
  const street = random.pick(pool.street)
  const zipcode = region === "SG" ? random.digits(6) : region === "VN" ? "" : random.digits(5)
  const phone = `${random.int(6, 9)}${random.digits(7)}`
  return {
    name: maskName(name),
    phone: maskPhone(phone),
    town: "",
    district: pool.district,
    city: pool.city,
    state: pool.state,
    region,
    zipcode,
    full_address: `${street.slice(0, 3)}******`,
  }
}

/** Shopee order_sn: YYMMDD of the creation date + 8 upper-case alphanumerics. */
function newOrderSn(state: SandboxState, createTime: number): string {
  const d = new Date(createTime * 1000)
  const prefix = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`
  for (;;) {
    const sn = prefix + state.random.alnum(8)
    if (!state.orders.has(sn)) return sn
  }
}

export interface OrderLineRequest {
  sku?: string
  item_id?: number
  model_id?: number
  quantity: number
}

export interface NewOrderInput {
  items?: OrderLineRequest[]
  buyer?: { username?: string; user_id?: number; name?: string }
  create_time?: number
  payment_method?: string
  message_to_seller?: string
}

/** Pick lines from the request, or 1-3 random in-stock SKUs of the shop. */
function orderLines(state: SandboxState, shop: SandboxShop, requested: OrderLineRequest[] | undefined): OrderLine[] {
  const shopItems = [...state.items.values()].filter((i) => i.shop_id === shop.shop_id && i.item_status === "NORMAL")
  const chosen: { item: SandboxItem; model: SandboxModel; quantity: number }[] = []
  if (requested?.length) {
    for (const req of requested) {
      const match = req.sku
        ? findBySku(state, shop.shop_id, req.sku)
        : (() => {
            const item = req.item_id !== undefined ? state.items.get(req.item_id) : undefined
            const model = item?.models.find((m) => m.model_id === (req.model_id ?? 0))
            return item && model && item.shop_id === shop.shop_id ? { item, model } : undefined
          })()
      if (!match) {
        throw new Error(`No listing in shop ${shop.shop_id} for ${req.sku ?? `${req.item_id}/${req.model_id ?? 0}`}`)
      }
      chosen.push({ ...match, quantity: req.quantity })
    }
  } else {
    const candidates = shopItems.flatMap((item) => item.models.filter((m) => m.stock > 0).map((model) => ({ item, model })))
    if (candidates.length === 0) {
      throw new Error(`Shop ${shop.shop_id} has no listing in stock: seed items first`)
    }
    const count = Math.min(candidates.length, state.random.int(1, 3))
    const used = new Set<string>()
    while (chosen.length < count) {
      const candidate = state.random.pick(candidates)
      const key = `${candidate.item.item_id}:${candidate.model.model_id}`
      if (used.has(key)) continue
      used.add(key)
      chosen.push({ ...candidate, quantity: Math.min(candidate.model.stock, state.random.chance(0.25) ? 2 : 1) })
    }
  }
  return chosen.map(({ item, model, quantity }) => {
    // Stock leaves the listing when the buyer checks out, as on Shopee.
    model.stock = Math.max(0, model.stock - quantity)
    const discounted = state.random.chance(0.3)
      ? roundMoney(model.original_price * (1 - state.random.int(10, 20) / 100), shop.currency)
      : model.original_price
    return {
      item_id: item.item_id,
      item_name: item.item_name,
      item_sku: item.item_sku,
      model_id: model.model_id,
      model_name: item.has_model ? model.model_name : "",
      model_sku: item.has_model ? model.model_sku : "",
      quantity,
      original_price: model.original_price,
      discounted_price: discounted,
      weight: model.weight,
    }
  })
}

/** A new UNPAID order (COD orders start at READY_TO_SHIP in lifecycle.ts). */
export function newOrder(state: SandboxState, shop: SandboxShop, input: NewOrderInput): SandboxOrder {
  const r = state.random
  const c = shop.currency
  const createTime = input.create_time ?? state.nowSec()
  const lines = orderLines(state, shop, input.items)
  const subtotal = sumMoney(lines.map((l) => l.discounted_price * l.quantity), c)
  const fullName = input.buyer?.name ?? `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`
  const estimated = fromSgd(r.pick([3.49, 4.49, 5.49, 6.99]), c)
  const buyerShipping = r.chance(0.5) ? 0 : Math.min(estimated, fromSgd(1.49, c))
  // Shopee's free-shipping programme covers what the buyer did not pay.
  const rebate = roundMoney(estimated - buyerShipping, c)
  const voucherSeller = r.chance(0.4) ? roundMoney(Math.min(subtotal * 0.1, fromSgd(5, c)), c) : 0
  const voucherShopee = r.chance(0.2) ? roundMoney(Math.min(subtotal * 0.05, fromSgd(3, c)), c) : 0
  const coins = r.chance(0.2) ? roundMoney(Math.min(subtotal * 0.02, fromSgd(1, c)), c) : 0
  const paymentMethod = input.payment_method ?? r.pick(PAYMENT_METHODS)
  const carrier = CARRIERS[shop.region] ?? CARRIERS.SG
  const daysToShip = r.int(2, 3)
  const order: SandboxOrder = {
    order_sn: newOrderSn(state, createTime),
    shop_id: shop.shop_id,
    region: shop.region,
    currency: c,
    order_status: "UNPAID",
    cod: paymentMethod === "Cash on Delivery",
    payment_method: paymentMethod,
    create_time: createTime,
    update_time: createTime,
    days_to_ship: daysToShip,
    ship_by_date: createTime + daysToShip * 86400,
    buyer_user_id: input.buyer?.user_id ?? Number(r.digits(9)),
    buyer_username: input.buyer?.username ?? `${fullName.split(" ")[0].toLowerCase()}_${r.alnum(4).toLowerCase()}`,
    message_to_seller: input.message_to_seller ?? (r.chance(0.2) ? "Please pack carefully, it is a gift." : ""),
    note: "",
    note_update_time: 0,
    recipient_address: recipientAddress(r, shop.region, fullName),
    lines,
    estimated_shipping_fee: estimated,
    actual_shipping_fee: estimated,
    buyer_paid_shipping_fee: buyerShipping,
    shopee_shipping_rebate: rebate,
    voucher_from_seller: voucherSeller,
    voucher_from_shopee: voucherShopee,
    coins,
    seller_voucher_code: voucherSeller > 0 ? [`SELLER${r.alnum(4)}`] : [],
    fee_rates: { commission: 0.06, service: 0.03, transaction: 0.02 },
    shipping_carrier: carrier.name,
    logistics_channel_id: carrier.id,
    package_number: `OFG${r.digits(15)}`,
    logistics_status: "LOGISTICS_NOT_START",
    tracking_number: "",
    tracking_empty_calls_left: 0,
    tracking_pushed: false,
    cancel_by: "",
    cancel_reason: "",
    buyer_cancel_reason: "",
    adjustments: [],
    return_sns: [],
    seller_return_refund: 0,
  }
  state.orders.set(order.order_sn, order)
  return order
}

export function newTrackingNumber(state: SandboxState, region: string): string {
  return `SPX${region}${state.random.digits(12)}`
}

import type { SandboxOrder, SandboxProduct, SandboxShop } from "./core"

// Amounts are kept to 4 decimals so float sums never print as 79.89999999.
const sum = (values: string[]) => String(Number(values.reduce((total, v) => total + Number(v), 0).toFixed(4)))

/** An order as `GET /order/202507/orders` prints it: one line item per unit, amounts as strings. */
export function orderView(order: SandboxOrder): Record<string, unknown> {
  const units = order.units
  const original = sum(units.map((u) => u.original_price))
  const sellerDiscount = sum(units.map((u) => u.seller_discount))
  const platformDiscount = sum(units.map((u) => u.platform_discount))
  const subTotal = sum(units.map((u) => u.sale_price))
  return {
    id: order.id,
    status: order.status,
    create_time: order.create_time,
    update_time: order.update_time,
    ...(order.paid_time !== null ? { paid_time: order.paid_time } : {}),
    user_id: order.user_id,
    buyer_email: order.buyer_email,
    buyer_message: order.buyer_message,
    commerce_platform: order.commerce_platform,
    is_on_hold_order: order.status === "ON_HOLD",
    shipping_type: "TIKTOK",
    shipping_provider: "J&T Express",
    delivery_option_name: "Standard shipping",
    payment_method_name: "Bank transfer",
    ...(order.tracking_number ? { tracking_number: order.tracking_number } : {}),
    payment: {
      currency: order.currency,
      original_total_product_price: original,
      seller_discount: sellerDiscount,
      platform_discount: platformDiscount,
      sub_total: subTotal,
      original_shipping_fee: order.original_shipping_fee,
      shipping_fee: order.shipping_fee,
      shipping_fee_seller_discount: "0",
      shipping_fee_platform_discount: "0",
      tax: "0",
      total_amount: sum([subTotal, order.shipping_fee]),
    },
    recipient_address: {
      name: order.recipient.name,
      phone_number: order.recipient.phone,
      address_line1: order.recipient.line1,
      postal_code: order.recipient.postal_code,
      region_code: order.recipient.region_code,
      full_address: `${order.recipient.line1}, ${order.recipient.city}, ${order.recipient.province}, ${order.recipient.postal_code}`,
      district_info: [
        { address_level_name: "Province", address_name: order.recipient.province, address_level: "L1" },
        { address_level_name: "City", address_name: order.recipient.city, address_level: "L2" },
      ],
    },
    packages: order.package_ids.map((id) => ({ id })),
    line_items: units.map((u) => ({
      id: u.id,
      product_id: u.product_id,
      sku_id: u.sku_id,
      seller_sku: u.seller_sku,
      product_name: u.product_name,
      sku_name: u.sku_name,
      original_price: u.original_price,
      sale_price: u.sale_price,
      seller_discount: u.seller_discount,
      platform_discount: u.platform_discount,
      currency: order.currency,
      package_id: u.package_id,
      display_status: order.status,
    })),
  }
}

export function shopView(shop: SandboxShop): Record<string, unknown> {
  return { id: shop.id, name: shop.name, region: shop.region, seller_type: "LOCAL", cipher: shop.cipher, code: shop.code }
}

export function productView(product: SandboxProduct, currency: string): Record<string, unknown> {
  return {
    id: product.id,
    title: product.title,
    status: product.status,
    skus: product.skus.map((s) => ({
      id: s.id,
      seller_sku: s.seller_sku,
      price: { currency, tax_exclusive_price: s.price, sale_price: s.price },
      inventory: s.inventory.map((i) => ({ warehouse_id: i.warehouse_id, quantity: i.quantity })),
    })),
  }
}

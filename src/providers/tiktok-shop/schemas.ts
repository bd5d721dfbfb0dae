import { z } from "@medusajs/framework/zod"

/** TikTok ids are strings in the API; tolerate numbers (lossless JSON keeps big ones exact as strings). */
const zId = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String)
/** Money is a decimal string ("15000", "12.50"); a number is tolerated and kept exact. */
const zMoney = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()])
  .transform(String)
  .nullish()
const zUnix = z.number().int().nonnegative().max(253402300799)

/** `GET /api/v2/token/get` and `/api/v2/token/refresh` (expiry times are absolute Unix seconds). */
export const tokenDataSchema = z.looseObject({
  access_token: z.string().min(1),
  access_token_expire_in: zUnix,
  refresh_token: z.string().min(1),
  refresh_token_expire_in: zUnix.nullish(),
  open_id: z.string().nullish(),
  seller_name: z.string().nullish(),
  seller_base_region: z.string().nullish(),
  user_type: z.number().nullish(),
})
export type TiktokTokenData = z.output<typeof tokenDataSchema>

/** `GET /authorization/202309/shops`. */
export const shopsDataSchema = z.looseObject({
  shops: z
    .array(
      z.looseObject({
        id: zId,
        name: z.string().nullish(),
        region: z.string().nullish(),
        seller_type: z.string().nullish(),
        cipher: z.string().min(1),
        code: z.string().nullish(),
      })
    )
    .default([]),
})
export type TiktokShopsData = z.output<typeof shopsDataSchema>

/** `POST /order/202309/orders/search`. */
export const orderSearchDataSchema = z.looseObject({
  next_page_token: z.string().nullish(),
  total_count: z.number().nullish(),
  orders: z
    .array(z.looseObject({ id: zId, status: z.string().nullish(), update_time: zUnix.nullish() }))
    .nullish()
    .transform((v) => v ?? []),
})

const lineItemSchema = z.looseObject({
  id: zId,
  sku_id: zId,
  product_id: zId,
  product_name: z.string().nullish(),
  sku_name: z.string().nullish(),
  seller_sku: z.string().nullish(),
  sku_image: z.string().nullish(),
  sale_price: zMoney,
  original_price: zMoney,
  seller_discount: zMoney,
  platform_discount: zMoney,
  currency: z.string().nullish(),
  /** The unit's package: a split order's units are in several, a combined package holds units of several orders. */
  package_id: zId.nullish(),
  /** The unit's status in order-status words (AWAITING_SHIPMENT ... DELIVERED, CANCELLED), its package's progress. */
  display_status: z.string().nullish(),
  /** The unit's package status: TO_FULFILL, PROCESSING, FULFILLING, COMPLETED, CANCELLED. */
  package_status: z.string().nullish(),
  /** The unit's package's tracking number, once shipped. */
  tracking_number: z.string().nullish(),
  shipping_provider_name: z.string().nullish(),
  shipping_provider_id: zId.nullish(),
  is_gift: z.boolean().nullish(),
})
export type TiktokLineItem = z.output<typeof lineItemSchema>

const districtSchema = z.looseObject({
  address_level_name: z.string().nullish(),
  address_name: z.string().nullish(),
  address_level: z.string().nullish(),
})

export const orderSchema = z.looseObject({
  id: zId,
  status: z.string().min(1),
  create_time: zUnix,
  update_time: zUnix,
  paid_time: zUnix.nullish(),
  user_id: zId.nullish(),
  buyer_email: z.string().nullish(),
  buyer_message: z.string().nullish(),
  cancel_reason: z.string().nullish(),
  payment_method_name: z.string().nullish(),
  shipping_provider: z.string().nullish(),
  shipping_type: z.string().nullish(),
  delivery_option_name: z.string().nullish(),
  tracking_number: z.string().nullish(),
  commerce_platform: z.string().nullish(),
  /** COMBINED or SPLIT when the order's packages were combined with other orders or split. */
  split_or_combine_tag: z.string().nullish(),
  is_on_hold_order: z.boolean().nullish(),
  /** True while a buyer's cancellation request waits for the seller's (or the system's) answer. */
  is_buyer_request_cancel: z.boolean().nullish(),
  payment: z.looseObject({
    currency: z.string().min(3).max(3),
    sub_total: zMoney,
    shipping_fee: zMoney,
    seller_discount: zMoney,
    platform_discount: zMoney,
    total_amount: zMoney,
    original_total_product_price: zMoney,
    original_shipping_fee: zMoney,
    tax: zMoney,
  }),
  recipient_address: z
    .looseObject({
      name: z.string().nullish(),
      phone_number: z.string().nullish(),
      full_address: z.string().nullish(),
      address_detail: z.string().nullish(),
      address_line1: z.string().nullish(),
      address_line2: z.string().nullish(),
      postal_code: z.string().nullish(),
      region_code: z.string().nullish(),
      district_info: z.array(districtSchema).nullish(),
    })
    .nullish(),
  packages: z
    .array(z.looseObject({ id: zId }))
    .nullish()
    .transform((v) => v ?? []),
  line_items: z.array(lineItemSchema).min(1),
})
export type TiktokOrder = z.output<typeof orderSchema>

/** `GET /order/202507/orders?ids=`: each order is checked on its own, so one unreadable order fails alone. */
export const orderDetailDataSchema = z.looseObject({
  orders: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
})

/** `POST /product/202309/products/search`. */
export const productSearchDataSchema = z.looseObject({
  next_page_token: z.string().nullish(),
  products: z
    .array(
      z.looseObject({
        id: zId,
        title: z.string().nullish(),
        status: z.string().nullish(),
        skus: z
          .array(
            z.looseObject({
              id: zId,
              seller_sku: z.string().nullish(),
              price: z.looseObject({ currency: z.string().nullish(), tax_exclusive_price: zMoney, sale_price: zMoney }).nullish(),
              inventory: z.array(z.looseObject({ warehouse_id: zId.nullish(), quantity: z.number().int() })).nullish(),
            })
          )
          .nullish()
          .transform((v) => v ?? []),
      })
    )
    .nullish()
    .transform((v) => v ?? []),
})
export type TiktokProductSearchData = z.output<typeof productSearchDataSchema>

/** `POST /product/202309/products/{product_id}/inventory/update`: per-SKU failures in `errors[]`, code 0 or not. */
export const inventoryUpdateDataSchema = z
  .looseObject({
    errors: z
      .array(
        z.looseObject({
          code: z.union([z.number(), z.string()]).transform(String).nullish(),
          message: z.string().nullish(),
          detail: z.looseObject({ sku_id: zId.nullish() }).nullish(),
        })
      )
      .nullish(),
  })
  .nullish()

const refundAmountSchema = z.looseObject({
  currency: z.string().min(3).max(3).nullish(),
  refund_total: zMoney,
  refund_subtotal: zMoney,
  refund_shipping_fee: zMoney,
  refund_tax: zMoney,
})

/** One return of "Search Returns" (`return_orders[]`): one return line item per unit. */
export const returnSchema = z.looseObject({
  return_id: zId,
  order_id: zId,
  return_type: z.string().min(1),
  return_status: z.string().min(1),
  arbitration_status: z.string().nullish(),
  role: z.string().nullish(),
  return_reason: z.string().nullish(),
  return_reason_text: z.string().nullish(),
  create_time: zUnix,
  update_time: zUnix,
  return_line_items: z
    .array(
      z.looseObject({
        return_line_item_id: zId.nullish(),
        order_line_item_id: zId,
        sku_id: zId,
        seller_sku: z.string().nullish(),
        refund_amount: refundAmountSchema.nullish(),
      })
    )
    .nullish()
    .transform((v) => v ?? []),
  refund_amount: refundAmountSchema.nullish(),
})
export type TiktokReturn = z.output<typeof returnSchema>

/** `POST /return_refund/202309/returns/search`: each return is checked on its own. */
export const returnSearchDataSchema = z.looseObject({
  next_page_token: z.string().nullish(),
  total_count: z.number().nullish(),
  return_orders: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
})

/** Answers whose `data` is empty (`{}`) on success: approve, reject. */
export const emptyDataSchema = z.unknown()

// ---- finance (settlement) ----

/**
 * A breakdown object of amounts (`fee_tax_breakdown.fee`, `.tax`, `shipping_cost_breakdown`...): each field a
 * decimal string, an empty string (deprecated fields "return an empty string"), or a nested object of amounts for
 * reference (`supplementary_component`).
 */
const amountsSchema = z
  .record(z.string(), z.union([z.string().regex(/^(-?\d+(\.\d+)?)?$/), z.number(), z.null(), z.record(z.string(), z.unknown())]))
  .nullish()

/** One SKU's part of an order's settlement ("Get Transactions by Order", `sku_transactions[]`). */
const skuTransactionSchema = z.looseObject({
  sku_id: zId.nullish(),
  statement_id: zId.nullish(),
  quantity: z.union([z.string(), z.number()]).nullish(),
  settlement_amount: zMoney,
  revenue_amount: zMoney,
  revenue_breakdown: amountsSchema,
  shipping_cost_amount: zMoney,
  shipping_cost_breakdown: amountsSchema,
  fee_tax_amount: zMoney,
  fee_tax_breakdown: z.looseObject({ fee: amountsSchema, tax: amountsSchema }).nullish(),
})
export type TiktokSkuTransaction = z.output<typeof skuTransactionSchema>

/**
 * `GET /finance/202501/orders/{order_id}/statement_transactions`. An order not settled yet has no transactions
 * (the Finance overview: "orders that have not been settled will not appear"): every field is optional here and
 * the caller decides.
 */
export const orderTransactionsDataSchema = z
  .looseObject({
    order_id: zId.nullish(),
    order_create_time: zUnix.nullish(),
    currency: z.string().min(3).max(3).nullish(),
    revenue_amount: zMoney,
    fee_and_tax_amount: zMoney,
    shipping_cost_amount: zMoney,
    settlement_amount: zMoney,
    sku_transactions: z
      .array(skuTransactionSchema)
      .nullish()
      .transform((v) => v ?? []),
  })
  .nullish()
export type TiktokOrderTransactions = NonNullable<z.output<typeof orderTransactionsDataSchema>>

/** `GET /finance/202309/statements`: one statement per shop and day. */
export const statementsDataSchema = z.looseObject({
  next_page_token: z.string().nullish(),
  statements: z
    .array(z.looseObject({ id: zId, statement_time: zUnix, currency: z.string().nullish(), settlement_amount: zMoney, adjustment_amount: zMoney }))
    .nullish()
    .transform((v) => v ?? []),
})

/** `GET /finance/202501/statements/{statement_id}/statement_transactions`: orders, adjustments and reserve moves. */
export const statementTransactionsDataSchema = z.looseObject({
  next_page_token: z.string().nullish(),
  id: zId.nullish(),
  transactions: z
    .array(
      z.looseObject({
        id: zId,
        type: z.string().min(1),
        order_id: zId.nullish(),
        adjustment_id: zId.nullish(),
        adjustment_order_id: zId.nullish(),
        adjustment_amount: zMoney,
        settlement_amount: zMoney,
      })
    )
    .nullish()
    .transform((v) => v ?? []),
})
export type TiktokStatementTransaction = z.output<typeof statementTransactionsDataSchema>["transactions"][number]

/** `GET /fulfillment/202309/packages/{package_id}` ("Get Package Detail"). */
export const packageDetailSchema = z.looseObject({
  package_id: zId,
  orders: z
    .array(z.looseObject({ id: zId }))
    .nullish()
    .transform((v) => v ?? []),
  package_status: z.string().nullish(),
  /** DEFAULT, COMBINE (orders combined into it) or SPLIT (an order split into several packages). */
  split_and_combine_tag: z.string().nullish(),
  shipping_provider_name: z.string().nullish(),
  shipping_provider_id: zId.nullish(),
  /** TIKTOK (the platform's carrier and label) or SELLER (the seller ships and uploads the tracking number). */
  shipping_type: z.string().nullish(),
  delivery_option_id: zId.nullish(),
  delivery_option_name: z.string().nullish(),
  tracking_number: z.string().nullish(),
  handover_method: z.string().nullish(),
  order_line_item_ids: z.array(zId).nullish(),
  update_time: zUnix.nullish(),
})
export type TiktokPackageDetail = z.output<typeof packageDetailSchema>

/** `GET /fulfillment/202309/packages/{package_id}/shipping_documents`: a URL valid 24 hours. */
export const shippingDocumentSchema = z.looseObject({
  doc_url: z.url(),
  tracking_number: z.string().nullish(),
})

/** `POST /return_refund/202309/cancellations` ("Cancel Order"). */
export const cancelOrderDataSchema = z.looseObject({
  cancel_id: zId.nullish(),
  cancel_status: z.string().nullish(),
})

import { z } from "@medusajs/framework/zod"
import { normalizeDecimal, numberToDecimal } from "../kit"

/**
 * zod schemas of the Lazada answers the provider reads (API reference: GetOrders docId 1131, GetOrder 1130,
 * GetMultipleOrderItems 954, GenerateAccessToken 1271, RefreshAccessToken 1285). Objects are loose; the fields the
 * provider uses are checked.
 */

/** An id: a JSON integer, or a digit string (big ids, or as Lazada sends most of them) -> string. */
export const zId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,24}$/)])
  .transform((v) => String(v))

/** An amount: a JSON number or a decimal string (Lazada writes "1,299.00" in some countries) -> exact decimal. */
export const zMoney = z
  .union([z.number(), z.string().regex(/^-?[\d,]*\d(\.\d+)?$/)])
  .transform((v) => (typeof v === "number" ? numberToDecimal(v) : normalizeDecimal(v.replace(/,/g, ""))))

const LAZADA_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/

/** Lazada's times: "2018-02-06 11:43:55 +0800" in orders, ISO 8601 ("...T...+08:00") elsewhere. */
export function parseLazadaTime(text: string): Date | null {
  const match = LAZADA_TIME.exec(text.trim())
  if (!match) return null
  const [, day, time, zone] = match
  const offset = !zone || zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const date = new Date(`${day}T${time}${offset}`)
  return Number.isNaN(date.getTime()) ? null : date
}

export const zTime = z.string().transform((value, ctx) => {
  const date = parseLazadaTime(value)
  if (!date) {
    ctx.addIssue({ code: "custom", message: `not a Lazada time: ${value.slice(0, 40)}` })
    return z.NEVER
  }
  return date
})

const zText = z.string().nullish()
const zLooseText = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)))

export const envelopeSchema = z.looseObject({ code: z.union([z.string(), z.number()]), request_id: zText })

// ---- auth ----

const countryUserSchema = z.looseObject({
  country: z.string().min(2).max(8),
  seller_id: zId,
  user_id: zId.nullish(),
  short_code: zText,
})

/** /auth/token/create lists `country_user_info`; /auth/token/refresh lists `country_user_info_list`. */
export const tokenSchema = envelopeSchema.extend({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  refresh_expires_in: z.coerce.number().int().nonnegative().nullish(),
  account: zText,
  country: zText,
  account_platform: zText,
  country_user_info: z.array(countryUserSchema).nullish(),
  country_user_info_list: z.array(countryUserSchema).nullish(),
})
export type LazadaTokenAnswer = z.output<typeof tokenSchema>

// ---- orders ----

const addressSchema = z
  .looseObject({
    first_name: zText,
    last_name: zText,
    phone: zText,
    address1: zText,
    address2: zText,
    address3: zText,
    address4: zText,
    address5: zText,
    city: zText,
    post_code: zLooseText,
    country: zText,
  })
  .nullish()

export const orderSchema = z.looseObject({
  order_id: zId,
  order_number: zId.nullish(),
  created_at: zTime,
  updated_at: zTime,
  price: zMoney,
  shipping_fee: zMoney.nullish(),
  voucher: zMoney.nullish(),
  voucher_seller: zMoney.nullish(),
  voucher_platform: zMoney.nullish(),
  statuses: z.array(z.string()).nullish(),
  customer_first_name: zText,
  customer_last_name: zText,
  payment_method: zText,
  remarks: zText,
  buyer_note: zText,
  address_shipping: addressSchema,
})
export type LazadaOrder = z.output<typeof orderSchema>

export const orderAnswerSchema = envelopeSchema.extend({ data: orderSchema })

const listedRefSchema = z.looseObject({ order_id: zId, updated_at: zTime, statuses: z.array(z.string()).nullish() })

/**
 * A GetOrders entry: what the pull needs to page (id, update time, statuses), and the order's whole header when it
 * reads as one (GetOrders lists each order as GetOrder returns it), else null: the header is then read by GetOrder.
 */
const listedOrderSchema = z.unknown().transform((raw, ctx) => {
  const ref = listedRefSchema.safeParse(raw)
  if (!ref.success) {
    ctx.addIssue({ code: "custom", message: ref.error.message })
    return z.NEVER
  }
  const header = orderSchema.safeParse(raw)
  return { ...ref.data, header: header.success ? header.data : null }
})

export const orderListSchema = envelopeSchema.extend({
  data: z.looseObject({
    count: z.coerce.number().int().nonnegative(),
    countTotal: z.coerce.number().int().nonnegative().nullish(),
    orders: z.array(listedOrderSchema).nullish(),
  }),
})

export const orderItemSchema = z.looseObject({
  order_item_id: zId,
  order_id: zId,
  status: z.string().min(1).max(64),
  sku: zText,
  shop_sku: zText,
  sku_id: zId.nullish(),
  product_id: zId.nullish(),
  name: z.string().nullish(),
  variation: zText,
  item_price: zMoney,
  paid_price: zMoney.nullish(),
  voucher_amount: zMoney.nullish(),
  shipping_amount: zMoney.nullish(),
  currency: zText,
  package_id: zLooseText,
  tracking_code: zLooseText,
  shipment_provider: zText,
  product_main_image: zText,
  buyer_id: zId.nullish(),
  reason: zText,
  need_cancel_confirm: z.boolean().nullish(),
  reverse_order_id: zId.nullish(),
  updated_at: zTime.nullish(),
})
export type LazadaOrderItem = z.output<typeof orderItemSchema>

export const orderItemsAnswerSchema = envelopeSchema.extend({
  data: z.array(z.looseObject({ order_id: zId, order_items: z.array(orderItemSchema) })),
})

// ---- push (Lazada Push Mechanism, docId 120168) ----

const zSeconds = z.coerce.number().int().nonnegative().max(253402300799)

export const pushEnvelopeSchema = z.looseObject({
  seller_id: zLooseText,
  message_type: z.coerce.number().int().nonnegative(),
  data: z.record(z.string(), z.unknown()),
  /** Milliseconds in the samples (one sample's comment says seconds): both are read. */
  timestamp: z.coerce.number().nonnegative().nullish(),
  site: z.string().max(32).nullish(),
})
export type LazadaPushEnvelope = z.output<typeof pushEnvelopeSchema>

/** Lazada's ids are digits; a push is bounded to short, safe ids before anything is stored. */
const zPushId = z.union([z.number().int().nonnegative(), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]).transform((v) => String(v))

export const tradeOrderPushSchema = z.looseObject({
  trade_order_id: zPushId,
  trade_order_line_id: zPushId.nullish(),
  order_status: z.string().min(1).max(64),
  status_update_time: zSeconds.nullish(),
  reverse_order_id: zPushId.nullish(),
})

export const reverseOrderPushSchema = z.looseObject({
  reverse_order_id: zPushId,
  reverse_order_line_id: zPushId.nullish(),
  trade_order_id: zPushId.nullish(),
  trade_order_line_id: zPushId.nullish(),
  reverse_status: z.string().min(1).max(64),
  status_update_time: zSeconds.nullish(),
})

export const tokenExpiryPushSchema = z.looseObject({
  seller_id: zPushId.nullish(),
  auth_expiry_time: zSeconds.nullish(),
})

// ---- products (GetProducts docId 1301, UpdatePriceQuantity docId 1330) ----

export const productsAnswerSchema = envelopeSchema.extend({
  data: z.looseObject({
    total_products: z.coerce.number().int().nonnegative().nullish(),
    products: z
      .array(
        z.looseObject({
          item_id: zId,
          status: zText,
          attributes: z.looseObject({ name: zText }).nullish(),
          skus: z
            .array(
              z.looseObject({
                SkuId: zId,
                SellerSku: zText,
                price: zMoney.nullish(),
                quantity: z.coerce.number().int().nullish(),
                Status: zText,
                Variation: zText,
              })
            )
            .nullish(),
        })
      )
      .nullish(),
  }),
})

/** UpdatePriceQuantity's per-SKU failures, in the error answer's `detail`. */
export const priceQuantityDetailSchema = z.array(
  z.looseObject({ item_id: zLooseText, sku_id: zLooseText, seller_sku: zText, message: zText, field: zText })
)

// ---- fulfilment (Pack docId 1470, ReadyToShip 1469, GetDocument 1475, GetShipmentProvider; flow docId 120167) ----

/**
 * The fulfilment APIs answer `{ code: "0", result: { success, error_code?, error_msg?, data } }`. `success` true does
 * not mean every unit or package went through: each carries its own `item_err_code` ("0" when it did).
 */
const resultOf = <T extends z.ZodType>(data: T) =>
  envelopeSchema.extend({
    result: z.looseObject({
      success: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
      error_code: zLooseText.nullish(),
      error_msg: zLooseText.nullish(),
      data: data.nullish(),
    }),
  })

const zErrCode = z.union([z.string(), z.number()]).transform(String)

export const shipmentProvidersAnswerSchema = resultOf(
  z.looseObject({
    shipping_allocate_type: z.string().max(16),
    shipment_providers: z.array(z.looseObject({ name: zText, provider_code: zText })).nullish(),
  })
)

export const packAnswerSchema = resultOf(
  z.looseObject({
    pack_order_list: z.array(
      z.looseObject({
        order_id: zId,
        order_item_list: z.array(
          z.looseObject({
            order_item_id: zId,
            item_err_code: zErrCode,
            msg: zLooseText.nullish(),
            package_id: zLooseText.nullish(),
            tracking_number: zLooseText.nullish(),
            shipment_provider: zLooseText.nullish(),
          })
        ),
      })
    ),
  })
)

export const readyToShipAnswerSchema = resultOf(
  z.looseObject({
    packages: z.array(z.looseObject({ package_id: z.string().min(1).max(64), item_err_code: zErrCode, msg: zLooseText.nullish() })),
  })
)

export const documentAnswerSchema = resultOf(
  z.looseObject({ doc_type: zLooseText.nullish(), file: z.string().max(20_000_000).regex(/^[A-Za-z0-9+/=\s]*$/).nullish() })
)

// ---- seller cancellation (OrderCancelValidate docId 1426, InitReverseOrderCancel docId 1474) ----

/** The `data` both answer with: a tip ("warn", "error", "success"...), and for the validation the reasons offered. */
const cancelTipSchema = z.looseObject({ tip_type: zText, tip_content: zText })

export const cancelValidateAnswerSchema = envelopeSchema.extend({
  data: cancelTipSchema.extend({
    reason_options: z.array(z.looseObject({ reason_id: zId, reason_name: z.string() })).nullish(),
  }),
})
export type LazadaCancelValidation = z.output<typeof cancelValidateAnswerSchema>["data"]

export const cancelCreateAnswerSchema = envelopeSchema.extend({ data: cancelTipSchema.nullish() })

// ---- reverse orders (GetReverseOrdersForSeller docId 1318, GetReverseOrderDetail, ReverseOrderReturnUpdate,
// GetReverseOrderReasonList, ReverseOrderOnlyRefundDecide) ----

const zFlag = z
  .union([z.boolean(), z.enum(["true", "false"])])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : v === true || v === "true"))
/** Minor units ("currency in cent, except VN"): an integer, as a JSON number or a digit string. */
const zMinor = z.union([z.number().int(), z.string().regex(/^-?\d{1,20}$/)]).transform(String)
/** Milliseconds (the list's and the detail's `return_order_line_gmt_*`, `sla`). */
const zMillis = z.coerce.number().nonnegative()

/** One reverse line; the list names its product `product` / `buyer.buyer_id`, the detail `productDTO` / `buyer.user_id`. */
const reverseLineSchema = z.looseObject({
  reverse_order_line_id: zId,
  trade_order_line_id: zId,
  reverse_status: z.string().min(1).max(64),
  ofc_status: zText,
  is_dispute: zFlag,
  is_need_refund: zFlag,
  refund_amount: zMinor.nullish(),
  item_unit_price: zMinor.nullish(),
  reason_text: zText,
  reason_code: zLooseText,
  seller_sku_id: zText,
  platform_sku_id: zText,
  tracking_number: zText,
  return_order_line_gmt_create: zMillis.nullish(),
  return_order_line_gmt_modified: zMillis.nullish(),
  product: z.looseObject({ product_id: zLooseText, product_sku: zLooseText }).nullish(),
  productDTO: z.looseObject({ product_id: zLooseText, sku: zLooseText }).nullish(),
})
export type LazadaReverseLine = z.output<typeof reverseLineSchema>

const reverseHeadSchema = z.looseObject({
  reverse_order_id: zId,
  trade_order_id: zId,
  request_type: z.string().min(1).max(32),
  is_rtm: zFlag,
  shipping_type: zText,
})

export const reverseOrderListAnswerSchema = envelopeSchema.extend({
  result: z.looseObject({
    page_no: z.coerce.number().int(),
    page_size: z.coerce.number().int(),
    total: z.coerce.number().int(),
    items: z.array(reverseHeadSchema.extend({ reverse_order_lines: z.array(reverseLineSchema) })).nullish(),
  }),
})

export const reverseOrderDetailAnswerSchema = envelopeSchema.extend({
  data: reverseHeadSchema.extend({ reverseOrderLineDTOList: z.array(reverseLineSchema) }),
})

/** A reverse order as the provider reads it, whichever call gave it. */
export type LazadaReverseOrder = z.output<typeof reverseHeadSchema> & { lines: LazadaReverseLine[] }

export const reverseReasonListAnswerSchema = envelopeSchema.extend({
  data: z.array(z.looseObject({ reason_id: zId, text: zText, muti_language_text: zText })).nullish(),
})

export const reverseUpdateAnswerSchema = envelopeSchema.extend({ data: z.unknown().nullish() })

// ---- finance ----

/**
 * One row of QueryTransactionDetails (`/finance/transaction/details/get`, API docId 1294): every field is a string
 * in the docs' sample ("amount": "-0.62", "transaction_date": "17 May 2016", "fee_type": "13").
 */
export const transactionSchema = z.looseObject({
  order_no: zId,
  orderItem_no: zLooseText,
  amount: zMoney,
  transaction_type: zLooseText,
  fee_name: zLooseText,
  fee_type: zLooseText,
  transaction_date: zLooseText,
  transaction_number: zLooseText,
  statement: zLooseText,
  paid_status: zLooseText,
  comment: zLooseText,
  details: zLooseText,
  VAT_in_amount: zLooseText,
  WHT_amount: zLooseText,
})
export type LazadaTransaction = z.output<typeof transactionSchema>

export const transactionsAnswerSchema = envelopeSchema.extend({ data: z.array(transactionSchema).nullish().transform((v) => v ?? []) })

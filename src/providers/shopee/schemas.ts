import { z } from "@medusajs/framework/zod"
import { normalizeDecimal, numberToDecimal } from "../kit"

/**
 * zod schemas of the Shopee answers the provider reads. Objects are loose (Shopee adds fields all the time);
 * the fields the provider uses are checked. Shapes follow the Open Platform v2 API reference.
 */

/** A 64-bit id: a JSON integer (or a digit string when it exceeded 2^53) -> string. */
export const zId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform((v) => String(v))

/** An amount: a JSON number (or a decimal string) -> exact decimal string. */
export const zMoney = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)])
  .transform((v) => (typeof v === "number" ? numberToDecimal(v) : normalizeDecimal(v)))

/** Unix seconds. */
export const zTime = z.number().int().nonnegative()

const zText = z.string().nullish()

/** The common part of every answer; `error` is empty (docs samples also show "-" or " ") on success. */
export const envelopeSchema = z.looseObject({
  request_id: z.string().nullish(),
  error: z.string().nullish(),
  message: z.string().nullish(),
})

// ---- auth (public APIs answer at the top level, without `response`) ----

export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** Seconds the access token lives (4 h). */
  expire_in: z.number().int().positive(),
  shop_id: zId.nullish(),
})

export const shopInfoSchema = z.looseObject({
  shop_name: zText,
  region: zText,
  status: zText,
})

// ---- orders ----

export const orderListSchema = z.looseObject({
  response: z.looseObject({
    more: z.boolean(),
    next_cursor: z.union([z.string(), z.number()]).nullish(),
    order_list: z
      .array(z.looseObject({ order_sn: z.string().min(1), order_status: zText }))
      .nullish(),
  }),
})

const orderItemSchema = z.looseObject({
  item_id: zId,
  item_name: z.string(),
  item_sku: zText,
  model_id: zId,
  model_name: zText,
  model_sku: zText,
  model_quantity_purchased: z.number().int().nonnegative(),
  model_original_price: zMoney,
  model_discounted_price: zMoney,
  order_item_id: zId.nullish(),
  promotion_group_id: zId.nullish(),
  image_info: z.looseObject({ image_url: zText }).nullish(),
})

const packageSchema = z.looseObject({
  package_number: z.string(),
  logistics_status: zText,
  shipping_carrier: zText,
  item_list: z
    .array(
      z.looseObject({
        item_id: zId,
        model_id: zId,
        model_quantity: z.number().int().nullish(),
        order_item_id: zId.nullish(),
        promotion_group_id: zId.nullish(),
      })
    )
    .nullish(),
})

const addressSchema = z.looseObject({
  name: zText,
  phone: zText,
  town: zText,
  district: zText,
  city: zText,
  state: zText,
  region: zText,
  zipcode: zText,
  full_address: zText,
})

export const orderDetailSchema = z.looseObject({
  order_sn: z.string().min(1),
  region: zText,
  currency: z.string().min(1),
  order_status: z.string().min(1),
  create_time: zTime,
  update_time: zTime,
  pay_time: zTime.nullish(),
  total_amount: zMoney.nullish(),
  estimated_shipping_fee: zMoney.nullish(),
  actual_shipping_fee: zMoney.nullish(),
  shipping_carrier: zText,
  checkout_shipping_carrier: zText,
  payment_method: zText,
  message_to_seller: zText,
  cancel_reason: zText,
  buyer_cancel_reason: zText,
  buyer_user_id: zId.nullish(),
  buyer_username: zText,
  recipient_address: addressSchema.nullish(),
  item_list: z.array(orderItemSchema).nullish(),
  package_list: z.array(packageSchema).nullish(),
})
export type ShopeeOrderDetail = z.infer<typeof orderDetailSchema>

export const orderDetailListSchema = z.looseObject({
  response: z.looseObject({ order_list: z.array(orderDetailSchema).nullish() }),
})

// ---- escrow ----

const zFee = zMoney.nullish()

export const orderIncomeSchema = z.looseObject({
  escrow_amount: zMoney,
  escrow_amount_after_adjustment: zFee,
  buyer_total_amount: zFee,
  commission_fee: zFee,
  service_fee: zFee,
  seller_transaction_fee: zFee,
  buyer_paid_shipping_fee: zFee,
  actual_shipping_fee: zFee,
  shopee_shipping_rebate: zFee,
  voucher_from_seller: zFee,
  voucher_from_shopee: zFee,
  coins: zFee,
  escrow_tax: zFee,
  withholding_tax: zFee,
  withholding_vat_tax: zFee,
  withholding_pit_tax: zFee,
  withholding_cit_tax: zFee,
  campaign_fee: zFee,
  order_ams_commission_fee: zFee,
  seller_order_processing_fee: zFee,
  delivery_seller_protection_fee_premium_amount: zFee,
  shipping_seller_protection_fee_amount: zFee,
  overseas_return_service_fee: zFee,
  order_adjustment: z
    .array(
      z.looseObject({
        amount: zMoney,
        date: zTime.nullish(),
        currency: zText,
        adjustment_reason: zText,
      })
    )
    .nullish(),
})

export const escrowDetailSchema = z.looseObject({
  order_sn: z.string().min(1),
  order_income: orderIncomeSchema,
  buyer_payment_info: z.looseObject({ buyer_total_amount: zFee }).nullish(),
})
export type ShopeeEscrowDetail = z.infer<typeof escrowDetailSchema>

/** A failed entry carries a bare escrow_detail (order_sn only): the detail is checked once the entry succeeded. */
const escrowEntrySchema = z.looseObject({
  escrow_detail: z.unknown(),
  fail_error: zText,
  fail_message: zText,
})

/**
 * get_escrow_detail_batch answers `response: [{ escrow_detail }]`; the reference's error example shows the list as
 * a top-level `escrow_detail_list` with `fail_error` per entry instead. Both are read.
 */
export const escrowBatchSchema = z.looseObject({
  response: z.union([z.array(escrowEntrySchema), z.looseObject({ escrow_detail_list: z.array(escrowEntrySchema) })]).nullish(),
  escrow_detail_list: z.array(escrowEntrySchema).nullish(),
})

// ---- logistics ----

export const shippingParameterSchema = z.looseObject({
  response: z.looseObject({
    info_needed: z.looseObject({
      pickup: z.array(z.string()).nullish(),
      dropoff: z.array(z.string()).nullish(),
      non_integrated: z.array(z.string()).nullish(),
    }),
    pickup: z
      .looseObject({
        address_list: z
          .array(
            z.looseObject({
              address_id: zId,
              address_flag: z.array(z.string()).nullish(),
              time_slot_list: z
                .array(
                  z.looseObject({
                    pickup_time_id: z.union([z.string(), z.number()]).transform(String),
                    flags: z.array(z.string()).nullish(),
                  })
                )
                .nullish(),
            })
          )
          .nullish(),
      })
      .nullish(),
    dropoff: z
      .looseObject({ branch_list: z.array(z.looseObject({ branch_id: zId })).nullish() })
      .nullish(),
  }),
})
export type ShopeeShippingParameter = z.infer<typeof shippingParameterSchema>["response"]

export const trackingNumberSchema = z.looseObject({
  response: z.looseObject({ tracking_number: zText }),
})

/** v2.logistics.get_mass_tracking_number: per package, a (possibly empty) tracking number or a failure. */
export const massTrackingNumberSchema = z.looseObject({
  response: z.looseObject({
    success_list: z.array(z.looseObject({ package_number: z.string(), tracking_number: zText })).nullish(),
    fail_list: z.array(z.looseObject({ package_number: z.string(), fail_reason: zText })).nullish(),
  }),
})

const documentResultEntry = z.looseObject({
  order_sn: z.string(),
  package_number: zText,
  status: zText,
  fail_error: zText,
  fail_message: zText,
})

export const documentResultSchema = z.looseObject({
  response: z.looseObject({ result_list: z.array(documentResultEntry) }),
})

export const anyResponseSchema = z.looseObject({})

// ---- returns ----

const returnItemSchema = z.looseObject({
  item_id: zId,
  model_id: zId,
  name: zText,
  item_sku: zText,
  variation_sku: zText,
  amount: z.number().int().nonnegative(),
  item_price: zMoney.nullish(),
  refund_amount: zMoney.nullish(),
})

export const returnSchema = z.looseObject({
  return_sn: z.union([z.string().min(1), z.number()]).transform(String),
  order_sn: z.string().min(1),
  status: z.string().min(1),
  reason: zText,
  text_reason: zText,
  refund_amount: zMoney,
  currency: z.string().min(1),
  create_time: zTime,
  update_time: zTime,
  needs_logistics: z.boolean().nullish(),
  return_solution: z.number().int().nullish(),
  item: z.array(returnItemSchema).nullish(),
})
export type ShopeeReturn = z.infer<typeof returnSchema>

export const returnListSchema = z.looseObject({
  response: z.looseObject({ more: z.boolean(), return: z.array(returnSchema).nullish() }),
})

export const returnDetailSchema = z.looseObject({ response: returnSchema })

// ---- products ----

export const itemListSchema = z.looseObject({
  response: z.looseObject({
    item: z.array(z.looseObject({ item_id: zId, item_status: zText })).nullish(),
    has_next_page: z.boolean(),
    next_offset: z.number().int().nonnegative().nullish(),
  }),
})

const priceInfoSchema = z.looseObject({
  currency: zText,
  original_price: zMoney,
  current_price: zMoney.nullish(),
})

const stockInfoSchema = z
  .looseObject({
    summary_info: z.looseObject({ total_available_stock: z.number().int().nullish() }).nullish(),
    seller_stock: z.array(z.looseObject({ location_id: zText, stock: z.number().int() })).nullish(),
  })
  .nullish()

export const itemBaseInfoSchema = z.looseObject({
  item_id: zId,
  item_name: z.string(),
  item_sku: zText,
  item_status: zText,
  has_model: z.boolean().nullish(),
  price_info: z.array(priceInfoSchema).nullish(),
  stock_info_v2: stockInfoSchema,
})
export type ShopeeItemBaseInfo = z.infer<typeof itemBaseInfoSchema>

export const itemBaseInfoListSchema = z.looseObject({
  response: z.looseObject({ item_list: z.array(itemBaseInfoSchema).nullish() }),
})

export const modelListSchema = z.looseObject({
  response: z.looseObject({
    tier_variation: z
      .array(z.looseObject({ name: zText, option_list: z.array(z.looseObject({ option: zText })).nullish() }))
      .nullish(),
    model: z.array(
      z.looseObject({
        model_id: zId,
        model_sku: zText,
        model_status: zText,
        tier_index: z.array(z.number().int()).nullish(),
        price_info: z.array(priceInfoSchema).nullish(),
        stock_info_v2: stockInfoSchema,
      })
    ),
  }),
})
export type ShopeeModelList = z.infer<typeof modelListSchema>["response"]

/** update_stock / update_price: per-model results. */
export const batchUpdateSchema = z.looseObject({
  response: z
    .looseObject({
      success_list: z.array(z.looseObject({ model_id: zId, location_id: zText })).nullish(),
      failure_list: z.array(z.looseObject({ model_id: zId, failed_reason: zText })).nullish(),
    })
    .nullish(),
})
export type ShopeeBatchUpdate = z.infer<typeof batchUpdateSchema>

// ---- push ----
// A push is input from the network (signed, but still only as sane as the sender): every field the plugin stores
// is bounded here, so that nothing the database refuses (a NUL character, a date past year 9999, a key longer
// than an index row) gets past the schema.

/** The last second the database and `Date` both hold (9999-12-31T23:59:59Z). */
export const MAX_UNIX_SECONDS = 253_402_300_799

/** Unix seconds of a push: a whole number from 1970 to 9999. */
export const zPushTime = z.number().int().min(0).max(MAX_UNIX_SECONDS)

/** A shop id in a push: a 64-bit integer (or the digit string it became beyond 2^53). */
export const zPushId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)])
  .transform((v) => String(v))

/** An identifier the plugin stores and looks up (order sn, return sn, message id): short, printable. */
export const zPushText = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\u0000-\u001f\u007f]+$/, "holds control characters")

/** A push body: `{ msg_id?, data, shop_id, code, timestamp }`. */
export const pushEnvelopeSchema = z.looseObject({
  msg_id: z.union([zPushText, z.number().int().nonnegative()]).transform(String).nullish(),
  code: z.number().int().min(0).max(1_000_000),
  shop_id: zPushId.nullish(),
  timestamp: zPushTime.nullish(),
  data: z.unknown(),
})
export type ShopeePushEnvelope = z.infer<typeof pushEnvelopeSchema>

export const orderStatusPushSchema = z.looseObject({
  ordersn: zPushText,
  status: zPushText,
  update_time: zPushTime.nullish(),
})

export const trackingPushSchema = z.looseObject({
  ordersn: zPushText,
  package_number: z.string().nullish(),
  tracking_no: z.string().nullish(),
})

export const returnPushSchema = z.looseObject({
  order_sn: zPushText.nullish(),
  return_sn: z.union([zPushText, z.number().int().nonnegative()]).transform(String),
  updated_values: z.unknown(),
})

/** Partner-level messages (authorized, deauthorized, expiring) name their shops in the data. */
export const shopListPushSchema = z.looseObject({
  shop_id: zPushId.nullish(),
  shop_id_list: z.array(zPushId).max(1000).nullish(),
})

export const lostPushSchema = z.looseObject({
  response: z.looseObject({
    push_message_list: z
      .array(
        z.looseObject({
          shop_id: zId.nullish(),
          code: z.number().int(),
          timestamp: zTime.nullish(),
          /** Documented as a string; the reference's sample shows the whole push envelope as an object. */
          data: z.unknown(),
        })
      )
      .nullish(),
    has_next_page: z.boolean().nullish(),
    last_message_id: zId.nullish(),
  }),
})

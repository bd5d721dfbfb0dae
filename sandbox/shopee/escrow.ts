import { prorate, roundMoney, sumMoney } from "../kit/money"
import { orderTotalAmount } from "./order-view"
import type { SandboxOrder } from "./types"

/**
 * v2.payment.get_escrow_detail `response` for one order. Amounts follow the documented formula
 * for non cross-border shops:
 *   escrow_amount = original_cost_of_goods_sold - original_shopee_discount + seller_return_refund
 *     + shopee_discount - voucher_from_seller - seller_coin_cash_back + buyer_paid_shipping_fee
 *     - actual_shipping_fee + shopee_shipping_rebate - seller_transaction_fee - service_fee
 *     - commission_fee - escrow_tax (every other documented term is 0 here)
 * and escrow_amount_after_adjustment = escrow_amount + sum(order_adjustment[].amount).
 */
export function escrowDetail(order: SandboxOrder): Record<string, unknown> {
  const c = order.currency
  const cancelled = order.order_status === "CANCELLED"
  const lines = order.lines
  const originalSubtotals = lines.map((l) => roundMoney(l.original_price * l.quantity, c))
  const discountedSubtotals = lines.map((l) => roundMoney(l.discounted_price * l.quantity, c))
  const orderOriginalPrice = sumMoney(originalSubtotals, c)
  const orderDiscountedPrice = sumMoney(discountedSubtotals, c)
  const sellerDiscount = roundMoney(orderOriginalPrice - orderDiscountedPrice, c)

  // A cancelled order pays nothing out: goods, shipping and fees are all zero.
  const goods = cancelled ? 0 : orderDiscountedPrice
  const voucherSeller = cancelled ? 0 : order.voucher_from_seller
  const voucherShopee = cancelled ? 0 : order.voucher_from_shopee
  const coins = cancelled ? 0 : order.coins
  const buyerShipping = cancelled ? 0 : order.buyer_paid_shipping_fee
  const actualShipping = cancelled ? 0 : order.actual_shipping_fee
  const rebate = cancelled ? 0 : order.shopee_shipping_rebate
  const buyerTotal = orderTotalAmount(order)
  const commission = roundMoney(goods * order.fee_rates.commission, c)
  const service = roundMoney(goods * order.fee_rates.service, c)
  const transaction = cancelled ? 0 : roundMoney(buyerTotal * order.fee_rates.transaction, c)
  const returnRefund = cancelled ? 0 : order.seller_return_refund

  const escrowAmount = roundMoney(
    goods + returnRefund - voucherSeller + buyerShipping - actualShipping + rebate -
      transaction - service - commission,
    c
  )
  const totalAdjustment = sumMoney(
    order.adjustments.map((a) => a.amount),
    c
  )

  const coinShares = prorate(coins, discountedSubtotals, c)
  const shopeeVoucherShares = prorate(voucherShopee, discountedSubtotals, c)
  const sellerVoucherShares = prorate(voucherSeller, discountedSubtotals, c)

  const orderIncome: Record<string, unknown> = {
    escrow_amount: escrowAmount,
    buyer_total_amount: buyerTotal,
    order_original_price: orderOriginalPrice,
    original_price: orderOriginalPrice,
    order_discounted_price: orderDiscountedPrice,
    order_selling_price: orderOriginalPrice,
    order_seller_discount: sellerDiscount,
    seller_discount: sellerDiscount,
    shopee_discount: 0,
    original_shopee_discount: 0,
    voucher_from_seller: voucherSeller,
    voucher_from_shopee: voucherShopee,
    coins,
    buyer_paid_shipping_fee: buyerShipping,
    buyer_transaction_fee: 0,
    cross_border_tax: 0,
    payment_promotion: 0,
    commission_fee: commission,
    service_fee: service,
    seller_transaction_fee: transaction,
    seller_lost_compensation: 0,
    seller_coin_cash_back: 0,
    escrow_tax: 0,
    estimated_shipping_fee: order.estimated_shipping_fee,
    final_shipping_fee: roundMoney(buyerShipping + rebate - actualShipping, c),
    actual_shipping_fee: actualShipping,
    shopee_shipping_rebate: rebate,
    shipping_fee_discount_from_3pl: 0,
    seller_shipping_discount: 0,
    seller_voucher_code: order.seller_voucher_code,
    drc_adjustable_refund: 0,
    cost_of_goods_sold: goods,
    original_cost_of_goods_sold: goods,
    seller_return_refund: returnRefund,
    reverse_shipping_fee: 0,
    campaign_fee: 0,
    order_ams_commission_fee: 0,
    buyer_payment_method: order.payment_method,
    instalment_plan: "N/A",
    items: lines.map((line, i) => ({
      item_id: line.item_id,
      item_name: line.item_name,
      item_sku: line.item_sku,
      model_id: line.model_id,
      model_name: line.model_name,
      model_sku: line.model_sku,
      original_price: originalSubtotals[i],
      selling_price: originalSubtotals[i],
      discounted_price: discountedSubtotals[i],
      seller_discount: roundMoney(originalSubtotals[i] - discountedSubtotals[i], c),
      shopee_discount: 0,
      discount_from_coin: coinShares[i],
      discount_from_voucher_shopee: shopeeVoucherShares[i],
      discount_from_voucher_seller: sellerVoucherShares[i],
      activity_type: "",
      activity_id: 0,
      is_main_item: false,
      quantity_purchased: line.quantity,
      is_b2c_shop_item: false,
      ams_commission_fee: 0,
      promotion_list: [],
    })),
  }
  // The docs: "If the order without adjustment, no returned of the field."
  if (order.adjustments.length > 0) {
    orderIncome.order_adjustment = order.adjustments.map((a) => ({ ...a }))
    orderIncome.total_adjustment_amount = totalAdjustment
    orderIncome.escrow_amount_after_adjustment = roundMoney(escrowAmount + totalAdjustment, c)
  }

  return {
    order_sn: order.order_sn,
    buyer_user_name: order.buyer_username,
    return_order_sn_list: [...order.return_sns],
    order_income: orderIncome,
    buyer_payment_info: {
      buyer_payment_method: order.payment_method,
      buyer_service_fee: 0,
      buyer_tax_amount: 0,
      buyer_total_amount: buyerTotal,
      credit_card_promotion: 0,
      icms_tax_amount: 0,
      import_tax_amount: 0,
      initial_buyer_txn_fee: 0,
      insurance_premium: 0,
      iof_tax_amount: 0,
      is_paid_by_credit_card: order.payment_method === "Credit Card/Debit Card",
      merchant_subtotal: orderDiscountedPrice,
      // Offsets to what the buyer pays appear as negative numbers in the documented sample.
      seller_voucher: -order.voucher_from_seller,
      shipping_fee: order.buyer_paid_shipping_fee,
      shipping_fee_sst_amount: 0,
      shopee_voucher: -order.voucher_from_shopee,
      shopee_coins_redeemed: -order.coins,
    },
  }
}

import { MathBN } from "@medusajs/framework/utils"
import type { MarketplaceReturn, Page, ShopSession } from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeValidationError } from "./errors"
import { mapReturn } from "./mapping"
import { JsonNumber, numericPageToken } from "../kit"
import { getEscrows, windowSeconds } from "./orders"

const RETURN_PAGE_SIZE = 100

/**
 * get_return_list by update time, page_no paging (the page token is the next page number). The reference
 * describes page_no as starting at 0 ("Default is 0"), so the first page is 0.
 */
export async function listReturns(
  client: ShopeeClient,
  session: ShopSession,
  input: { updated_from: Date; updated_to: Date; page_token?: string | null }
): Promise<Page<MarketplaceReturn>> {
  const window = windowSeconds(input.updated_from, input.updated_to)
  const pageNo = numericPageToken(input.page_token)
  if (pageNo === null) {
    throw new ShopeeValidationError(`Invalid Shopee returns page token: ${input.page_token}`)
  }
  const answer = await client.getReturnList(session, {
    pageNo,
    pageSize: RETURN_PAGE_SIZE,
    from: window.from,
    to: window.to,
  })
  const returns = answer.response.return ?? []
  return {
    items: await withRefundEvidence(client, session, returns.map((r, i) => mapReturn(r, `response.return[${i}]`))),
    next_page_token: answer.response.more ? String(pageNo + 1) : null,
  }
}

export async function getReturn(client: ShopeeClient, session: ShopSession, returnSn: string): Promise<MarketplaceReturn> {
  const answer = await client.getReturnDetail(session, returnSn)
  const [ret] = await withRefundEvidence(client, session, [mapReturn(answer.response)])
  return ret
}

/** The return refunds Shopee took from an order's escrow (order_income.seller_return_refund, negative). */
function escrowReturnRefunds(raw: unknown): string {
  const value = (raw as { order_income?: { seller_return_refund?: unknown } } | null)?.order_income?.seller_return_refund
  const amount = value === undefined || value === null || value === "" ? "0" : String(value)
  return MathBN.convert(amount).abs().toString()
}

/**
 * Shopee has no refund status, and a return can pass ACCEPTED and reach CLOSED between two pulls: the status
 * alone would then read "closed without a refund" and the refund would be lost. For CLOSED returns the
 * order's escrow says it: `seller_return_refund` holds the return refunds paid out of the order. A closed
 * return whose refund the escrow covers is marked `refunded` (read by the provider's returnOutcome).
 */
async function withRefundEvidence(client: ShopeeClient, session: ShopSession, returns: MarketplaceReturn[]): Promise<MarketplaceReturn[]> {
  const closed = returns.filter((r) => r.status === "closed" && MathBN.gt(r.refund_amount, 0))
  if (!closed.length) {
    return returns
  }
  const escrows = await getEscrows(client, session, [...new Set(closed.map((r) => r.external_order_id))])
  const refunds = new Map(escrows.map((e) => [e.external_order_id, escrowReturnRefunds(e.raw)]))
  return returns.map((r) => {
    const paid = r.status === "closed" ? refunds.get(r.external_order_id) : undefined
    return paid === undefined || !MathBN.gt(r.refund_amount, 0) ? r : { ...r, refunded: MathBN.gte(paid, r.refund_amount) }
  })
}

/** v2.returns.confirm: the seller agrees to refund. */
export async function acceptReturn(client: ShopeeClient, session: ShopSession, returnSn: string): Promise<void> {
  await client.confirmReturn(session, returnSn)
}

/**
 * v2.returns.dispute needs an e-mail and a numeric dispute_reason_id (from get_return_dispute_reason): `reason`
 * carries the id; the e-mail comes from the connection's metadata.dispute_email or the `disputeEmail` option.
 */
export async function disputeReturn(
  client: ShopeeClient,
  session: ShopSession,
  returnSn: string,
  input: { reason: string; text?: string }
): Promise<void> {
  if (!/^\d+$/.test(input.reason)) {
    throw new ShopeeValidationError(
      `Shopee disputes need a numeric dispute_reason_id (from get_return_dispute_reason), got "${input.reason}"`
    )
  }
  const fromMetadata = session.metadata?.dispute_email
  const email = typeof fromMetadata === "string" && fromMetadata ? fromMetadata : client.options.disputeEmail
  if (!email) {
    throw new ShopeeValidationError('Shopee disputes need an e-mail: set the "disputeEmail" option')
  }
  await client.disputeReturn(session, {
    return_sn: returnSn,
    email,
    dispute_reason_id: new JsonNumber(input.reason),
    dispute_text_reason: input.text || undefined,
  })
}

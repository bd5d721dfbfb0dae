import type { MarketplaceReturn, Page, ShopSession } from "../types"
import type { ShopeeClient } from "./client"
import { ShopeeValidationError } from "./errors"
import { mapReturn } from "./mapping"
import { JsonNumber, numericPageToken } from "../kit"
import { windowSeconds } from "./orders"

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
    items: returns.map((r, i) => mapReturn(r, `response.return[${i}]`)),
    next_page_token: answer.response.more ? String(pageNo + 1) : null,
  }
}

export async function getReturn(client: ShopeeClient, session: ShopSession, returnSn: string): Promise<MarketplaceReturn> {
  const answer = await client.getReturnDetail(session, returnSn)
  return mapReturn(answer.response)
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

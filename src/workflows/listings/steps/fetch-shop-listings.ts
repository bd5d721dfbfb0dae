import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceListing } from "../../../providers/types"
import { withShopSession } from "../../../lib/shop-session"

export type FetchShopListingsStepInput = { connection_id: string }

export const fetchShopListingsStepId = "fetch-marketplace-shop-listings"

/**
 * Pulls every item and model of a shop, page by page, with the price and stock the marketplace shows.
 * Reads only.
 *
 * @example
 * const listings = fetchShopListingsStep({ connection_id: "mpcon_123" })
 */
export const fetchShopListingsStep = createStep(
  fetchShopListingsStepId,
  async ({ connection_id }: FetchShopListingsStepInput, { container }) => {
    const listings: MarketplaceListing[] = []
    let pageToken: string | null = null
    do {
      const page = await withShopSession(container, connection_id, (provider, session) =>
        provider.listListings(session, { page_token: pageToken })
      )
      listings.push(...page.items)
      pageToken = page.next_page_token
    } while (pageToken)
    return new StepResponse(listings)
  }
)

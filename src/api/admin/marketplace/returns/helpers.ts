import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { MarketplaceApiError } from "../../../../providers/errors"
import type { MarketplaceProvider, ShopSession } from "../../../../providers/types"
import { importReturnsById } from "../../../../orchestration/returns/return-sync"
import { withShopSession } from "../../../../lib/shop-session"
import { defaultReturnLinkFields } from "./query-config"

export async function retrieveReturnLink(container: MedusaContainer, id: string, fields = defaultReturnLinkFields) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "return_link",
    fields,
    filters: { id },
  })
  const link = data[0] as Record<string, any> | undefined
  if (!link) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Return with id: ${id} was not found`)
  }
  return link
}

/**
 * Asks the marketplace to act on a return, then imports the return again so that Medusa shows its new
 * state. A refusal is a 4xx with the marketplace's message, and nothing is changed.
 */
export async function actOnReturn(
  container: MedusaContainer,
  id: string,
  verb: string,
  act: (provider: MarketplaceProvider, session: ShopSession, externalReturnId: string) => Promise<void>
) {
  const link = await retrieveReturnLink(container, id, ["id", "connection_id", "external_return_id"])
  try {
    await withShopSession(container, link.connection_id, (provider, session) => act(provider, session, link.external_return_id))
  } catch (error) {
    if (!MarketplaceApiError.is(error)) {
      throw error
    }
    const answered = error.http_status !== null || error.request_id !== null
    const message = `The marketplace refused to ${verb} return ${link.external_return_id}: ${error.message}`
    if (error.kind === "not_found") throw new MedusaError(MedusaError.Types.NOT_FOUND, message)
    // A platform that does not offer the operation refuses it without a call (kind not_allowed): still a 400.
    if ((error.kind === "validation" && answered) || error.kind === "not_allowed") {
      // NOT_ALLOWED (400) keeps the marketplace's message; Medusa's handler replaces a CONFLICT's with a generic one.
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, message)
    }
    if (error.kind === "validation") {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Cannot ${verb} return ${link.external_return_id}: ${error.message}`)
    }
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, message)
  }
  const [outcome] = await importReturnsById(container, link.connection_id, [link.external_return_id])
  const current = await retrieveReturnLink(container, id)
  return { return: current, import: { action: outcome?.action ?? null, error: outcome?.error ?? null } }
}

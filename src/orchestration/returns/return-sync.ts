import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { MarketplaceEvents } from "../../modules/marketplace/events"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../modules/marketplace/types"
import { MarketplaceApiError } from "../../providers/errors"
import type { MarketplaceReturn } from "../../providers/types"
import { importReturnWorkflow } from "../../workflows/returns/workflows/import-return"
import { errorMessage } from "../../lib/errors"
import { withShopSession } from "../../lib/shop-session"
import { importOrdersById } from "../orders/order-sync"

export type ReturnImportOutcome = {
  external_return_id: string
  external_order_id: string | null
  /** failed: the import threw; missing: the marketplace does not know the return. */
  action: "create" | "update" | "unchanged" | "failed" | "missing"
  return_id: string | null
  updated_at: Date | null
  error: string | null
}

/**
 * Imports fetched marketplace returns through the import return workflow, one after the other. Orders not
 * imported yet are imported first (a return is often the first news of an order the pull has not reached).
 * One return's failure is recorded on its link and as `marketplace.return.failed`, never thrown.
 *
 * @example
 * const outcomes = await importFetchedReturns(container, "mpcon_123", returns)
 */
export async function importFetchedReturns(
  container: MedusaContainer,
  connectionId: string,
  returns: MarketplaceReturn[]
): Promise<ReturnImportOutcome[]> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const eventBus = container.resolve(Modules.EVENT_BUS)
  if (!returns.length) {
    return []
  }

  const orderIds = [...new Set(returns.map((r) => r.external_order_id))]
  const known = await marketplace.listOrderLinks(
    { connection_id: connectionId, external_order_id: orderIds },
    { select: ["external_order_id"], take: orderIds.length }
  )
  const unknown = orderIds.filter((id) => !known.some((l) => l.external_order_id === id))
  if (unknown.length) {
    await importOrdersById(container, connectionId, unknown).catch((e) =>
      logger.warn(`Importing the orders of marketplace returns failed (connection ${connectionId}): ${errorMessage(e)}`)
    )
  }

  const outcomes: ReturnImportOutcome[] = []
  for (const ret of returns) {
    const base = { external_return_id: ret.external_id, external_order_id: ret.external_order_id, updated_at: ret.updated_at }
    try {
      const { result } = await importReturnWorkflow(container).run({
        input: { connection_id: connectionId, return: { ...ret, raw: null } },
      })
      outcomes.push({ ...base, action: result.action, return_id: result.return_id, error: null })
    } catch (e) {
      const message = errorMessage(e)
      logger.warn(`Marketplace return ${ret.external_id} (connection ${connectionId}) failed to import: ${message}`)
      const [link] = await marketplace.listReturnLinks(
        { connection_id: connectionId, external_return_id: ret.external_id },
        { select: ["id"] }
      )
      if (link) {
        await marketplace.updateReturnLinks({ id: link.id, last_error: message })
      }
      await eventBus.emit({
        name: MarketplaceEvents.RETURN_FAILED,
        data: { connection_id: connectionId, external_return_id: ret.external_id, error: message },
      })
      outcomes.push({ ...base, action: "failed", return_id: null, error: message })
    }
  }
  return outcomes
}

/**
 * Fetches returns by id (the platform has no batch detail call for returns) and imports them: the path of
 * webhook events and admin actions. A fetch failure other than "not found" throws (the caller retries).
 *
 * @example
 * const outcomes = await importReturnsById(container, "mpcon_123", ["2401010001"])
 */
export async function importReturnsById(
  container: MedusaContainer,
  connectionId: string,
  externalIds: string[]
): Promise<ReturnImportOutcome[]> {
  const fetched: MarketplaceReturn[] = []
  const missing: ReturnImportOutcome[] = []
  for (const id of [...new Set(externalIds)]) {
    const ret = await withShopSession(container, connectionId, (provider, session) => provider.getReturn(session, id)).catch(
      (error) => {
        if (MarketplaceApiError.is(error) && error.kind === "not_found") return null
        throw error
      }
    )
    if (ret) fetched.push(ret)
    else missing.push({ external_return_id: id, external_order_id: null, action: "missing", return_id: null, updated_at: null, error: null })
  }
  return [...(await importFetchedReturns(container, connectionId, fetched)), ...missing]
}

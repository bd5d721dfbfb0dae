import { createHash } from "node:crypto"
import type { IFulfillmentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { retryDelay, type QueueOutcome, type QueuePolicy } from "../../../modules/marketplace/queue"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import {
  marketplaceFulfillmentProviderId,
  type MarketplaceFulfillmentData,
} from "../../../providers/marketplace-fulfillment/constants"
import { MarketplaceApiError } from "../../../providers/errors"
import type { ShipmentInfo } from "../../../providers/types"
import { withShopSession } from "../../../lib/shop-session"


/** The admin route that serves a fulfilment's stored shipping document. */
export const shippingDocumentPath = (fulfillmentId: string) => `/admin/marketplace/fulfillments/${fulfillmentId}/shipping-document`

/** One follow-up of a fulfilment at a time, in every process. */
export const fulfillmentLockKey = (fulfillmentId: string) => `marketplace:fulfillment:${fulfillmentId}`

/**
 * When the follow-up tries again after its `attempts`-th attempt failed, by the follow-up queue's policy
 * (options followUpBackoffSeconds, the last delay repeating, and followUpMaxAttempts); null once the attempts
 * are spent: the last error stays on the fulfilment, retryable by hand.
 */
export function nextFollowUpAt(policy: QueuePolicy, attempts: number, now = Date.now()): string | null {
  const delay = retryDelay(policy, attempts)
  return delay === null ? null : new Date(now + delay).toISOString()
}

/**
 * The marketplace's shipment of an order (tracking number, carrier), or null when the marketplace cannot say
 * now (network, rate limit, not found): the caller tries again later.
 */
export async function fetchMarketplaceShipment(
  container: MedusaContainer,
  connectionId: string,
  externalOrderId: string,
  packageId: string | null
): Promise<ShipmentInfo | null> {
  try {
    return await withShopSession(container, connectionId, (provider, session) =>
      provider.getShipment(session, externalOrderId, packageId)
    )
  } catch (error) {
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    logger.warn(
      `Could not read the shipment of marketplace order ${externalOrderId}: ${error instanceof Error ? error.message : String(error)}`
    )
    return null
  }
}

/** A link to the order in the marketplace's seller centre (where its tracking shows), when the provider has one. */
export async function marketplaceOrderUrl(
  container: MedusaContainer,
  connectionId: string,
  externalOrderId: string
): Promise<string | null> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  try {
    const connection = await marketplace.retrieveConnection(connectionId)
    const provider = marketplace.getProvider(connection.platform)
    return provider.orderUrl?.({ shop_id: connection.external_shop_id, region: connection.shop_region }, externalOrderId) ?? null
  } catch {
    return null
  }
}

export type FulfillmentFollowUpOutcome = {
  fulfillment_id: string
  tracking_number: string | null
  document_stored: boolean
  /** Nothing left to do. */
  done: boolean
  error: string | null
}

const describe = (error: unknown) =>
  MarketplaceApiError.is(error) || error instanceof Error ? error.message : String(error)

/** Which follow-up row the caller claimed from the queue (`claimQueue("follow_up")`), with its attempts so far. */
export type ClaimedFollowUp = { id: string; attempts: number }

/**
 * Finishes a fulfilment the merchant made in Medusa for a marketplace order: reads the tracking number (the
 * marketplace may assign it minutes after the shipment was arranged) and stores it on the fulfilment's label
 * with a tracking URL; then creates, downloads and stores the shipping document (airway bill) once, with the
 * File module, keyed by its SHA-256 (the same content is never stored twice). The follow-up is a row of the
 * module's follow-up queue: the caller either hands the row it claimed (the scheduled pass) or the row is
 * claimed here, due or not when `force` (the first try, the admin's retry); the attempt's outcome settles it
 * by the queue's policy (done; failed with the next attempt after the backoff; dead after the last). Under a
 * lock per fulfilment.
 *
 * @example
 * const outcome = await followUpMarketplaceFulfillment(container, "ful_123", { force: true })
 */
export async function followUpMarketplaceFulfillment(
  container: MedusaContainer,
  fulfillmentId: string,
  { force = false, claimed }: { force?: boolean; claimed?: ClaimedFollowUp } = {}
): Promise<FulfillmentFollowUpOutcome> {
  const locking = container.resolve(Modules.LOCKING)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  return await locking.execute(
    fulfillmentLockKey(fulfillmentId),
    async () => {
      const claim = claimed ?? (await marketplace.claimFulfillmentFollowUp(fulfillmentId, { force }))
      if (!claim) {
        return await currentOutcome(container, fulfillmentId)
      }
      let settlement: QueueOutcome = { id: claim.id, ok: false, attempts: claim.attempts, error: "The follow-up stopped unexpectedly" }
      try {
        const outcome = await attemptFollowUp(container, fulfillmentId)
        settlement = outcome.done
          ? { id: claim.id, ok: true }
          : { id: claim.id, ok: false, attempts: claim.attempts, error: outcome.error ?? "not available from the marketplace yet" }
        return outcome
      } catch (error) {
        settlement = { id: claim.id, ok: false, attempts: claim.attempts, error: describe(error) }
        throw error
      } finally {
        await marketplace.settleQueue("follow_up", [settlement])
      }
    },
    { timeout: 120, expire: 180 }
  )
}

type MarketplaceFulfillment = Awaited<ReturnType<IFulfillmentModuleService["retrieveFulfillment"]>>

async function findFulfillment(container: MedusaContainer, fulfillmentId: string): Promise<MarketplaceFulfillment | null> {
  const [fulfillment] = await container.resolve(Modules.FULFILLMENT).listFulfillments({ id: fulfillmentId }, { relations: ["labels"] })
  return fulfillment ?? null
}

/** What a fulfilment has now, when there is no follow-up to attempt (none, done, or another worker's). */
async function currentOutcome(container: MedusaContainer, fulfillmentId: string): Promise<FulfillmentFollowUpOutcome> {
  const fulfillment = await findFulfillment(container, fulfillmentId)
  const data = (fulfillment?.data ?? {}) as unknown as MarketplaceFulfillmentData
  const [row] = await container
    .resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    .listFulfillmentFollowUps({ fulfillment_id: fulfillmentId }, { select: ["status", "last_error"] })
  const done = !row || row.status === "done"
  return {
    fulfillment_id: fulfillmentId,
    tracking_number: data.tracking_number ?? null,
    document_stored: !!data.document,
    done,
    error: done ? null : row.last_error ?? null,
  }
}

/** One attempt: what the marketplace has now lands on the fulfilment; `done` when nothing is left to fetch. */
async function attemptFollowUp(container: MedusaContainer, fulfillmentId: string): Promise<FulfillmentFollowUpOutcome> {
  const fulfillments = container.resolve(Modules.FULFILLMENT)
  const fulfillment = await findFulfillment(container, fulfillmentId)
  const data = (fulfillment?.data ?? {}) as unknown as MarketplaceFulfillmentData
  // A fulfilment cancelled, gone (its creation was rolled back) or not the plugin's has nothing to follow.
  if (!fulfillment || fulfillment.provider_id !== marketplaceFulfillmentProviderId() || fulfillment.canceled_at) {
    return { fulfillment_id: fulfillmentId, tracking_number: data.tracking_number ?? null, document_stored: !!data.document, done: true, error: null }
  }

  let tracking = data.tracking_number ?? fulfillment.labels?.find((l) => l.tracking_number)?.tracking_number ?? null
  let carrier = data.carrier ?? null
  let trackingUrl: string | null = null
  const errors: string[] = []
  if (!tracking) {
    try {
      const shipment = await withShopSession(container, data.connection_id, (provider, session) =>
        provider.getShipment(session, data.external_order_id, data.package_id ?? null)
      )
      tracking = shipment.tracking_number
      carrier = shipment.carrier ?? carrier
      trackingUrl = shipment.tracking_url ?? null
    } catch (error) {
      errors.push(`tracking number: ${describe(error)}`)
    }
  }

  let document = data.document ?? null
  let documentPending = !document
  let newFileId: string | null = null
  if (tracking && documentPending) {
    try {
      const file = await withShopSession(container, data.connection_id, (provider, session) =>
        provider.getShippingDocument(session, data.external_order_id, data.package_id ?? null)
      )
      if (file) {
        const sha256 = createHash("sha256").update(file.content).digest("hex")
        const stored = await container.resolve(Modules.FILE).createFiles({
          filename: file.file_name,
          mimeType: file.content_type,
          content: file.content.toString("base64"),
          access: "private",
        })
        newFileId = stored.id
        document = {
          file_id: stored.id,
          file_name: file.file_name,
          content_type: file.content_type,
          sha256,
          size: file.content.length,
          stored_at: new Date().toISOString(),
        }
        documentPending = false
      }
    } catch (error) {
      errors.push(`shipping document: ${describe(error)}`)
    }
  }

  const done = !!tracking && !documentPending
  const error = errors.length ? errors.join("; ") : done ? null : "not available from the marketplace yet"
  // The follow-up's state is its queue row; a `follow_up` left in the data by an earlier version is cleared.
  const nextData: MarketplaceFulfillmentData = { ...data, carrier, tracking_number: tracking, document, follow_up: null }
  const existingLabel = fulfillment.labels?.[0]
  const wantedLabel = tracking
    ? {
        tracking_number: tracking,
        tracking_url:
          trackingUrl ?? existingLabel?.tracking_url ?? (await marketplaceOrderUrl(container, data.connection_id, data.external_order_id)) ?? "",
        label_url: document ? shippingDocumentPath(fulfillmentId) : existingLabel?.label_url ?? "",
      }
    : null
  try {
    await fulfillments.updateFulfillment(fulfillmentId, {
      data: nextData as unknown as Record<string, unknown>,
      ...(wantedLabel ? { labels: [existingLabel ? { id: existingLabel.id, ...wantedLabel } : wantedLabel] } : {}),
    })
  } catch (updateError) {
    if (newFileId) {
      await container.resolve(Modules.FILE).deleteFiles(newFileId)
    }
    throw updateError
  }
  if ((tracking && !data.tracking_number) || newFileId) {
    await container.resolve(Modules.EVENT_BUS).emit({
      name: MarketplaceEvents.FULFILLMENT_TRACKING_UPDATED,
      data: { id: fulfillmentId, tracking_number: tracking, document_stored: !!document },
    })
  }
  return { fulfillment_id: fulfillmentId, tracking_number: tracking, document_stored: !!document, done, error: done ? null : error }
}

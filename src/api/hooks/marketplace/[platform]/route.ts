import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MarketplaceEvents } from "../../../../modules/marketplace/events"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"
import { MarketplaceApiError } from "../../../../providers/errors"
import type { ParsedWebhookEvent, WebhookRequest } from "../../../../providers/types"
import { type InboxConnectionRef, recordInboxEvents } from "../../../../orchestration/inbox/inbox-record"
import { jsonNestsDeeperThan, readRawBody, WebhookBodyError } from "../../../../lib/webhook-body"
import { replayWindowSeconds } from "../../../../modules/marketplace/options"
import { ackFinished, ackStarted } from "../../../../lib/ack-priority"


/**
 * A wake-up per delivery would start one processing run per webhook under a burst; one per 100 ms per
 * process is enough, since a running drain takes every due event (and the inbox job is the safety net).
 * This is only a hint: nothing depends on it for correctness.
 */
const WAKE_UP_INTERVAL_MS = 100
let wakeUpScheduled = false

function scheduleWakeUp(emit: () => Promise<void>) {
  if (wakeUpScheduled) return
  wakeUpScheduled = true
  setTimeout(() => {
    wakeUpScheduled = false
    void emit()
  }, WAKE_UP_INTERVAL_MS)
}

/**
 * Which connection a shop id belongs to, remembered for a few seconds: every delivery needs it and it
 * rarely changes. Only found connections are remembered, so a shop connected a moment ago is never
 * mistaken for an unknown one.
 */
const SHOP_CACHE_MS = 5000
const shopCache = new Map<string, { connection: InboxConnectionRef; at: number }>()

async function connectionsOf(marketplace: MarketplaceModuleService, platform: string, shopIds: string[]) {
  const now = Date.now()
  const result = new Map<string, InboxConnectionRef | null>()
  const missing = shopIds.filter((id) => {
    const hit = shopCache.get(`${platform}:${id}`)
    if (hit && now - hit.at < SHOP_CACHE_MS) {
      result.set(id, hit.connection)
      return false
    }
    return true
  })
  if (missing.length) {
    const found = await marketplace.listConnections(
      { platform, external_shop_id: missing },
      { select: ["id", "external_shop_id", "status"] }
    )
    for (const id of missing) {
      const row = found.find((c) => c.external_shop_id === id)
      const connection = row ? { id: row.id, status: row.status } : null
      if (connection) shopCache.set(`${platform}:${id}`, { connection, at: now })
      result.set(id, connection)
    }
  }
  return result
}

/** Webhook bodies are small (a push is a hint); anything larger is refused before it is read in full. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024
/** No platform nests its pushes more than a few levels; deeper bodies are refused before any parser sees them. */
const WEBHOOK_MAX_JSON_DEPTH = 64

/** A 4xx the route answers itself: the error handler has no status for 413, and the message is ours. */
function refuse(res: MedusaResponse, status: 400 | 413, message: string) {
  res.status(status).json({ type: status === 413 ? "payload_too_large" : MedusaError.Types.INVALID_DATA, message })
}

/**
 * POST /hooks/marketplace/:platform: the marketplaces' push notifications. The route reads the raw body
 * itself (no body parser: 413 over 1 MB), the provider checks the signature over it (401, nothing stored),
 * then a body that is no message of the platform is a 400 (nesting beyond 64 levels, not JSON, no envelope)
 * and stores nothing; every verified message is committed to the inbox (once per idempotency key) before the
 * empty 200 answer, the ones that cannot be processed as `ignored` with the reason. Input never causes a 5xx.
 * Processing happens afterwards, asynchronously.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  // Processing in this process steps aside while deliveries are being answered (see ack-priority).
  ackStarted()
  try {
    await answerDelivery(req, res)
  } finally {
    ackFinished()
  }
}

async function answerDelivery(req: MedusaRequest, res: MedusaResponse) {
  const started = performance.now()
  const platform = req.params.platform
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  if (!marketplace.hasProvider(platform)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Marketplace platform "${platform}" is not configured`)
  }
  const provider = marketplace.getProvider(platform)

  let rawBody: Buffer
  try {
    rawBody = await readRawBody(req, WEBHOOK_BODY_LIMIT_BYTES)
  } catch (error) {
    if (error instanceof WebhookBodyError) return refuse(res, error.status, error.message)
    throw error
  }

  const publicUrl = marketplace.getPublicUrl()?.replace(/\/$/, "")
  const request: WebhookRequest = {
    raw_body: rawBody,
    headers: req.headers,
    url: `${publicUrl ?? `${req.protocol}://${req.get("host")}`}${req.originalUrl}`,
  }

  const verification = provider.verifyWebhook(request)
  if (!verification.valid) {
    // Never the body: it may carry buyer data, and an attacker's input has no business in our logs.
    logger.warn(`Refused a ${platform} webhook (${verification.reason}) from ${req.ip}`)
    throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Invalid webhook signature")
  }

  if (jsonNestsDeeperThan(rawBody, WEBHOOK_MAX_JSON_DEPTH)) {
    return refuse(res, 400, `Malformed ${platform} webhook: nested deeper than ${WEBHOOK_MAX_JSON_DEPTH} levels`)
  }
  let events: ParsedWebhookEvent[]
  try {
    events = provider.parseWebhook(request)
  } catch (error) {
    if (!MarketplaceApiError.is(error)) {
      // A provider that trips over a body is a bug to fix, but the body is still the sender's fault: a 4xx,
      // which the platform does not retry as eagerly as a 5xx.
      logger.error(`The ${platform} provider failed to parse a verified webhook: ${(error as Error)?.stack ?? error}`)
    }
    return refuse(res, 400, `Malformed ${platform} webhook: ${MarketplaceApiError.is(error) ? error.message : "unreadable body"}`)
  }

  const shopIds = [...new Set(events.map((e) => e.external_shop_id).filter((id): id is string => !!id))]
  const byShop = await connectionsOf(marketplace, platform, shopIds)

  const recording = performance.now()
  const stored = await recordInboxEvents(marketplace, platform, events, byShop, rawBody.toString("utf8"), {
    replayWindowSeconds: replayWindowSeconds(provider.limits.webhook_redelivery_horizon_seconds),
  })
  const recorded = performance.now()

  // Where the route's time went (the commit is most of it), for monitoring and bench:ingest; nothing secret.
  res.setHeader(
    "Server-Timing",
    `verify;dur=${(recording - started).toFixed(1)}, commit;dur=${(recorded - recording).toFixed(1)}`
  )

  // Acknowledge first: the platforms give us 3 s (Lazada 500 ms) and disable endpoints that are slow.
  res.status(200).end()

  if (stored.length) {
    // A lost wake-up only delays processing: the inbox job picks up whatever is pending.
    const eventBus = req.scope.resolve(Modules.EVENT_BUS)
    scheduleWakeUp(() =>
      eventBus
        .emit({ name: MarketplaceEvents.INBOX_RECEIVED, data: {} })
        .catch((e: Error) => logger.warn(`Could not wake the marketplace inbox: ${e.message}`))
    )
  }
}

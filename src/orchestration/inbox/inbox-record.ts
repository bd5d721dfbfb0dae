import { createHash } from "crypto"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import type { InboxEventInput } from "../../modules/marketplace/services/marketplace-module-service"
import type { ParsedWebhookEvent } from "../../providers/types"

type Waiting = { input: InboxEventInput; resolve: (id: string | null) => void; reject: (error: unknown) => void }

/**
 * Group commit for the inbox: deliveries that arrive while earlier inserts are committing are written
 * together in one statement (one round trip, one WAL flush) instead of one each. Each caller still gets
 * its answer only once its own row is committed, and a duplicate gets null as before. Nothing waits for a
 * batch to fill: a delivery is written at once when fewer than MAX_IN_FLIGHT inserts are running.
 * Per process and per service instance; correctness still rests on the unique index, not on this.
 */
const MAX_IN_FLIGHT = 2
const MAX_BATCH = 200

class InboxWriter {
  private waiting: Waiting[] = []
  private inFlight = 0

  constructor(private readonly marketplace: MarketplaceModuleService) {}

  write(input: InboxEventInput): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject })
      this.pump()
    })
  }

  private pump() {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_BATCH)
      this.inFlight++
      void this.commit(batch).finally(() => {
        this.inFlight--
        this.pump()
      })
    }
  }

  private async commit(batch: Waiting[]) {
    try {
      const ids = await this.marketplace.recordInboxEventsBulk(batch.map((w) => w.input))
      batch.forEach((w, i) => w.resolve(ids[i]))
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error)
      // One bad row must not fail the others: write them one by one, each with its own outcome.
      await Promise.all(
        batch.map((w) =>
          this.marketplace.recordInboxEventsBulk([w.input]).then(([id]) => w.resolve(id), w.reject)
        )
      )
    }
  }
}

const writers = new WeakMap<MarketplaceModuleService, InboxWriter>()

function writerFor(marketplace: MarketplaceModuleService) {
  let writer = writers.get(marketplace)
  if (!writer) {
    writer = new InboxWriter(marketplace)
    writers.set(marketplace, writer)
  }
  return writer
}

/** The connection a shop id belongs to, and its status, as the recording needs them. */
export type InboxConnectionRef = { id: string; status: string }

export type RecordInboxOptions = {
  /**
   * Deliveries sent longer ago than this many seconds (or as long ahead) are replays, recorded as ignored:
   * the platform no longer re-delivers them, so a copy arriving now was not sent by it. Unset: no window (the
   * platform's lost-push list, fetched over its API, is not a replay).
   */
  replayWindowSeconds?: number | null
  now?: Date
}

/** Timestamps the database and `Date` both hold. */
const MIN_TIME_MS = 0
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59)
/** Longer text than this is not an id (and an idempotency key must fit in a btree index row). */
const MAX_TEXT = 512

const validTime = (value: Date | null | undefined) =>
  value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() >= MIN_TIME_MS && value.getTime() <= MAX_TIME_MS

/** A text column's value as the database can store it: no NUL character (PostgreSQL refuses it), bounded. */
function storableText(value: string | null | undefined): { value: string | null; ok: boolean } {
  if (value === null || value === undefined) return { value: null, ok: true }
  const text = String(value)
  if (!text.includes("\u0000") && text.length <= MAX_TEXT) return { value: text, ok: true }
  return { value: text.replace(/\u0000/g, "\uFFFD").slice(0, MAX_TEXT), ok: false }
}

/** What jsonb refuses in a string: the NUL character and unpaired UTF-16 surrogates ("\ud800"). */
const JSONB_UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const jsonbString = (s: string) => s.replace(JSONB_UNSAFE, "\uFFFD")

/**
 * The parsed payload as jsonb can hold it: jsonb refuses the NUL character and unpaired surrogates in strings
 * and keys, so each one becomes U+FFFD (the raw body keeps the exact bytes). Null when the payload is too
 * deep to copy.
 */
export function jsonbSafe(value: unknown): unknown {
  const copy = (v: unknown): unknown => {
    if (typeof v === "string") return jsonbString(v)
    if (Array.isArray(v)) return v.map(copy)
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, item]) => [jsonbString(k), copy(item)])
      )
    }
    return v ?? null
  }
  try {
    return copy(value)
  } catch (error) {
    if (error instanceof RangeError) return null // nested beyond the stack: keep the raw body only
    throw error
  }
}

/**
 * Why a delivery is recorded as ignored instead of processed, or null when it is processed. Checked in this
 * order: what the database could not store, what the platform marked malformed, replays, unsupported types,
 * messages naming no shop, shops not connected, connections that are disabled or need re-authorization.
 */
function ignoredBecause(
  event: ParsedWebhookEvent,
  connection: InboxConnectionRef | null,
  textOk: boolean,
  options: RecordInboxOptions
): string | null {
  if (!textOk) return "Malformed message: an identifier holds a NUL character or is too long"
  if (event.malformed) return `Malformed message: ${event.malformed}`
  if (!validTime(event.occurred_at) || (event.order_updated_at && !validTime(event.order_updated_at))) {
    return "Malformed message: a time is out of range"
  }
  if (options.replayWindowSeconds) {
    const sentAt = event.sent_at ?? null
    if (!sentAt || !validTime(sentAt)) return "Malformed message: it carries no valid send time"
    const age = ((options.now ?? new Date()).getTime() - sentAt.getTime()) / 1000
    if (age > options.replayWindowSeconds) {
      return `Replayed delivery: sent at ${sentAt.toISOString()}, older than the platform's re-delivery window (${options.replayWindowSeconds} s)`
    }
    if (-age > options.replayWindowSeconds) {
      return `Malformed message: sent at ${sentAt.toISOString()}, in the future`
    }
  }
  if (!event.supported) return "Event type not supported"
  if (!event.external_shop_id) return "Malformed message: it names no shop"
  if (!connection) return `Shop ${event.external_shop_id} is not connected`
  if (connection.status === "disabled") return `Connection ${connection.id} is disabled`
  if (connection.status !== "active") return `Connection ${connection.id} needs re-authorization`
  return null
}

/**
 * Commits parsed deliveries to the inbox, once per idempotency key. A delivery that is malformed, a replay,
 * of a type the plugin does not handle, for a shop that is not connected, or for a connection that is
 * disabled or needs re-authorization is kept as `ignored` with the reason in `last_error` (the platforms
 * disable endpoints that refuse too often, and what we acknowledged must stay visible). Nothing the
 * database would refuse reaches it: text without NUL, times in range, a payload jsonb holds. Returns the
 * ids of new rows to process.
 */
export async function recordInboxEvents(
  marketplace: MarketplaceModuleService,
  platform: string,
  events: ParsedWebhookEvent[],
  connectionOfShop: Map<string, InboxConnectionRef | null>,
  rawBody: string | null,
  options: RecordInboxOptions = {}
): Promise<string[]> {
  const inputs: InboxEventInput[] = []
  for (const event of events) {
    const shopId = storableText(event.external_shop_id)
    const connection = shopId.ok && shopId.value ? connectionOfShop.get(shopId.value) ?? null : null
    const texts = [event.external_type, event.external_order_id, event.external_return_id].map(storableText)
    const key = storableText(event.idempotency_key)
    const reason = ignoredBecause(event, connection, shopId.ok && key.ok && texts.every((t) => t.ok), options)
    inputs.push({
      platform,
      // An unstorable key still dedupes: by its hash.
      idempotency_key: key.ok
        ? (key.value as string)
        : `sha256:${createHash("sha256").update(event.idempotency_key, "utf8").digest("hex")}`,
      connection_id: reason ? (connection?.id ?? null) : (connection as InboxConnectionRef).id,
      external_shop_id: shopId.value,
      type: event.type,
      external_type: texts[0].value,
      external_order_id: texts[1].value,
      external_return_id: texts[2].value,
      order_updated_at: event.order_updated_at && validTime(event.order_updated_at) ? event.order_updated_at : null,
      status: reason ? "ignored" : "pending",
      last_error: reason,
      payload: jsonbSafe(event.payload),
      raw_body: rawBody,
    })
  }
  const writer = writerFor(marketplace)
  const ids = await Promise.all(inputs.map((input) => writer.write(input)))
  return ids.filter((id, i): id is string => !!id && inputs[i].status !== "ignored")
}

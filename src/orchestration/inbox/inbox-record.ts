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

/**
 * Commits parsed deliveries to the inbox, once per idempotency key. A delivery for a shop that is not
 * connected, or of a type the plugin does not handle, is kept as `ignored` (the platforms disable endpoints
 * that refuse too often, and what we acknowledged must stay visible). Returns the ids of new rows to process.
 */
export async function recordInboxEvents(
  marketplace: MarketplaceModuleService,
  platform: string,
  events: ParsedWebhookEvent[],
  connectionOfShop: Map<string, string | null>,
  rawBody: string | null
): Promise<string[]> {
  const inputs: InboxEventInput[] = []
  for (const event of events) {
    const connectionId = event.external_shop_id ? connectionOfShop.get(event.external_shop_id) ?? null : null
    const ignoredBecause = !event.supported
      ? "Event type not supported"
      : event.external_shop_id && !connectionId
        ? `Shop ${event.external_shop_id} is not connected`
        : null
    inputs.push({
      platform,
      idempotency_key: event.idempotency_key,
      connection_id: connectionId,
      external_shop_id: event.external_shop_id,
      type: event.type,
      external_type: event.external_type,
      external_order_id: event.external_order_id ?? null,
      external_return_id: event.external_return_id ?? null,
      order_updated_at: event.order_updated_at ?? null,
      status: ignoredBecause ? "ignored" : "pending",
      last_error: ignoredBecause,
      payload: event.payload,
      raw_body: rawBody,
    })
  }
  const writer = writerFor(marketplace)
  const ids = await Promise.all(inputs.map((input) => writer.write(input)))
  return ids.filter((id, i): id is string => !!id && inputs[i].status !== "ignored")
}

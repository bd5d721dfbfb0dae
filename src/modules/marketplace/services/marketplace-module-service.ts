import type { Context, DAL, InferTypeOf, ModulesSdkTypes } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import type { MarketplaceProvider, TokenSet, UnconfiguredProvider } from "../../../providers/types"
import { joinerConfig } from "../joiner-config"
import {
  Connection,
  ConnectionSecret,
  Cursor,
  EscrowChange,
  Listing,
  MarketplaceEvent,
  OauthState,
  OrderLink,
  ReconciliationReport,
  ReturnLink,
  SyncRun,
  Task,
} from "../models"
import { DEFAULT_EVENT_RETRY_SCHEDULE, DEFAULT_PULL_OVERLAP_SECONDS } from "../types"
import type { MarketplaceModuleOptions } from "../types"
import { parseEncryptionKey, parseKeyList, SecretBox } from "../utils/crypto"
import type { ProviderRegistry } from "./provider-registry"

type ConnectionSecretDTO = InferTypeOf<typeof ConnectionSecret>

/** A verified webhook delivery, as the route records it. */
export type InboxEventInput = {
  platform: string
  idempotency_key: string
  connection_id: string | null
  external_shop_id: string | null
  type: string
  external_type: string | null
  external_order_id: string | null
  external_return_id: string | null
  /** The order's update time the message reports (ParsedWebhookEvent.order_updated_at). */
  order_updated_at?: Date | null
  status: "pending" | "ignored"
  last_error: string | null
  payload: unknown
  raw_body: string | null
}

/** What a claim hands a processor: the event rows it now owns. */
export type ClaimedEvent = {
  id: string
  platform: string
  connection_id: string | null
  type: string
  external_order_id: string | null
  external_return_id: string | null
  order_updated_at: Date | null
  attempts: number
}

type InjectedDependencies = {
  baseRepository: DAL.RepositoryService
  connectionSecretService: ModulesSdkTypes.IMedusaInternalService<ConnectionSecretDTO>
  marketplaceProviderRegistry: ProviderRegistry
}

/** The credential payload sealed in a ConnectionSecret. */
type SealedCredentials = {
  access_token: string
  refresh_token: string
  access_token_expires_at: string
  refresh_token_expires_at: string | null
}

/**
 * The marketplace module: connections, listings, order and return links, the webhook inbox (events), the
 * outbox (tasks), cursors and sync runs, plus the credential vault and the provider registry.
 */
export default class MarketplaceModuleService extends MedusaService({
  Connection,
  Listing,
  OrderLink,
  ReturnLink,
  MarketplaceEvent,
  Task,
  Cursor,
  SyncRun,
  OauthState,
  EscrowChange,
  ReconciliationReport,
}) {
  protected readonly baseRepository_: DAL.RepositoryService
  protected readonly connectionSecretService_: ModulesSdkTypes.IMedusaInternalService<ConnectionSecretDTO>
  protected readonly providers_: ProviderRegistry
  protected readonly secretBox_: SecretBox
  protected readonly options_: MarketplaceModuleOptions

  constructor(deps: InjectedDependencies, options: MarketplaceModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...(arguments as unknown as [InjectedDependencies]))
    this.baseRepository_ = deps.baseRepository
    this.connectionSecretService_ = deps.connectionSecretService
    this.providers_ = deps.marketplaceProviderRegistry
    this.options_ = options ?? {}
    this.secretBox_ = new SecretBox(
      parseEncryptionKey(this.options_.encryptionKey ?? process.env.MARKETPLACE_ENCRYPTION_KEY),
      parseKeyList(this.options_.previousEncryptionKeys ?? process.env.MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS)
    )
  }

  __joinerConfig() {
    return joinerConfig
  }

  /** The module options without secrets, for routes that need the public URL. */
  getPublicUrl(): string | null {
    return this.options_.publicUrl ?? process.env.MARKETPLACE_PUBLIC_URL ?? null
  }

  /** Seconds to wait before each retry of a failed inbox event. */
  getEventRetrySchedule(): number[] {
    return this.options_.eventRetrySchedule?.length ? this.options_.eventRetrySchedule : DEFAULT_EVENT_RETRY_SCHEDULE
  }

  /** How far back a scheduled pull looks before its cursor, in seconds. */
  getPullOverlapSeconds(): number {
    return this.options_.pullOverlapSeconds ?? DEFAULT_PULL_OVERLAP_SECONDS
  }

  getProvider(platform: string): MarketplaceProvider {
    return this.providers_.get(platform)
  }

  hasProvider(platform: string): boolean {
    return this.providers_.has(platform)
  }

  listProviders(): { id: string; display_name: string }[] {
    return this.providers_.list()
  }

  /** Providers listed in the options but left out because required options are absent. */
  listUnconfiguredProviders(): UnconfiguredProvider[] {
    return this.providers_.unconfigured()
  }

  /**
   * Seals and stores a connection's token pair and its expiry times in one transaction: a reader sees either
   * the old pair or the new one, never half of each. Also marks the connection active again.
   */
  @InjectTransactionManager()
  async storeCredentials(
    connectionId: string,
    tokens: TokenSet,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const payload: SealedCredentials = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      access_token_expires_at: tokens.access_token_expires_at.toISOString(),
      refresh_token_expires_at: tokens.refresh_token_expires_at?.toISOString() ?? null,
    }
    const sealed = this.secretBox_.seal(JSON.stringify(payload), connectionId)
    const [existing] = await this.connectionSecretService_.list(
      { connection_id: connectionId },
      { select: ["id"] },
      sharedContext
    )
    if (existing) {
      await this.connectionSecretService_.update({ id: existing.id, ...sealed }, sharedContext)
    } else {
      await this.connectionSecretService_.create({ connection_id: connectionId, ...sealed }, sharedContext)
    }
    await this.updateConnections(
      {
        id: connectionId,
        access_token_expires_at: tokens.access_token_expires_at,
        refresh_token_expires_at: tokens.refresh_token_expires_at ?? null,
      },
      sharedContext
    )
  }

  /** The decrypted token pair of a connection. Never expose the result through an API. */
  @InjectManager()
  async retrieveCredentials(
    connectionId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<TokenSet> {
    const [secret] = await this.connectionSecretService_.list(
      { connection_id: connectionId },
      {},
      sharedContext
    )
    if (!secret) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Connection ${connectionId} has no stored credentials: connect the shop again`
      )
    }
    const data = JSON.parse(this.secretBox_.open(secret.ciphertext, connectionId)) as SealedCredentials
    return {
      access_token: data.access_token,
      refresh_token: data.refresh_token,
      access_token_expires_at: new Date(data.access_token_expires_at),
      refresh_token_expires_at: data.refresh_token_expires_at ? new Date(data.refresh_token_expires_at) : null,
    }
  }

  /**
   * Stores a verified webhook delivery in the inbox, once: a second delivery with the same
   * (platform, idempotency key) inserts nothing. Returns the id when the row is new, null for a duplicate.
   * The insert is committed when this returns, so the webhook can be acknowledged.
   */
  async recordInboxEvent(input: InboxEventInput, sharedContext: Context = {}): Promise<string | null> {
    const [id] = await this.recordInboxEventsBulk([input], sharedContext)
    return id
  }

  /**
   * Stores many deliveries in one statement (one commit, one round trip): for each input, in order, the id
   * of its new row, or null when the (platform, idempotency key) is already stored or repeats an earlier
   * input of the same call. Committed when this returns (a single statement outside a transaction).
   */
  @InjectManager()
  async recordInboxEventsBulk(
    inputs: InboxEventInput[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<(string | null)[]> {
    if (!inputs.length) return []
    const manager = sharedContext.manager as SqlEntityManager
    const ids = inputs.map(() => generateEntityId(undefined, "mpevt"))
    const rows = await manager.execute<{ id: string }[]>(
      `insert into marketplace_event
         (id, platform, idempotency_key, connection_id, external_shop_id, type, external_type,
          external_order_id, external_return_id, order_updated_at, status, last_error, payload, raw_body,
          received_at, processed_at)
       values ${inputs.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), ?)").join(", ")}
       on conflict (platform, idempotency_key) where deleted_at is null do nothing
       returning id`,
      inputs.flatMap((input, i) => [
        ids[i],
        input.platform,
        input.idempotency_key,
        input.connection_id,
        input.external_shop_id,
        input.type,
        input.external_type,
        input.external_order_id,
        input.external_return_id,
        input.order_updated_at ?? null,
        input.status,
        input.last_error,
        JSON.stringify(input.payload ?? null),
        input.raw_body,
        input.status === "ignored" ? new Date() : null,
      ])
    )
    const inserted = new Set(rows.map((r) => r.id))
    return ids.map((id) => (inserted.has(id) ? id : null))
  }

  /**
   * Takes events for processing, atomically: only rows still pending, failed and due, or left in
   * `processing` longer than `staleAfterSeconds` by a worker that died. Two workers claiming at once get
   * disjoint sets. Each claim counts as an attempt.
   */
  @InjectManager()
  async claimInboxEvents(
    filter: { limit?: number; staleAfterSeconds?: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<ClaimedEvent[]> {
    const manager = sharedContext.manager as SqlEntityManager
    const stale = filter.staleAfterSeconds ?? 600
    return await manager.execute<ClaimedEvent[]>(
      `update marketplace_event set status = 'processing', processing_started_at = now(),
         attempts = attempts + 1, updated_at = now()
       where id in (
         select id from marketplace_event
         where deleted_at is null
           and (status = 'pending'
             or (status = 'failed' and next_attempt_at <= now())
             or (status = 'processing' and processing_started_at < now() - make_interval(secs => ?)))
         order by received_at
         limit ?
         for update skip locked)
       returning id, platform, connection_id, type, external_order_id, external_return_id, order_updated_at, attempts`,
      [stale, filter.limit ?? 500]
    )
  }

  /**
   * Records how processing ended for claimed events, in two statements whatever their number: the ones
   * done, then the failed and dead ones (each with its error and next attempt). Only rows still in
   * `processing` change, so an event taken over by another worker in between keeps that worker's outcome.
   */
  @InjectManager()
  async settleInboxEvents(
    outcomes: {
      done: string[]
      failed: { id: string; status: "failed" | "dead"; next_attempt_at: Date | null; last_error: string }[]
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const manager = sharedContext.manager as SqlEntityManager
    if (outcomes.done.length) {
      await manager.execute(
        `update marketplace_event set status = 'done', processed_at = now(), last_error = null,
           next_attempt_at = null, updated_at = now()
         where id in (${outcomes.done.map(() => "?").join(", ")}) and status = 'processing'`,
        outcomes.done
      )
    }
    if (outcomes.failed.length) {
      await manager.execute(
        `update marketplace_event e set status = v.status, next_attempt_at = v.next_attempt_at::timestamptz,
           last_error = v.last_error, updated_at = now()
         from (values ${outcomes.failed.map(() => "(?, ?, ?, ?)").join(", ")}) as v(id, status, next_attempt_at, last_error)
         where e.id = v.id and e.status = 'processing'`,
        outcomes.failed.flatMap((f) => [f.id, f.status, f.next_attempt_at ? f.next_attempt_at.toISOString() : null, f.last_error])
      )
    }
  }

  /**
   * Takes a sync run for this worker: a pending run, or a running one whose worker stopped reporting
   * (heartbeat older than `staleAfterSeconds`: it died, and the run resumes where it was). Returns false
   * when another worker has it or it is finished.
   */
  @InjectManager()
  async claimSyncRun(
    id: string,
    staleAfterSeconds = 120,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as SqlEntityManager
    const rows = await manager.execute<{ id: string }[]>(
      `update marketplace_sync_run
         set status = 'running', heartbeat_at = now(), started_at = coalesce(started_at, now()), updated_at = now()
       where id = ? and deleted_at is null
         and (status = 'pending'
           or (status = 'running' and (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ?))))
       returning id`,
      [id, staleAfterSeconds]
    )
    return rows.length > 0
  }

  /**
   * Re-encrypts every secret sealed with a previous key under the current key. Run after changing
   * MARKETPLACE_ENCRYPTION_KEY with the old key in MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS.
   */
  @InjectTransactionManager()
  async rotateEncryptionKey(
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ total: number; rotated: number; key_id: string }> {
    const secrets = await this.connectionSecretService_.list({}, {}, sharedContext)
    const stale = secrets.filter((s) => s.key_id !== this.secretBox_.current.id)
    if (stale.length) {
      await this.connectionSecretService_.update(
        stale.map((s) => ({
          id: s.id,
          ...this.secretBox_.seal(this.secretBox_.open(s.ciphertext, s.connection_id), s.connection_id),
        })),
        sharedContext
      )
    }
    return { total: secrets.length, rotated: stale.length, key_id: this.secretBox_.current.id }
  }

  /**
   * Deletes history that has done its job: inbox events `done` or `ignored` received before
   * `eventsBefore`, and outbound tasks `done` (completed) before `tasksBefore` (a listing's push history
   * is its tasks, so keep those longer). Failed, dead, held and pending rows are never touched. Deletes in
   * batches, so a large backlog does not hold one long lock; returns how many rows went.
   */
  @InjectManager()
  async pruneHistory(
    input: { eventsBefore: Date; tasksBefore: Date; batchSize?: number },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ events: number; tasks: number }> {
    const manager = sharedContext.manager as SqlEntityManager
    const batch = input.batchSize ?? 5000
    const prune = async (sql: string, before: Date) => {
      let total = 0
      for (;;) {
        const rows = await manager.execute<{ id: string }[]>(sql, [before, batch])
        total += rows.length
        if (rows.length < batch) return total
      }
    }
    const events = await prune(
      `delete from marketplace_event where id in (
         select id from marketplace_event
         where status in ('done', 'ignored') and received_at < ?
         limit ?)
       returning id`,
      input.eventsBefore
    )
    const tasks = await prune(
      `delete from marketplace_task where id in (
         select id from marketplace_task
         where status = 'done' and coalesce(completed_at, updated_at) < ?
         limit ?)
       returning id`,
      input.tasksBefore
    )
    return { events, tasks }
  }
}

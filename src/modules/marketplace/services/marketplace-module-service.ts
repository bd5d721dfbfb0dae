import type { Context, DAL, IModuleService, InferTypeOf, ModulesSdkTypes } from "@medusajs/framework/types"
import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/knex"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaError,
  MedusaService,
} from "@medusajs/framework/utils"
import type { RateLimitStore } from "../../../providers/kit"
import type {
  AuthorizationGrant,
  AuthorizedShop,
  MarketplaceProvider,
  TokenSet,
  UnconfiguredProvider,
} from "../../../providers/types"
import { joinerConfig } from "../joiner-config"
import {
  AnalyticsDay,
  AnalyticsProductDay,
  AnalyticsStale,
  Authorization,
  AuthorizationSecret,
  Connection,
  ConnectionWarehouse,
  Cursor,
  EscrowChange,
  FulfillmentFollowUp,
  Listing,
  MarketplaceEvent,
  OauthState,
  OrderLink,
  ReconciliationReport,
  ReturnLink,
  SyncRun,
  Task,
} from "../models"
import { queuePolicies, resolveMarketplaceSettings, type MarketplaceSettings } from "../options"
import { QUEUE_TABLES, retryDelay, settleOutcomes, type QueueName, type QueueOutcome, type QueuePolicy } from "../queue"
import type {
  GrantedShop,
  GrantedShopState,
  GrantUndo,
  MarketplaceModuleOptions,
  PreviousConnection,
} from "../types"
import { parseEncryptionKey, parseKeyList, SecretBox, UnreadableSecretError } from "../utils/crypto"
import type { ProviderRegistry, ProviderSummary } from "./provider-registry"

type AuthorizationSecretDTO = InferTypeOf<typeof AuthorizationSecret>

/** A verified webhook delivery, as the route records it. */
/** The code of the error `retrieveAuthorizationTokens` throws when no configured key opens the tokens. */
export const UNREADABLE_CREDENTIALS = "marketplace_credentials_unreadable"

/** What a push task's payload records of the changes folded into it. */
export type PushTaskPayload = {
  reasons?: string[]
  changes?: number
  last_change_at?: string
  /** Timed as a quiet key's (option flushQuietMs); a second change makes it wait flushDelayMs. */
  quiet?: boolean
  [key: string]: unknown
}

/** A push payload with one more change folded in (the last ten reasons kept). */
export function touchedPushPayload(payload: PushTaskPayload | null | undefined, reason: string | undefined, at: Date): PushTaskPayload {
  const current = payload ?? {}
  const reasons = new Set(current.reasons ?? [])
  if (reason) {
    reasons.add(reason)
  }
  return { ...current, reasons: [...reasons].slice(-10), changes: (current.changes ?? 1) + 1, last_change_at: at.toISOString() }
}

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
  authorizationSecretService: ModulesSdkTypes.IMedusaInternalService<AuthorizationSecretDTO>
  marketplaceProviderRegistry: ProviderRegistry
  marketplaceRateLimitStore?: RateLimitStore
}

/** The credential payload sealed in an AuthorizationSecret. */
type SealedCredentials = {
  access_token: string
  refresh_token: string
  access_token_expires_at: string
  refresh_token_expires_at: string | null
}

/**
 * The marketplace module: authorizations (grants) and their connections (shops), listings, order and return links, the webhook inbox (events), the
 * outbox (tasks), cursors and sync runs, plus the credential vault and the provider registry.
 */
export default class MarketplaceModuleService extends MedusaService({
  Authorization,
  Connection,
  ConnectionWarehouse,
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
  FulfillmentFollowUp,
  AnalyticsDay,
  AnalyticsProductDay,
  AnalyticsStale,
}) {
  protected readonly baseRepository_: DAL.RepositoryService
  protected readonly authorizationSecretService_: ModulesSdkTypes.IMedusaInternalService<AuthorizationSecretDTO>
  protected readonly providers_: ProviderRegistry
  protected readonly secretBox_: SecretBox
  protected readonly settings_: MarketplaceSettings
  readonly __hooks: IModuleService["__hooks"]

  constructor(deps: InjectedDependencies, options: MarketplaceModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...(arguments as unknown as [InjectedDependencies]))
    this.baseRepository_ = deps.baseRepository
    this.authorizationSecretService_ = deps.authorizationSecretService
    this.providers_ = deps.marketplaceProviderRegistry
    const rateLimits = deps.marketplaceRateLimitStore
    // The providers' rate-limit store may hold a Redis connection of its own: close it with the app.
    this.__hooks = { onApplicationShutdown: async () => void (await rateLimits?.close()) }
    this.settings_ = resolveMarketplaceSettings(options)
    this.secretBox_ = new SecretBox(
      parseEncryptionKey(this.settings_.encryptionKey),
      parseKeyList(this.settings_.previousEncryptionKeys)
    )
  }

  __joinerConfig() {
    return joinerConfig
  }

  /** The validated settings (options, their environment defaults, built-in defaults), without the keys. */
  settings(): Omit<MarketplaceSettings, "encryptionKey" | "previousEncryptionKeys"> {
    const rest: Partial<MarketplaceSettings> = { ...this.settings_ }
    // The keys stay inside the vault: nothing that reads settings may pass them on.
    delete rest.encryptionKey
    delete rest.previousEncryptionKeys
    return rest as Omit<MarketplaceSettings, "encryptionKey" | "previousEncryptionKeys">
  }

  /** The policy (attempts, backoff, stale timeout, batch, retention) of one of the module's queues. */
  queuePolicy(queue: QueueName): QueuePolicy {
    return queuePolicies(this.settings_)[queue]
  }

  /** The public URL of this server, for routes that build webhook and callback URLs. */
  getPublicUrl(): string | null {
    return this.settings_.publicUrl
  }

  /** Seconds to wait before each retry of a failed inbox event. */
  getEventRetrySchedule(): number[] {
    return this.settings_.eventRetrySchedule
  }

  /** How far back a scheduled pull looks before its cursor, in seconds. */
  getPullOverlapSeconds(): number {
    return this.settings_.pullOverlapSeconds
  }

  getProvider(platform: string): MarketplaceProvider {
    return this.providers_.get(platform)
  }

  hasProvider(platform: string): boolean {
    return this.providers_.has(platform)
  }

  listProviders(): ProviderSummary[] {
    return this.providers_.list()
  }

  /** The provider of a connection's platform: its vocabulary is what input for that connection is checked against. */
  async retrieveConnectionProvider(connectionId: string): Promise<MarketplaceProvider> {
    const connection = await this.retrieveConnection(connectionId, { select: ["id", "platform"] })
    return this.providers_.get(connection.platform)
  }

  /** Providers listed in the options but left out because required options are absent. */
  listUnconfiguredProviders(): UnconfiguredProvider[] {
    return this.providers_.unconfigured()
  }

  /**
   * Seals and stores an authorization's token pair and its expiry times in one transaction: a reader sees
   * either the old pair or the new one, never half of each. Every connection of the grant uses the new pair.
   */
  @InjectTransactionManager()
  async storeAuthorizationTokens(
    authorizationId: string,
    tokens: TokenSet,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const payload: SealedCredentials = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      access_token_expires_at: tokens.access_token_expires_at.toISOString(),
      refresh_token_expires_at: tokens.refresh_token_expires_at?.toISOString() ?? null,
    }
    const sealed = { ...this.secretBox_.seal(JSON.stringify(payload), authorizationId), sealed_for: authorizationId }
    const [existing] = await this.authorizationSecretService_.list(
      { authorization_id: authorizationId },
      { select: ["id"] },
      sharedContext
    )
    if (existing) {
      await this.authorizationSecretService_.update({ id: existing.id, ...sealed }, sharedContext)
    } else {
      await this.authorizationSecretService_.create({ authorization_id: authorizationId, ...sealed }, sharedContext)
    }
    await this.updateAuthorizations(
      {
        id: authorizationId,
        access_token_expires_at: tokens.access_token_expires_at,
        refresh_token_expires_at: tokens.refresh_token_expires_at ?? null,
      },
      sharedContext
    )
  }

  /** The decrypted token pair of an authorization. Never expose the result through an API. */
  @InjectManager()
  async retrieveAuthorizationTokens(
    authorizationId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<TokenSet> {
    const [secret] = await this.authorizationSecretService_.list(
      { authorization_id: authorizationId },
      {},
      sharedContext
    )
    if (!secret) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Authorization ${authorizationId} has no stored credentials: connect the shop again`
      )
    }
    let data: SealedCredentials
    try {
      data = JSON.parse(this.secretBox_.open(secret.ciphertext, secret.sealed_for)) as SealedCredentials
    } catch (error) {
      if (!(error instanceof UnreadableSecretError)) throw error
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Authorization ${authorizationId} needs re-authorization: its tokens cannot be read with the configured ` +
          `encryption keys (${error.detail}). Put the key they were sealed with in ` +
          "MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS, or connect the shop again",
        UNREADABLE_CREDENTIALS
      )
    }
    return {
      access_token: data.access_token,
      refresh_token: data.refresh_token,
      access_token_expires_at: new Date(data.access_token_expires_at),
      refresh_token_expires_at: data.refresh_token_expires_at ? new Date(data.refresh_token_expires_at) : null,
    }
  }

  /**
   * Stores the token pair a connection's calls use: on its authorization, or, for a connection that has
   * none yet (seeded or created by hand), on a new one-shop authorization it then points to.
   */
  @InjectTransactionManager()
  async storeCredentials(
    connectionId: string,
    tokens: TokenSet,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const connection = await this.retrieveConnection(connectionId, {}, sharedContext)
    let authorizationId = connection.authorization_id
    if (!authorizationId) {
      const authorization = await this.createAuthorizations(
        {
          platform: connection.platform,
          authorized_at: connection.authorized_at ?? new Date(),
          shops: shopsColumn([grantedShop({ ...connection, shop_id: connection.external_shop_id })]),
        },
        sharedContext
      )
      authorizationId = authorization.id
      await this.updateConnections({ id: connectionId, authorization_id: authorizationId }, sharedContext)
    }
    await this.storeAuthorizationTokens(authorizationId, tokens, sharedContext)
  }

  /** The decrypted token pair a connection's calls use (its authorization's). Never expose it through an API. */
  @InjectManager()
  async retrieveCredentials(
    connectionId: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<TokenSet> {
    const connection = await this.retrieveConnection(connectionId, { select: ["id", "authorization_id"] }, sharedContext)
    if (!connection.authorization_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Connection ${connectionId} has no stored credentials: connect the shop again`
      )
    }
    return await this.retrieveAuthorizationTokens(connection.authorization_id, sharedContext)
  }

  /**
   * Stores what an authorization returned: the grant (new, or the one already behind a shop it covers or
   * behind the same seller), its sealed tokens and its shops. Shops of the grant already connected are
   * reconnected to it (same connection, same history); a grant of a single shop also connects that shop.
   * Other shops wait for the merchant's choice (`connectGrantShops`).
   */
  @InjectTransactionManager()
  async saveGrant(
    platform: string,
    grant: AuthorizationGrant,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ authorization_id: string; shops: GrantedShopState[]; created_connection_ids: string[]; undo: GrantUndo }> {
    const shopIds = grant.shops.map((shop) => shop.shop_id)
    const existing = shopIds.length
      ? await this.listConnections({ platform, external_shop_id: shopIds }, {}, sharedContext)
      : []
    let authorizationId = existing.find((c) => c.authorization_id)?.authorization_id ?? null
    if (!authorizationId && grant.seller_id) {
      const [same] = await this.listAuthorizations(
        { platform, external_seller_id: grant.seller_id },
        { select: ["id"], order: { created_at: "DESC" }, take: 1 },
        sharedContext
      )
      authorizationId = same?.id ?? null
    }
    const fields = {
      external_seller_id: grant.seller_id ?? null,
      status: "active" as const,
      authorized_at: new Date(),
      last_error: null,
      shops: shopsColumn(grant.shops.map(grantedShop)),
      metadata: grant.metadata ?? null,
    }
    let createdAuthorizationId: string | null = null
    if (authorizationId) {
      await this.updateAuthorizations({ id: authorizationId, ...fields }, sharedContext)
    } else {
      const created = await this.createAuthorizations({ platform, ...fields }, sharedContext)
      authorizationId = created.id
      createdAuthorizationId = created.id
    }
    await this.storeAuthorizationTokens(authorizationId, grant.tokens, sharedContext)

    const connected = new Set(existing.map((c) => c.external_shop_id))
    const toConnect = grant.shops.filter((shop) => connected.has(shop.shop_id) || grant.shops.length === 1)
    const result = await this.connectShops_(platform, authorizationId, toConnect, sharedContext)
    return {
      authorization_id: authorizationId,
      shops: await this.grantedShopStates_(platform, grant.shops.map(grantedShop), sharedContext),
      created_connection_ids: result.created_connection_ids,
      undo: { ...result, created_authorization_id: createdAuthorizationId },
    }
  }

  /**
   * Connects the shops of a grant the merchant chose: a new connection for a shop never connected, the
   * existing one (and its history) for a shop connected before. Refuses a shop the grant does not cover.
   */
  @InjectTransactionManager()
  async connectGrantShops(
    authorizationId: string,
    shopIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ connections: { id: string; shop_id: string; created: boolean }[]; undo: GrantUndo }> {
    const authorization = await this.retrieveAuthorization(authorizationId, {}, sharedContext)
    if (authorization.status !== "active") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Authorization ${authorizationId} needs re-authorization: connect the shops again`
      )
    }
    const granted = readShopsColumn(authorization.shops)
    const unknown = shopIds.filter((id) => !granted.some((shop) => shop.shop_id === id))
    if (unknown.length) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Authorization ${authorizationId} does not cover the shops: ${unknown.join(", ")}`
      )
    }
    const chosen = granted.filter((shop) => shopIds.includes(shop.shop_id))
    const result = await this.connectShops_(authorization.platform, authorizationId, chosen, sharedContext)
    const created = new Set(result.created_connection_ids)
    return {
      connections: result.connections.map((c) => ({ ...c, created: created.has(c.id) })),
      undo: { ...result, created_authorization_id: null },
    }
  }

  /** Reverts `saveGrant` or `connectGrantShops` (compensation). The new token pair stays: it is the valid one. */
  @InjectTransactionManager()
  async undoGrant(undo: GrantUndo, @MedusaContext() sharedContext: Context = {}): Promise<void> {
    if (undo.created_connection_ids.length) {
      await this.softDeleteConnections(undo.created_connection_ids, {}, sharedContext)
    }
    for (const previous of undo.previous_connections) {
      await this.updateConnections(previous, sharedContext)
    }
    if (undo.created_authorization_id) {
      await this.removeAuthorizations_([undo.created_authorization_id], sharedContext)
    }
  }

  /** Deletes authorizations' sealed token pairs and soft-deletes the authorizations. */
  protected async removeAuthorizations_(authorizationIds: string[], sharedContext: Context): Promise<void> {
    const secrets = await this.authorizationSecretService_.list(
      { authorization_id: authorizationIds },
      { select: ["id"] },
      sharedContext
    )
    if (secrets.length) {
      await this.authorizationSecretService_.delete(secrets.map((secret) => secret.id), sharedContext)
    }
    await this.softDeleteAuthorizations(authorizationIds, {}, sharedContext)
  }

  /**
   * Of these authorizations, removes those no connection uses any more (their shops moved to another grant,
   * or were deleted): the sealed token pair is deleted and the authorization soft-deleted, so no token is
   * kept for a grant nothing uses. An authorization with a connection, disabled ones included, stays.
   * Returns the ids removed. Irreversible: run it once the move is final (the last step of a workflow).
   */
  @InjectTransactionManager()
  async releaseAbandonedAuthorizations(
    authorizationIds: string[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    const ids = [...new Set(authorizationIds)]
    if (!ids.length) {
      return []
    }
    const used = await this.listConnections({ authorization_id: ids }, { select: ["authorization_id"] }, sharedContext)
    const inUse = new Set(used.map((c) => c.authorization_id))
    const abandoned = ids.filter((id) => !inUse.has(id))
    if (!abandoned.length) {
      return []
    }
    await this.removeAuthorizations_(abandoned, sharedContext)
    return abandoned
  }

  /**
   * Marks a grant refused for good: the authorization and every connection it serves (disabled ones stay
   * disabled) need re-authorization, with the reason.
   */
  @InjectTransactionManager()
  async markAuthorizationNeedsReauth(
    authorizationId: string,
    reason: string,
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    await this.updateAuthorizations({ id: authorizationId, status: "needs_reauth", last_error: reason }, sharedContext)
    const connections = await this.listConnections(
      { authorization_id: authorizationId, status: ["active", "needs_reauth"] },
      { select: ["id"] },
      sharedContext
    )
    if (connections.length) {
      await this.updateConnections(
        connections.map((c) => ({ id: c.id, status: "needs_reauth" as const, last_error: reason })),
        sharedContext
      )
    }
    return connections.map((c) => c.id)
  }

  protected async connectShops_(
    platform: string,
    authorizationId: string,
    shops: (AuthorizedShop | GrantedShop)[],
    sharedContext: Context
  ): Promise<{
    connections: { id: string; shop_id: string }[]
    created_connection_ids: string[]
    previous_connections: PreviousConnection[]
  }> {
    const connections: { id: string; shop_id: string }[] = []
    const created_connection_ids: string[] = []
    const previous_connections: PreviousConnection[] = []
    for (const shop of shops) {
      const [existing] = await this.listConnections({ platform, external_shop_id: shop.shop_id }, {}, sharedContext)
      const fields = {
        authorization_id: authorizationId,
        name: shop.name ?? existing?.name ?? null,
        shop_region: shop.region ?? existing?.shop_region ?? null,
        currency_code: shop.currency_code ?? existing?.currency_code ?? null,
        metadata: { ...((existing?.metadata as Record<string, unknown>) ?? {}), ...(shop.metadata ?? {}) },
        status: "active" as const,
        last_error: null,
        authorized_at: new Date(),
      }
      if (existing) {
        previous_connections.push({
          id: existing.id,
          authorization_id: existing.authorization_id,
          name: existing.name,
          shop_region: existing.shop_region,
          currency_code: existing.currency_code,
          metadata: existing.metadata as Record<string, unknown> | null,
          status: existing.status,
          last_error: existing.last_error,
          authorized_at: existing.authorized_at,
        })
        await this.updateConnections({ id: existing.id, ...fields }, sharedContext)
        connections.push({ id: existing.id, shop_id: shop.shop_id })
      } else {
        const created = await this.createConnections(
          { platform, external_shop_id: shop.shop_id, ...fields },
          sharedContext
        )
        created_connection_ids.push(created.id)
        connections.push({ id: created.id, shop_id: shop.shop_id })
      }
    }
    return { connections, created_connection_ids, previous_connections }
  }

  protected async grantedShopStates_(
    platform: string,
    shops: GrantedShop[],
    sharedContext: Context
  ): Promise<GrantedShopState[]> {
    const connections = shops.length
      ? await this.listConnections(
          { platform, external_shop_id: shops.map((shop) => shop.shop_id) },
          { select: ["id", "external_shop_id"] },
          sharedContext
        )
      : []
    const byShop = new Map(connections.map((c) => [c.external_shop_id, c.id]))
    return shops.map((shop) => ({ ...shop, connection_id: byShop.get(shop.shop_id) ?? null }))
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
   * Puts one outbound push in the outbox, timed by the database's clock (every process agrees on it): a key
   * with a task waiting (pending, or failed and due for a retry) gets the change folded into that task (its
   * row locked meanwhile); otherwise a pending task is inserted, due after `quietMs` when the key is quiet (no
   * task of it waiting, failed or in flight, and no change to it within `quietMs`), else after `delayMs`. A
   * second change to a task still timed as quiet makes the key busy: the task then waits `delayMs` from its
   * first change, so a burst coalesces as before. Returns the task, whether it is new, and in how many ms it is
   * due when its time was set or moved (null when the change only folded into a task already timed); null
   * when another process inserted the pending task for the key meanwhile (the unique index): fold again.
   */
  @InjectTransactionManager()
  async enqueuePushTask(
    input: {
      kind: string
      connection_id: string
      listing_id: string | null
      coalescing_key: string
      reason?: string
      delayMs: number
      quietMs: number
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ id: string; inserted: boolean; due_in_ms: number | null } | null> {
    const manager = sharedContext.transactionManager as SqlEntityManager
    const quietMs = Math.min(input.quietMs, input.delayMs)
    const [waiting] = await manager.execute<
      { id: string; status: string; payload: PushTaskPayload | null; due_in_ms: number | null; now: Date }[]
    >(
      `select id, status, payload, extract(epoch from next_attempt_at - now()) * 1000 as due_in_ms, now() as now
       from marketplace_task
       where coalescing_key = ? and status in ('pending', 'failed') and deleted_at is null
       order by created_at desc
       limit 1
       for update`,
      [input.coalescing_key]
    )
    if (waiting) {
      const payload = touchedPushPayload(waiting.payload, input.reason, new Date(waiting.now))
      // Timed as quiet and changed again: busy now, so it waits the full delay from its first change.
      const rescheduled = waiting.status === "pending" && waiting.payload?.quiet === true
      const shift = rescheduled ? input.delayMs - quietMs : 0
      payload.quiet = false
      await manager.execute(
        `update marketplace_task set payload = ?::jsonb, updated_at = now(),
           next_attempt_at = next_attempt_at + make_interval(secs => ?)
         where id = ?`,
        [JSON.stringify(payload), shift / 1000, waiting.id]
      )
      return {
        id: waiting.id,
        inserted: false,
        due_in_ms: rescheduled ? Math.max(0, Number(waiting.due_in_ms ?? 0) + shift) : null,
      }
    }

    // Quiet or busy, from what the table says of the key (several processes enqueue).
    const [activity] = await manager.execute<{ busy: boolean; now: Date }[]>(
      `select now() as now, exists (
         select 1 from marketplace_task t
         where t.coalescing_key = ? and ${input.listing_id ? "t.listing_id = ? and" : ""} t.deleted_at is null
           and (t.status in ('pending', 'failed', 'processing')
             or (t.updated_at > now() - make_interval(secs => ?)
               and coalesce((t.payload->>'last_change_at')::timestamptz, t.created_at) > now() - make_interval(secs => ?)))
       ) as busy`,
      [input.coalescing_key, ...(input.listing_id ? [input.listing_id] : []), quietMs / 1000, quietMs / 1000]
    )
    const quiet = !activity.busy
    const delay = quiet ? quietMs : input.delayMs
    const now = new Date(activity.now)
    const payload: PushTaskPayload = {
      reasons: input.reason ? [input.reason] : [],
      changes: 1,
      last_change_at: now.toISOString(),
      quiet,
    }
    const rows = await manager.execute<{ id: string }[]>(
      `insert into marketplace_task (id, kind, connection_id, listing_id, coalescing_key, status, payload, next_attempt_at)
       values (?, ?, ?, ?, ?, 'pending', ?::jsonb, now() + make_interval(secs => ?))
       on conflict (coalescing_key) where status = 'pending' and deleted_at is null do nothing
       returning id`,
      [
        generateEntityId(undefined, "mptsk"),
        input.kind,
        input.connection_id,
        input.listing_id,
        input.coalescing_key,
        JSON.stringify(payload),
        delay / 1000,
      ]
    )
    return rows.length ? { id: rows[0].id, inserted: true, due_in_ms: delay } : null
  }

  /**
   * Takes due rows of a queue for this worker in one statement: rows pending (and due, when they carry a
   * next attempt), failed and due, or (with `takeOverStale`) left `processing` longer than the policy's
   * stale timeout by a worker that died. `FOR UPDATE SKIP LOCKED` hands two workers claiming at once
   * disjoint sets. Each claim counts as an attempt. Returns the claimed rows' `columns`.
   *
   * With `groupBy` (columns naming what rows are about, e.g. connection and order), a group is claimed
   * whole: every due row of a group the claim takes comes with it (beyond `limit`), and a group with a row
   * another worker is processing is left until that worker is done. So one worker handles all of one
   * order's rows together, and two workers never contend for the same order.
   */
  @InjectManager()
  async claimQueue<T extends { id: string }>(
    queue: QueueName,
    input: {
      columns: string[]
      limit?: number
      takeOverStale?: boolean
      /** An extra SQL condition on the rows (with `?` placeholders) and its parameters. */
      where?: { sql: string; params: unknown[] }
      /** Columns whose values make a group of rows claimed together (rows with a null in them stand alone). */
      groupBy?: string[]
    },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<T[]> {
    const manager = sharedContext.manager as SqlEntityManager
    const table = QUEUE_TABLES[queue]
    const policy = this.queuePolicy(queue)
    const staleSeconds = policy.staleAfterMs / 1000
    const takeOver = input.takeOverStale !== false
    // The due condition, on a row of alias `a`, with its parameters.
    const due = (a: string) => ({
      sql: `${a}.deleted_at is null
           and ((${a}.status = 'pending' and (${a}.next_attempt_at is null or ${a}.next_attempt_at <= now()))
             or (${a}.status = 'failed' and ${a}.next_attempt_at <= now())
             ${takeOver ? `or (${a}.status = 'processing' and ${a}.processing_started_at < now() - make_interval(secs => ?))` : ""})
           ${input.where ? `and (${input.where.sql})` : ""}`,
      params: [...(takeOver ? [staleSeconds] : []), ...(input.where?.params ?? [])],
    })
    const returning = ["id", ...input.columns.filter((c) => c !== "id")].join(", ")
    const claim = `update ${table.table} set status = 'processing', processing_started_at = now(),
         attempts = attempts + 1, updated_at = now()`
    const limit = input.limit ?? policy.batchSize
    const group = input.groupBy ?? []
    if (!group.length) {
      const d = due(table.table)
      return await manager.execute<T[]>(
        `${claim}
         where id in (
           select id from ${table.table}
           where ${d.sql}
           order by ${table.orderBy}
           limit ?
           for update skip locked)
         returning ${returning}`,
        [...d.params, limit]
      )
    }
    const cols = group.join(", ")
    const same = (a: string, b: string) => group.map((c) => `${a}.${c} = ${b}.${c}`).join(" and ")
    const d = due("r")
    const s = due("s")
    // A group someone else is processing (and not stale): its rows wait for that worker.
    const busy = (a: string) => `not exists (
             select 1 from ${table.table} p
             where p.status = 'processing' and p.deleted_at is null and ${same("p", a)}
               and p.processing_started_at >= now() - make_interval(secs => ?))`
    return await manager.execute<T[]>(
      `with first as (
         select r.id, ${group.map((c) => `r.${c}`).join(", ")} from ${table.table} r
         where ${d.sql} and ${busy("r")}
         order by r.${table.orderBy}
         limit ?
         for update skip locked
       ), siblings as (
         select s.id from ${table.table} s
         where ${s.sql}
           and (${cols}) in (select ${cols} from first where ${group.map((c) => `${c} is not null`).join(" and ")})
         for update skip locked
       )
       ${claim}
       where id in (select id from first union select id from siblings)
       returning ${returning}`,
      [...d.params, staleSeconds, limit, ...s.params]
    )
  }

  /**
   * When the soonest `pending` inbox event is (or was) due: now or earlier for events waiting to be
   * claimed, later for events requeued after contention. Null when nothing is pending.
   */
  @InjectManager()
  async nextPendingInboxEventAt(@MedusaContext() sharedContext: Context = {}): Promise<Date | null> {
    const manager = sharedContext.manager as SqlEntityManager
    const [row] = await manager.execute<{ at: Date | null }[]>(
      `select min(coalesce(next_attempt_at, now())) as at from marketplace_event
       where status = 'pending' and deleted_at is null`
    )
    return row?.at ? new Date(row.at) : null
  }

  /**
   * The inbox's claim: due events, oldest first, taking over the ones a dead worker left, by (connection,
   * order) (see claimQueue's `groupBy`). Claims run one at a time (a transaction-level advisory lock, held
   * for the claim's few milliseconds): the statement's snapshot then sees every earlier claim committed, so
   * two workers claiming at the same instant never both take events of one order.
   */
  @InjectTransactionManager()
  async claimInboxEvents(filter: { limit?: number } = {}, @MedusaContext() sharedContext: Context = {}): Promise<ClaimedEvent[]> {
    const manager = sharedContext.transactionManager as SqlEntityManager
    await manager.execute(`select pg_advisory_xact_lock(hashtext('marketplace_event:claim'))`)
    return await this.claimQueue<ClaimedEvent>(
      "event",
      {
        columns: ["platform", "connection_id", "type", "external_order_id", "external_return_id", "order_updated_at", "attempts"],
        limit: filter.limit,
        // All of one order's due events in one claim: duplicates and successive statuses become one import
        // of the order's latest state, and no two workers import the same order at once.
        groupBy: ["connection_id", "external_order_id"],
      },
      { ...sharedContext, manager }
    )
  }

  /**
   * Writes keys of a connection's settings, in one statement: each key given replaces its stored value as a
   * whole (a map such as `stock_rules` or `channel_sales_channels` loses the entries it no longer has), a key
   * given as `undefined` is removed, and keys not given keep their value, whatever another process writes at
   * the same time. (`updateConnections` merges JSON objects deeply: a map written there could never lose a key.)
   * With `{ replace: true }` the stored settings become exactly `settings` (a compensation restoring them).
   */
  @InjectManager()
  async writeConnectionSettings(
    id: string,
    settings: Record<string, unknown>,
    { replace = false }: { replace?: boolean } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const manager = sharedContext.manager as SqlEntityManager
    const removed = Object.keys(settings).filter((k) => settings[k] === undefined)
    const written = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined))
    await manager.execute(
      `update marketplace_connection
          set settings = (${replace ? "'{}'::jsonb" : "coalesce(settings, '{}'::jsonb) - array(select jsonb_array_elements_text(?::jsonb))"}) || ?::jsonb, updated_at = now()
        where id = ? and deleted_at is null`,
      replace ? [JSON.stringify(written), id] : [JSON.stringify(removed), JSON.stringify(written), id]
    )
  }

  /**
   * Marks shops' UTC days whose analytics rollup is behind its sources (see AnalyticsStale): one statement,
   * whatever their number, each day once and in the same order in every process, so that concurrent marks
   * never deadlock. A day already marked goes
   * up a generation.
   */
  @InjectManager()
  async markAnalyticsStale(
    keys: { connection_id: string; day: string }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<void> {
    const sorted = [...new Map(keys.map((k) => [`${k.connection_id} ${k.day}`, k])).values()]
    if (!sorted.length) return
    const manager = sharedContext.manager as SqlEntityManager
    await manager.execute(
      `insert into marketplace_analytics_stale (id, connection_id, day, generation)
       select 'mpastale_' || replace(gen_random_uuid()::text, '-', ''), k.connection_id, k.day, 0
         from jsonb_to_recordset(?::jsonb) as k(connection_id text, day text)
        order by k.connection_id, k.day
       on conflict (connection_id, day) where deleted_at is null
       do update set generation = marketplace_analytics_stale.generation + 1, updated_at = now()`,
      [JSON.stringify(sorted.map((k) => ({ connection_id: k.connection_id, day: k.day })))]
    )
  }

  /**
   * Clears the marks a refresh has seen: a row goes only if its generation is still the one read (a day
   * marked again meanwhile stays marked for the next refresh).
   */
  @InjectManager()
  async clearAnalyticsStale(
    seen: { id: string; generation: number }[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    if (!seen.length) return 0
    const manager = sharedContext.manager as SqlEntityManager
    const rows = await manager.execute(
      `delete from marketplace_analytics_stale t
        using jsonb_to_recordset(?::jsonb) as v(id text, generation integer)
        where t.id = v.id and t.generation = v.generation
       returning t.id`,
      [JSON.stringify(seen.map((r) => ({ id: r.id, generation: r.generation })))]
    )
    return (rows as unknown[]).length
  }

  /**
   * Records how processing ended for claimed rows, by the queue's policy: done; failed with the next
   * attempt after the backoff; dead after the last attempt (or on a final error); or back to pending in a
   * moment without counting the attempt (`requeueMs`: what it needed was busy). One statement per kind of
   * outcome, whatever their number. Only rows still `processing` change, so a row taken over by another worker in between
   * keeps that worker's outcome.
   */
  @InjectManager()
  async settleQueue(
    queue: QueueName,
    outcomes: QueueOutcome[],
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ done: number; failed: number; dead: number; requeued: number; next_retry_at: Date | null }> {
    const manager = sharedContext.manager as SqlEntityManager
    const table = QUEUE_TABLES[queue]
    const settled = settleOutcomes(this.queuePolicy(queue), outcomes)
    const done = settled.filter((row) => row.status === "done").map((row) => row.id)
    const requeued = settled.filter((row) => row.status === "pending") as Extract<typeof settled[number], { status: "pending" }>[]
    const failed = settled.filter((row) => row.status === "failed" || row.status === "dead") as Extract<
      typeof settled[number],
      { last_error: string }
    >[]
    if (done.length) {
      await manager.execute(
        `update ${table.table} set status = 'done', ${table.completedAt} = now(), last_error = null,
           next_attempt_at = null, updated_at = now()
         where id in (${done.map(() => "?").join(", ")}) and status = 'processing'`,
        done
      )
    }
    if (failed.length) {
      await manager.execute(
        `update ${table.table} q set status = v.status, next_attempt_at = v.next_attempt_at::timestamptz,
           last_error = v.last_error, updated_at = now()
           ${table.stampDead ? `, ${table.completedAt} = case when v.status = 'dead' then now() else q.${table.completedAt} end` : ""}
         from (values ${failed.map(() => "(?, ?, ?, ?)").join(", ")}) as v(id, status, next_attempt_at, last_error)
         where q.id = v.id and q.status = 'processing'`,
        failed.flatMap((f) => [f.id, f.status, f.next_attempt_at ? f.next_attempt_at.toISOString() : null, f.last_error])
      )
    }
    if (requeued.length) {
      // Not an attempt: the claim's increment is taken back, so contention never brings a row nearer `dead`.
      await manager.execute(
        `update ${table.table} q set status = 'pending', next_attempt_at = v.next_attempt_at::timestamptz,
           attempts = greatest(q.attempts - 1, 0), processing_started_at = null, updated_at = now()
         from (values ${requeued.map(() => "(?, ?)").join(", ")}) as v(id, next_attempt_at)
         where q.id = v.id and q.status = 'processing'`,
        requeued.flatMap((r) => [r.id, r.next_attempt_at.toISOString()])
      )
    }
    const retries = failed.filter((f) => f.status === "failed").map((f) => f.next_attempt_at!.getTime())
    const soonest = [...retries, ...requeued.map((r) => r.next_attempt_at.getTime())]
    return {
      done: done.length,
      failed: retries.length,
      dead: failed.length - retries.length,
      requeued: requeued.length,
      next_retry_at: soonest.length ? new Date(Math.min(...soonest)) : null,
    }
  }

  /**
   * The claiming worker's heartbeat: moves `processing_started_at` of its rows (still `processing`) to now,
   * so that rows a live worker is still working on are never taken for abandoned, and the stale timeout can
   * be short enough that rows of a worker that died are taken over within a minute or two.
   */
  @InjectManager()
  async touchQueue(queue: QueueName, ids: string[], @MedusaContext() sharedContext: Context = {}): Promise<number> {
    if (!ids.length) return 0
    const manager = sharedContext.manager as SqlEntityManager
    const table = QUEUE_TABLES[queue]
    const rows = await manager.execute<{ id: string }[]>(
      `update ${table.table} set processing_started_at = now()
       where id in (${ids.map(() => "?").join(", ")}) and status = 'processing'
       returning id`,
      ids
    )
    return rows.length
  }

  /**
   * Hands back rows a worker claimed and never finished (it died): `processing` for longer than the
   * policy's stale timeout becomes `failed` and due now. Returns their ids.
   */
  @InjectManager()
  async requeueStaleQueue(
    queue: QueueName,
    input: { where?: { sql: string; params: unknown[] }; error?: string } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<string[]> {
    const manager = sharedContext.manager as SqlEntityManager
    const table = QUEUE_TABLES[queue]
    const rows = await manager.execute<{ id: string }[]>(
      `update ${table.table} set status = 'failed', next_attempt_at = now(), last_error = ?, updated_at = now()
       where deleted_at is null and status = 'processing'
         and processing_started_at < now() - make_interval(secs => ?)
         ${input.where ? `and (${input.where.sql})` : ""}
       returning id`,
      [
        input.error ?? "The worker processing this row stopped; retried",
        this.queuePolicy(queue).staleAfterMs / 1000,
        ...(input.where?.params ?? []),
      ]
    )
    return rows.map((row) => row.id)
  }

  /**
   * Deletes a queue's settled rows (see QUEUE_TABLES) settled before `before` (default: the policy's
   * retention days ago). Failed, dead, held and waiting rows are never touched. Deletes in batches, so a
   * large backlog does not hold one long lock; returns how many rows went.
   */
  @InjectManager()
  async pruneQueue(
    queue: QueueName,
    input: { before?: Date; batchSize?: number } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<number> {
    const manager = sharedContext.manager as SqlEntityManager
    const table = QUEUE_TABLES[queue]
    const before = input.before ?? new Date(Date.now() - this.queuePolicy(queue).retentionDays * 86_400_000)
    const batch = input.batchSize ?? 5000
    let total = 0
    for (;;) {
      const rows = await manager.execute<{ id: string }[]>(
        `delete from ${table.table} where id in (
           select id from ${table.table}
           where status in (${table.settledStatuses.map(() => "?").join(", ")}) and ${table.settledAt} < ?
           limit ?)
         returning id`,
        [...table.settledStatuses, before, batch]
      )
      total += rows.length
      if (rows.length < batch) return total
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

  // Fulfilment follow-ups: a queue on the primitive above (claimQueue / settleQueue / pruneQueue with
  // "follow_up"); these two are what it lacks, a first enqueue and a forced claim of one fulfilment.

  /**
   * Opens the follow-up of a marketplace fulfilment. Its first queued attempt is one backoff step away
   * (`next_attempt_at` by default): whoever made the fulfilment tries at once (claimFulfillmentFollowUp with
   * `force`), and the fulfilment's own transaction has committed by then. A fulfilment that already has a
   * follow-up keeps it: enqueueing twice changes nothing. Returns whether a row was created.
   */
  @InjectManager()
  async enqueueFulfillmentFollowUp(
    input: { fulfillment_id: string; connection_id: string; external_order_id: string; next_attempt_at?: Date },
    @MedusaContext() sharedContext: Context = {}
  ): Promise<boolean> {
    const manager = sharedContext.manager as SqlEntityManager
    const rows = await manager.execute<{ id: string }[]>(
      `insert into marketplace_fulfillment_follow_up (id, fulfillment_id, connection_id, external_order_id, status, next_attempt_at)
       values (?, ?, ?, ?, 'pending', ?)
       on conflict (fulfillment_id) where deleted_at is null do nothing
       returning id`,
      [
        generateEntityId(undefined, "mpfup"),
        input.fulfillment_id,
        input.connection_id,
        input.external_order_id,
        input.next_attempt_at ?? new Date(Date.now() + (retryDelay(this.queuePolicy("follow_up"), 1) ?? 0)),
      ]
    )
    return rows.length > 0
  }

  /**
   * Claims one fulfilment's follow-up when it is due, or with `force` now whatever its next attempt, failed
   * or dead (the first try right after the fulfilment, the admin's retry): the claim counts as an attempt
   * and the caller settles it with settleQueue("follow_up"). Null when there is nothing to claim: no
   * follow-up, done, not due, or in another worker's hands (and not stale).
   */
  @InjectManager()
  async claimFulfillmentFollowUp(
    fulfillmentId: string,
    { force = false }: { force?: boolean } = {},
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ id: string; attempts: number } | null> {
    const manager = sharedContext.manager as SqlEntityManager
    const [row] = await manager.execute<{ id: string; attempts: number }[]>(
      `update marketplace_fulfillment_follow_up set status = 'processing', processing_started_at = now(),
         attempts = attempts + 1, updated_at = now()
       where fulfillment_id = ? and deleted_at is null
         and ((status = 'pending' and (next_attempt_at is null or next_attempt_at <= now()))
           or (status = 'failed' and next_attempt_at <= now())
           or (? and status in ('pending', 'failed', 'dead'))
           or (status = 'processing' and processing_started_at < now() - make_interval(secs => ?)))
       returning id, attempts`,
      [fulfillmentId, force, this.queuePolicy("follow_up").staleAfterMs / 1000]
    )
    return row ?? null
  }

  /**
   * Re-encrypts every secret sealed with a previous key under the current key. Run after changing
   * MARKETPLACE_ENCRYPTION_KEY with the old key in MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS.
   */
  @InjectTransactionManager()
  async rotateEncryptionKey(
    @MedusaContext() sharedContext: Context = {}
  ): Promise<{ total: number; rotated: number; key_id: string }> {
    const secrets = await this.authorizationSecretService_.list({}, {}, sharedContext)
    // A pair still bound to its former connection (moved by the migration) is re-sealed for its authorization.
    const stale = secrets.filter((s) => s.key_id !== this.secretBox_.current.id || s.sealed_for !== s.authorization_id)
    if (stale.length) {
      await this.authorizationSecretService_.update(
        stale.map((s) => ({
          id: s.id,
          ...this.secretBox_.seal(this.secretBox_.open(s.ciphertext, s.sealed_for), s.authorization_id),
          sealed_for: s.authorization_id,
        })),
        sharedContext
      )
    }
    return { total: secrets.length, rotated: stale.length, key_id: this.secretBox_.current.id }
  }

  /**
   * Deletes history that has done its job: inbox events `done` or `ignored` received before
   * `eventsBefore` (default: the event retention), and outbound tasks `done` before `tasksBefore` (default:
   * the task retention; a listing's push history is its tasks, so they are kept longer).
   */
  async pruneHistory(
    input: { eventsBefore?: Date; tasksBefore?: Date; batchSize?: number } = {},
    sharedContext: Context = {}
  ): Promise<{ events: number; tasks: number }> {
    const events = await this.pruneQueue("event", { before: input.eventsBefore, batchSize: input.batchSize }, sharedContext)
    const tasks = await this.pruneQueue("task", { before: input.tasksBefore, batchSize: input.batchSize }, sharedContext)
    return { events, tasks }
  }
}

/** The non-secret description of a granted shop, as the authorization keeps it. */
function grantedShop(shop: AuthorizedShop | GrantedShop): GrantedShop {
  return {
    shop_id: shop.shop_id,
    name: shop.name ?? null,
    region: shop.region ?? null,
    currency_code: shop.currency_code ?? null,
    metadata: shop.metadata ?? null,
  }
}

/**
 * The `shops` column holds a JSON array; the data model types every JSON column as an object, so the array
 * crosses that type here and only here.
 */
function shopsColumn(shops: GrantedShop[]): Record<string, unknown> {
  return shops as unknown as Record<string, unknown>
}

export function readShopsColumn(value: unknown): GrantedShop[] {
  return Array.isArray(value) ? (value as GrantedShop[]) : []
}

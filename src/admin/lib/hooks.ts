import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "./sdk"
import type {
  Analytics,
  Authorization,
  Connection,
  HeldTask,
  LinkedListing,
  MarketplaceReturn,
  ReconciliationReport,
  ReturnActionResult,
  ConnectionWarehouse,
  ConnectionSettings,
  Listing,
  MarketplaceEvent,
  MarketplaceOrder,
  Page,
  ProvidersResponse,
  Stats,
  SyncRun,
  Task,
} from "./types"

const BASE = "/admin/marketplace"

/** Every query of these screens sits under this key, so that one invalidation refreshes them all. */
export const marketplaceKeys = {
  all: ["marketplace"] as const,
  providers: () => [...marketplaceKeys.all, "providers"] as const,
  connections: (query?: object) => [...marketplaceKeys.all, "connections", query ?? {}] as const,
  connection: (id: string) => [...marketplaceKeys.all, "connection", id] as const,
  syncRuns: (query?: object) => [...marketplaceKeys.all, "sync-runs", query ?? {}] as const,
  events: (query?: object) => [...marketplaceKeys.all, "events", query ?? {}] as const,
  event: (id: string) => [...marketplaceKeys.all, "event", id] as const,
  tasks: (query?: object) => [...marketplaceKeys.all, "tasks", query ?? {}] as const,
  stats: (query?: object) => [...marketplaceKeys.all, "stats", query ?? {}] as const,
  order: (id: string) => [...marketplaceKeys.all, "order", id] as const,
  variantListings: (id: string) => [...marketplaceKeys.all, "variant-listings", id] as const,
}

/** The monitor and running syncs refresh themselves this often. */
export const LIVE_REFRESH_MS = 3000

/** The admin's local midnight: "orders today" in the merchant's own day. */
const localMidnight = () => {
  const d = new Date()
  d.setHours(0, 0, 0, 0)
  return d.toISOString()
}

export const useProviders = () =>
  useQuery({
    queryKey: marketplaceKeys.providers(),
    queryFn: () => sdk.client.fetch<ProvidersResponse>(`${BASE}/providers`),
  })

export type ConnectionsQuery = { limit: number; offset: number; status?: string; q?: string }

export const useConnections = (query: ConnectionsQuery, options: { refetchInterval?: number } = {}) =>
  useQuery({
    queryKey: marketplaceKeys.connections(query),
    queryFn: () =>
      sdk.client.fetch<Page<"connections", Connection>>(`${BASE}/connections`, {
        query: { ...query, today_from: localMidnight() },
      }),
    placeholderData: keepPreviousData,
    ...options,
  })

export const useConnection = (id: string) =>
  useQuery({
    queryKey: marketplaceKeys.connection(id),
    queryFn: () =>
      sdk.client.fetch<{ connection: Connection }>(`${BASE}/connections/${id}`, { query: { today_from: localMidnight() } }),
    refetchInterval: LIVE_REFRESH_MS * 5,
  })

export type ConnectionUpdate = {
  name?: string
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
  settings?: ConnectionSettings
  warehouses?: ConnectionWarehouse[]
  enabled?: boolean
}

const useInvalidateAll = () => {
  const client = useQueryClient()
  return () => client.invalidateQueries({ queryKey: marketplaceKeys.all })
}

export const useUpdateConnection = (id: string) => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (body: ConnectionUpdate) =>
      sdk.client.fetch<{ connection: Connection }>(`${BASE}/connections/${id}`, { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export const useStartSync = (connectionId: string) => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (body: { from?: string; to?: string }) =>
      sdk.client.fetch<{ sync_run: SyncRun }>(`${BASE}/connections/${connectionId}/sync`, { method: "POST", body }),
    onSuccess: invalidate,
  })
}

export type ListingsSyncSummary = {
  seen: number
  created: number
  updated: number
  matched: number
  unmatched: number
  ambiguous: number
}

export const useSyncListings = (connectionId: string) => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: () =>
      sdk.client.fetch<{ summary: ListingsSyncSummary }>(`${BASE}/connections/${connectionId}/listings/sync`, { method: "POST" }),
    onSuccess: invalidate,
  })
}

export const useCancelSyncRun = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<{ sync_run: SyncRun }>(`${BASE}/sync-runs/${id}/cancel`, { method: "POST" }),
    onSuccess: invalidate,
  })
}

/** Starts the marketplace's authorization: the answer's `url` is where the browser goes next. */
export const useStartAuthorization = () =>
  useMutation({
    mutationFn: (platform: string) =>
      sdk.client.fetch<{ url: string; expires_at: string }>(`${BASE}/oauth/${encodeURIComponent(platform)}/authorize`, {
        method: "POST",
        body: {},
      }),
  })

/** The marketplace's query string as the admin page received it, passed through unchanged. */
export type CallbackBody = Record<string, string>

/**
 * Finishes the authorization with what the marketplace sent back: the connection when the grant covers one
 * shop, else `connection: null` and the grant's shops to choose from.
 */
export const finishAuthorization = (platform: string, body: CallbackBody) =>
  sdk.client.fetch<{ connection: Connection | null; authorization: Authorization }>(
    `${BASE}/oauth/${encodeURIComponent(platform)}/callback`,
    { method: "POST", body }
  )

/** Connects the shops of a grant the merchant chose. */
export const connectGrantShops = (authorizationId: string, shopIds: string[]) =>
  sdk.client.fetch<{ connections: Connection[]; authorization: Authorization }>(
    `${BASE}/authorizations/${encodeURIComponent(authorizationId)}/connections`,
    { method: "POST", body: { shop_ids: shopIds } }
  )

export type SyncRunsQuery = { limit: number; offset: number; connection_id?: string }

export const useSyncRuns = (query: SyncRunsQuery, options: { refetchInterval?: number | false } = {}) =>
  useQuery({
    queryKey: marketplaceKeys.syncRuns(query),
    queryFn: () => sdk.client.fetch<Page<"sync_runs", SyncRun>>(`${BASE}/sync-runs`, { query }),
    placeholderData: keepPreviousData,
    ...options,
  })

export type EventsQuery = { limit: number; offset: number; status?: string; connection_id?: string; type?: string }

export const useEvents = (query: EventsQuery) =>
  useQuery({
    queryKey: marketplaceKeys.events(query),
    queryFn: () => sdk.client.fetch<Page<"events", MarketplaceEvent>>(`${BASE}/events`, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  })

export const useEvent = (id: string | null) =>
  useQuery({
    queryKey: marketplaceKeys.event(id ?? ""),
    queryFn: () => sdk.client.fetch<{ event: MarketplaceEvent }>(`${BASE}/events/${id}`),
    enabled: !!id,
    refetchInterval: LIVE_REFRESH_MS,
  })

export const useRetryEvents = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (ids: string[]) =>
      ids.length === 1
        ? sdk.client.fetch<{ count: number }>(`${BASE}/events/${ids[0]}/retry`, { method: "POST" })
        : sdk.client.fetch<{ count: number }>(`${BASE}/events/retry`, { method: "POST", body: { ids } }),
    onSuccess: invalidate,
  })
}

export type TasksQuery = { limit: number; offset: number; status?: string; connection_id?: string }

export const useTasks = (query: TasksQuery) =>
  useQuery({
    queryKey: marketplaceKeys.tasks(query),
    queryFn: () => sdk.client.fetch<Page<"tasks", Task>>(`${BASE}/tasks`, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  })

export const useRetryTask = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (id: string) => sdk.client.fetch<{ task: Task }>(`${BASE}/tasks/${id}/retry`, { method: "POST" }),
    onSuccess: invalidate,
  })
}

export const useStats = (query: { hours?: number; connection_id?: string } = {}) =>
  useQuery({
    queryKey: marketplaceKeys.stats(query),
    queryFn: () => sdk.client.fetch<{ stats: Stats }>(`${BASE}/stats`, { query }),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS,
  })

export const useMarketplaceOrder = (orderId: string) =>
  useQuery({
    queryKey: marketplaceKeys.order(orderId),
    queryFn: () => sdk.client.fetch<{ marketplace_order: MarketplaceOrder | null }>(`${BASE}/orders/${orderId}`),
  })

export const useVariantListings = (variantId: string) =>
  useQuery({
    queryKey: marketplaceKeys.variantListings(variantId),
    queryFn: () =>
      sdk.client.fetch<Page<"listings", Listing>>(`${BASE}/listings`, {
        query: {
          variant_id: variantId,
          limit: 100,
          fields: "+connection.name,+connection.platform,+connection.status,+connection.currency_code",
        },
      }),
  })

/** Reference data for the settings form, read with Medusa's own admin API. */
export const useSettingsOptions = () => {
  const salesChannels = useQuery({
    queryKey: [...marketplaceKeys.all, "options", "sales-channels"],
    queryFn: () => sdk.admin.salesChannel.list({ limit: 200, fields: "id,name" }),
  })
  const stockLocations = useQuery({
    queryKey: [...marketplaceKeys.all, "options", "stock-locations"],
    queryFn: () => sdk.admin.stockLocation.list({ limit: 200, fields: "id,name" }),
  })
  const regions = useQuery({
    queryKey: [...marketplaceKeys.all, "options", "regions"],
    queryFn: () => sdk.admin.region.list({ limit: 200, fields: "id,name,currency_code" }),
  })
  return { salesChannels, stockLocations, regions }
}

// ---- Screens: listings, held price changes, returns, reconciliation reports ----

const screenKeys = {
  listings: (query: object) => [...marketplaceKeys.all, "listings", query] as const,
  variantSearch: (q: string) => [...marketplaceKeys.all, "variant-search", q] as const,
  returns: (query: object) => [...marketplaceKeys.all, "returns", query] as const,
  return: (id: string) => [...marketplaceKeys.all, "return", id] as const,
  reports: (query: object) => [...marketplaceKeys.all, "reconciliation-reports", query] as const,
  report: (id: string) => [...marketplaceKeys.all, "reconciliation-report", id] as const,
}

/** A list query of these screens: offset/limit paging, filters as the API takes them. */
export type ListQuery = { limit: number; offset: number } & Record<string, string | string[] | number | undefined>

export const useListings = (query: ListQuery) =>
  useQuery({
    queryKey: screenKeys.listings(query),
    queryFn: () => sdk.client.fetch<Page<"listings", LinkedListing>>(`${BASE}/listings`, { query }),
    placeholderData: keepPreviousData,
  })

/** Medusa's variants whose SKU, title or product title matches, for linking a listing by hand. */
export const useVariantSearch = (q: string) =>
  useQuery({
    queryKey: screenKeys.variantSearch(q),
    queryFn: () =>
      sdk.admin.productVariant.list({ q, limit: 20, fields: "id,sku,title,product.id,product.title" }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  })

export const useLinkListing = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: ({ id, variant_id }: { id: string; variant_id: string | null }) =>
      sdk.client.fetch<{ listing: LinkedListing }>(`${BASE}/listings/${id}`, { method: "POST", body: { variant_id } }),
    onSuccess: invalidate,
  })
}

export const useLinkListingsBySku = (connectionId: string) => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (links: { listing_id: string; variant_sku: string }[]) =>
      sdk.client.fetch<{ listings: LinkedListing[]; count: number }>(`${BASE}/connections/${connectionId}/listings/link`, {
        method: "POST",
        body: { links },
      }),
    onSuccess: invalidate,
  })
}

/** Held price changes (optionally of one shop), with their listings. */
export const useHeldTasks = (query: ListQuery) =>
  useQuery({
    queryKey: marketplaceKeys.tasks({ ...query, held: true }),
    queryFn: async () => {
      const page = await sdk.client.fetch<Page<"tasks", HeldTask>>(`${BASE}/tasks`, {
        query: { ...query, status: "held", kind: "push_price" },
      })
      const ids = [...new Set(page.tasks.map((t) => t.listing_id).filter((id): id is string => !!id))]
      const listings = ids.length
        ? (await sdk.client.fetch<Page<"listings", LinkedListing>>(`${BASE}/listings`, { query: { id: ids, limit: ids.length } })).listings
        : []
      return { ...page, listings: Object.fromEntries(listings.map((l) => [l.id, l])) as Record<string, LinkedListing> }
    },
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_REFRESH_MS * 5,
  })

export const useSettleHeldTask = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: "confirm" | "drop" }) =>
      sdk.client.fetch<{ task: HeldTask }>(`${BASE}/tasks/${id}/${action}`, { method: "POST" }),
    onSuccess: invalidate,
  })
}

export const useReturns = (query: ListQuery) =>
  useQuery({
    queryKey: screenKeys.returns(query),
    queryFn: () => sdk.client.fetch<Page<"returns", MarketplaceReturn>>(`${BASE}/returns`, { query }),
    placeholderData: keepPreviousData,
  })

export const useReturn = (id: string) =>
  useQuery({
    queryKey: screenKeys.return(id),
    queryFn: () => sdk.client.fetch<{ return: MarketplaceReturn }>(`${BASE}/returns/${id}`),
  })

export const useReturnAction = (id: string) => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: (action: { kind: "accept" } | { kind: "dispute"; reason: string; text?: string }) =>
      action.kind === "accept"
        ? sdk.client.fetch<ReturnActionResult>(`${BASE}/returns/${id}/accept`, { method: "POST", body: {} })
        : sdk.client.fetch<ReturnActionResult>(`${BASE}/returns/${id}/dispute`, {
            method: "POST",
            body: { reason: action.reason, ...(action.text ? { text: action.text } : {}) },
          }),
    onSuccess: invalidate,
  })
}

export const useReconciliationReports = (query: ListQuery) =>
  useQuery({
    queryKey: screenKeys.reports(query),
    queryFn: () =>
      sdk.client.fetch<Page<"reconciliation_reports", ReconciliationReport>>(`${BASE}/reconciliation-reports`, { query }),
    placeholderData: keepPreviousData,
  })

export const useReconciliationReport = (id: string) =>
  useQuery({
    queryKey: screenKeys.report(id),
    queryFn: () => sdk.client.fetch<{ reconciliation_report: ReconciliationReport }>(`${BASE}/reconciliation-reports/${id}`),
  })

export const useRunReconciliation = () => {
  const invalidate = useInvalidateAll()
  return useMutation({
    mutationFn: ({ connection_id, from, to }: { connection_id: string; from: string; to: string }) =>
      sdk.client.fetch<{ reconciliation_report: ReconciliationReport }>(`${BASE}/connections/${connection_id}/reconcile`, {
        method: "POST",
        body: { from, to },
      }),
    onSuccess: invalidate,
  })
}

/** The report's CSV as the server writes it (formula-safe cells), saved as a file by the browser. */
export const downloadReconciliationCsv = async (id: string) => {
  const response = await sdk.client.fetch<Response>(`${BASE}/reconciliation-reports/${id}/csv`, {
    headers: { accept: "text/csv" },
  })
  const blob = await response.blob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement("a")
  a.href = url
  a.download = `reconciliation-${id}.csv`
  a.click()
  URL.revokeObjectURL(url)
}

// ---- end of the screens' block ----
// --- analytics ---

export type AnalyticsQuery = { from: string; to: string; connection_id?: string[]; platform?: string[] }

/** The query string of an analytics request (lists as `connection_id[]=...`), for the API and the CSV link. */
export const analyticsSearch = (query: AnalyticsQuery) => {
  const params = new URLSearchParams({ from: query.from, to: query.to, granularity: "day" })
  for (const id of query.connection_id ?? []) params.append("connection_id[]", id)
  for (const p of query.platform ?? []) params.append("platform[]", p)
  return params.toString()
}

export const useAnalytics = (query: AnalyticsQuery) =>
  useQuery({
    queryKey: [...marketplaceKeys.all, "analytics", query] as const,
    queryFn: () => sdk.client.fetch<{ analytics: Analytics }>(`${BASE}/analytics?${analyticsSearch(query)}`),
    placeholderData: keepPreviousData,
  })

/** The CSV of the same query: a plain link, so that the browser downloads it with the admin's session. */
export const analyticsExportUrl = (query: AnalyticsQuery) =>
  `${(import.meta.env.VITE_BACKEND_URL || "").replace(/\/$/, "")}${BASE}/analytics/export?${analyticsSearch(query)}`

// --- end analytics ---

/** The message of a failed call, as the API wrote it. */
export const errorMessage = (error: unknown) =>
  error instanceof Error ? error.message : typeof error === "string" ? error : "Something went wrong"

import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Checkbox, Container, Drawer, Heading, Input, Table, Text, toast } from "@medusajs/ui"
import { useEffect, useMemo, useState } from "react"
import { useSearchParams } from "react-router-dom"
import { HourlyChart } from "../../../components/hourly-chart"
import { NativeSelect } from "../../../components/native-select"
import { Pager } from "../../../components/pager"
import { ErrorState, LoadingState, tableState } from "../../../components/states"
import { Status } from "../../../components/status"
import { SyncRunsTable } from "../../../components/sync-runs-table"
import { formatDateTime, formatRelative, humanize, orderChannelLabel } from "../../../lib/format"
import {
  errorMessage,
  LIVE_REFRESH_MS,
  useConnections,
  useEvent,
  useEvents,
  useProviders,
  useRetryEvents,
  useRetryTask,
  useStats,
  useTasks,
} from "../../../lib/hooks"
import type { Connection, EventStatus, MarketplaceEvent, StatsCounters, Task } from "../../../lib/types"

const EVENT_STATUSES: EventStatus[] = ["pending", "processing", "done", "failed", "dead", "ignored"]
const TASK_STATUSES = ["pending", "processing", "done", "failed", "dead", "held"]
const RETRYABLE = new Set(["failed", "dead"])
const EVENTS_PAGE = 20
const TASKS_PAGE = 10

const COUNTERS: { key: keyof StatsCounters; label: string; tone?: string }[] = [
  { key: "events_received", label: "Events received" },
  { key: "events_processed", label: "Events processed" },
  { key: "events_failed", label: "Events failed", tone: "text-ui-tag-orange-text" },
  { key: "events_dead", label: "Events dead", tone: "text-ui-fg-error" },
  { key: "orders_imported", label: "Orders imported" },
  { key: "tasks_pending", label: "Pushes pending" },
  { key: "tasks_failed", label: "Pushes failed" },
]

const shopOf = (connections: Connection[] | undefined, id: string | null) => {
  if (!id) return "-"
  const c = connections?.find((x) => x.id === id)
  return c ? c.name ?? c.external_shop_id : id
}

const StatsSection = ({ connectionId }: { connectionId?: string }) => {
  const stats = useStats(connectionId ? { connection_id: connectionId } : {})
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">Marketplace monitor</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            The last 24 hours{connectionId ? " of one shop" : ""}. Refreshes every {LIVE_REFRESH_MS / 1000} s.
          </Text>
        </div>
      </div>
      {stats.isLoading ? (
        <LoadingState />
      ) : stats.isError && !stats.data ? (
        <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
      ) : stats.data ? (
        <>
          <div className="grid grid-cols-2 gap-px bg-ui-border-base sm:grid-cols-4 lg:grid-cols-7">
            {COUNTERS.map((c) => (
              <div key={c.key} className="bg-ui-bg-base flex flex-col gap-y-1 px-6 py-4">
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {c.label}
                </Text>
                <span
                  data-testid={`stat-${c.key}`}
                  className={`txt-compact-xlarge-plus tabular-nums ${stats.data.stats.counters[c.key] ? c.tone ?? "" : ""}`}
                >
                  {stats.data.stats.counters[c.key]}
                </span>
              </div>
            ))}
          </div>
          <div className="px-6 py-4">
            <HourlyChart buckets={stats.data.stats.hourly} />
          </div>
        </>
      ) : null}
    </Container>
  )
}

const EventDrawer = ({ id, onClose }: { id: string | null; onClose: () => void }) => {
  const event = useEvent(id)
  const providers = useProviders().data?.providers
  const retry = useRetryEvents()
  const e = event.data?.event
  return (
    <Drawer open={!!id} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="event-detail">
        <Drawer.Header>
          <Drawer.Title>Inbox event</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {event.isLoading ? (
            <LoadingState />
          ) : event.isError && !e ? (
            <ErrorState error={event.error} onRetry={() => event.refetch()} />
          ) : e ? (
            <>
              <div className="grid grid-cols-2 gap-3">
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Status
                  </Text>
                  <Status status={e.status} testId="event-status" />
                </div>
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Type
                  </Text>
                  <Text size="small">
                    {e.type}
                    {e.external_type ? ` (${e.external_type})` : ""}
                  </Text>
                </div>
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Received
                  </Text>
                  <Text size="small">{formatDateTime(e.received_at)}</Text>
                </div>
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Attempts
                  </Text>
                  <Text size="small">
                    {e.attempts}
                    {e.next_attempt_at && e.status === "failed" ? `, next ${formatRelative(e.next_attempt_at)}` : ""}
                  </Text>
                </div>
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Order
                  </Text>
                  <Text size="small" data-testid="event-order">
                    {e.external_order_id ?? "-"}
                    {e.channel ? ` (${orderChannelLabel(providers, e.platform, e.channel)})` : ""}
                  </Text>
                </div>
                <div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    Return
                  </Text>
                  <Text size="small">{e.external_return_id ?? "-"}</Text>
                </div>
              </div>
              <div className="flex flex-col gap-y-1">
                <Text size="small" weight="plus">
                  Error
                </Text>
                <pre
                  data-testid="event-error"
                  className={`bg-ui-bg-subtle txt-compact-xsmall whitespace-pre-wrap break-words rounded-md border p-3 font-mono ${e.last_error ? "text-ui-fg-error" : "text-ui-fg-muted"}`}
                >
                  {e.last_error ?? "No error"}
                </pre>
              </div>
              <div className="flex flex-col gap-y-1">
                <Text size="small" weight="plus">
                  Payload
                </Text>
                <pre
                  data-testid="event-payload"
                  className="bg-ui-bg-subtle txt-compact-xsmall max-h-[420px] overflow-auto whitespace-pre-wrap break-words rounded-md border p-3 font-mono"
                >
                  {JSON.stringify(e.payload ?? null, null, 2)}
                </pre>
              </div>
            </>
          ) : null}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
          <Button
            size="small"
            data-testid="event-retry"
            disabled={!e || !RETRYABLE.has(e.status)}
            isLoading={retry.isPending}
            onClick={() =>
              e &&
              retry.mutate([e.id], {
                onSuccess: () => toast.success("The event is queued again"),
                onError: (err) => toast.error("Could not retry", { description: errorMessage(err) }),
              })
            }
          >
            Retry
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const EventRow = ({
  event,
  shop,
  selected,
  toggle,
  open,
}: {
  event: MarketplaceEvent
  shop: string
  selected: boolean
  toggle: () => void
  open: () => void
}) => (
  <Table.Row
    data-testid="event-row"
    data-event-id={event.id}
    data-status={event.status}
    className="cursor-pointer"
    onClick={open}
    onKeyDown={(e) => e.key === "Enter" && open()}
    tabIndex={0}
  >
    <Table.Cell onClick={(e) => e.stopPropagation()} className="w-8">
      <Checkbox
        data-testid="event-select"
        aria-label={`Select event ${event.id}`}
        checked={selected}
        onCheckedChange={toggle}
      />
    </Table.Cell>
    <Table.Cell>
      <Status status={event.status} testId="event-status" />
    </Table.Cell>
    <Table.Cell>
      <div className="flex flex-col">
        <span className="txt-compact-small">{event.type}</span>
        {event.external_type ? <span className="txt-compact-xsmall text-ui-fg-subtle">{event.external_type}</span> : null}
      </div>
    </Table.Cell>
    <Table.Cell>{shop}</Table.Cell>
    <Table.Cell>{event.external_order_id ?? event.external_return_id ?? "-"}</Table.Cell>
    <Table.Cell className="tabular-nums">{event.attempts}</Table.Cell>
    <Table.Cell className="max-w-[260px]">
      <span className="text-ui-fg-error block truncate" title={event.last_error ?? undefined}>
        {event.last_error ?? ""}
      </span>
    </Table.Cell>
    <Table.Cell className="whitespace-nowrap" title={formatDateTime(event.received_at)}>
      {formatRelative(event.received_at)}
    </Table.Cell>
  </Table.Row>
)

const EventsSection = ({
  connections,
  connectionId,
  setConnectionId,
}: {
  connections: Connection[] | undefined
  connectionId: string
  setConnectionId: (id: string) => void
}) => {
  const [status, setStatus] = useState("")
  const [type, setType] = useState("")
  const [pageIndex, setPageIndex] = useState(0)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [openId, setOpenId] = useState<string | null>(null)
  const retry = useRetryEvents()

  const query = useMemo(
    () => ({
      limit: EVENTS_PAGE,
      offset: pageIndex * EVENTS_PAGE,
      ...(status ? { status } : {}),
      ...(connectionId ? { connection_id: connectionId } : {}),
      ...(type.trim() ? { type: type.trim() } : {}),
    }),
    [status, connectionId, type, pageIndex]
  )
  const events = useEvents(query)
  const rows = events.data?.events
  const providers = useProviders().data?.providers
  // "Shop · Tokopedia" for an order that came through another channel than the platform's own.
  const shopAndChannel = (e: MarketplaceEvent) => {
    const shop = shopOf(connections, e.connection_id)
    return e.channel ? `${shop} · ${orderChannelLabel(providers, e.platform, e.channel)}` : shop
  }

  // A new filter starts from the first page with nothing selected.
  useEffect(() => {
    setPageIndex(0)
    setSelected(new Set())
  }, [status, connectionId, type])

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const allSelected = !!rows?.length && rows.every((r) => selected.has(r.id))
  const toggleAll = () => setSelected(allSelected ? new Set() : new Set(rows?.map((r) => r.id)))

  const retrySelected = () =>
    retry.mutate([...selected], {
      onSuccess: (res) => {
        toast.success(`${res.count} event${res.count === 1 ? "" : "s"} queued again`, {
          description: res.count < selected.size ? "Only failed and dead events are retried." : undefined,
        })
        setSelected(new Set())
      },
      onError: (err) => toast.error("Could not retry", { description: errorMessage(err) }),
    })

  return (
    <Container className="divide-y p-0">
      <div className="flex flex-wrap items-center justify-between gap-3 px-6 py-4">
        <div>
          <Heading level="h2">Inbox</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Webhook deliveries, stored before they are acknowledged, processed with retries.
          </Text>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <NativeSelect aria-label="Status" data-testid="events-filter-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All statuses</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </NativeSelect>
          <NativeSelect
            aria-label="Shop"
            data-testid="events-filter-connection"
            value={connectionId}
            onChange={(e) => setConnectionId(e.target.value)}
          >
            <option value="">All shops</option>
            {connections?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name ?? c.external_shop_id}
              </option>
            ))}
          </NativeSelect>
          <Input
            size="small"
            type="search"
            aria-label="Type"
            placeholder="Type, e.g. order.status_changed"
            data-testid="events-filter-type"
            value={type}
            onChange={(e) => setType(e.target.value)}
            className="w-[220px]"
          />
          <Button
            size="small"
            variant="secondary"
            data-testid="events-retry-selected"
            disabled={!selected.size}
            isLoading={retry.isPending}
            onClick={retrySelected}
          >
            Retry selected{selected.size ? ` (${selected.size})` : ""}
          </Button>
        </div>
      </div>
      <div className="overflow-x-auto">
        <Table data-testid="events-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell className="w-8">
                <Checkbox aria-label="Select all" data-testid="events-select-all" checked={allSelected} onCheckedChange={toggleAll} />
              </Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Type</Table.HeaderCell>
              <Table.HeaderCell>Shop</Table.HeaderCell>
              <Table.HeaderCell>Order / return</Table.HeaderCell>
              <Table.HeaderCell>Attempts</Table.HeaderCell>
              <Table.HeaderCell>Error</Table.HeaderCell>
              <Table.HeaderCell>Received</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tableState(events, rows, 8, {
              title: status || connectionId || type ? "No event matches these filters" : "No event received yet",
              description: "Webhook deliveries from the marketplaces appear here.",
            }) ??
              rows!.map((e) => (
                <EventRow
                  key={e.id}
                  event={e}
                  shop={shopAndChannel(e)}
                  selected={selected.has(e.id)}
                  toggle={() => toggle(e.id)}
                  open={() => setOpenId(e.id)}
                />
              ))}
          </Table.Body>
        </Table>
      </div>
      <Pager count={events.data?.count ?? 0} pageSize={EVENTS_PAGE} pageIndex={pageIndex} setPageIndex={setPageIndex} />
      <EventDrawer id={openId} onClose={() => setOpenId(null)} />
    </Container>
  )
}

const TaskRow = ({ task, shop }: { task: Task; shop: string }) => {
  const retry = useRetryTask()
  return (
    <Table.Row data-testid="task-row" data-task-id={task.id} data-status={task.status}>
      <Table.Cell>
        <Status status={task.status} testId="task-status" />
      </Table.Cell>
      <Table.Cell>{humanize(task.kind)}</Table.Cell>
      <Table.Cell>{shop}</Table.Cell>
      <Table.Cell className="tabular-nums">{task.attempts}</Table.Cell>
      <Table.Cell className="max-w-[280px]">
        <span className="text-ui-fg-error block truncate" title={task.last_error ?? undefined}>
          {task.last_error ?? ""}
        </span>
      </Table.Cell>
      <Table.Cell className="whitespace-nowrap" title={formatDateTime(task.updated_at)}>
        {formatRelative(task.updated_at)}
      </Table.Cell>
      <Table.Cell className="text-right">
        {RETRYABLE.has(task.status) ? (
          <Button
            size="small"
            variant="secondary"
            data-testid="task-retry"
            isLoading={retry.isPending}
            onClick={() =>
              retry.mutate(task.id, {
                onSuccess: () => toast.success("The push is queued again"),
                onError: (err) => toast.error("Could not retry", { description: errorMessage(err) }),
              })
            }
          >
            Retry
          </Button>
        ) : null}
      </Table.Cell>
    </Table.Row>
  )
}

const TasksSection = ({ connections, connectionId }: { connections: Connection[] | undefined; connectionId: string }) => {
  const [status, setStatus] = useState("")
  const [pageIndex, setPageIndex] = useState(0)
  const tasks = useTasks({
    limit: TASKS_PAGE,
    offset: pageIndex * TASKS_PAGE,
    ...(status ? { status } : {}),
    ...(connectionId ? { connection_id: connectionId } : {}),
  })
  const rows = tasks.data?.tasks
  useEffect(() => setPageIndex(0), [status, connectionId])

  return (
    <Container className="divide-y p-0">
      <div className="flex flex-wrap items-center justify-between gap-3 px-6 py-4">
        <div>
          <Heading level="h2">Outbox</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Stock and price pushes (and other calls) waiting, sent, or failing.
          </Text>
        </div>
        <NativeSelect aria-label="Status" data-testid="tasks-filter-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          {TASK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="overflow-x-auto">
        <Table data-testid="tasks-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Kind</Table.HeaderCell>
              <Table.HeaderCell>Shop</Table.HeaderCell>
              <Table.HeaderCell>Attempts</Table.HeaderCell>
              <Table.HeaderCell>Error</Table.HeaderCell>
              <Table.HeaderCell>Updated</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tableState(tasks, rows, 7, {
              title: status ? "No task in this status" : "No task yet",
              description: "Stock and price changes queue pushes here.",
            }) ?? rows!.map((t) => <TaskRow key={t.id} task={t} shop={shopOf(connections, t.connection_id)} />)}
          </Table.Body>
        </Table>
      </div>
      <Pager count={tasks.data?.count ?? 0} pageSize={TASKS_PAGE} pageIndex={pageIndex} setPageIndex={setPageIndex} />
    </Container>
  )
}

const MonitorPage = () => {
  const [search, setSearch] = useSearchParams()
  const connectionId = search.get("connection_id") ?? ""
  const setConnectionId = (id: string) =>
    setSearch(
      (s) => {
        const next = new URLSearchParams(s)
        if (id) next.set("connection_id", id)
        else next.delete("connection_id")
        return next
      },
      { replace: true }
    )
  const connections = useConnections({ limit: 100, offset: 0 })
  const list = connections.data?.connections

  return (
    <div className="flex flex-col gap-y-3" data-testid="marketplace-monitor">
      <StatsSection connectionId={connectionId || undefined} />
      <EventsSection connections={list} connectionId={connectionId} setConnectionId={setConnectionId} />
      <TasksSection connections={list} connectionId={connectionId} />
      <Container className="p-0">
        {connections.isError && !list ? <ErrorState error={connections.error} /> : null}
        <SyncRunsTable connections={list} connectionId={connectionId || undefined} />
      </Container>
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Marketplace monitor",
})

export default MonitorPage

import { Button, createDataTableColumnHelper, Text, toast, useDataTable } from "@medusajs/ui"
import { useCallback, useMemo } from "react"
import { formatDateTime, humanize } from "../lib/format"
import { errorMessage, LIVE_REFRESH_MS, useCancelSyncRun, useSyncRuns } from "../lib/hooks"
import type { Connection, SyncRun } from "../lib/types"
import { ProgressBar } from "./progress-bar"
import { ListTable, useListState } from "./list-table"
import { Status } from "./status"

const PAGE_SIZE = 10

const counts = (run: SyncRun) =>
  [
    ["seen", run.seen],
    ["created", run.created],
    ["updated", run.updated],
    ["unchanged", run.unchanged],
    ["skipped", run.skipped],
    ["failed", run.failed],
  ]
    .filter(([, n]) => Number(n) > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(" · ") || "-"

const CancelRun = ({ run }: { run: SyncRun }) => {
  const cancel = useCancelSyncRun()
  if (run.status !== "pending" && run.status !== "running") return null
  return (
    <Button
      size="small"
      variant="transparent"
      data-testid="sync-run-cancel"
      disabled={run.cancel_requested || cancel.isPending}
      onClick={() =>
        cancel.mutate(run.id, {
          onSuccess: () => toast.success("The sync run stops at its next page"),
          onError: (e) => toast.error("Could not cancel", { description: errorMessage(e) }),
        })
      }
    >
      {run.cancel_requested ? "Stopping…" : "Cancel"}
    </Button>
  )
}

const column = createDataTableColumnHelper<SyncRun>()

/** Pulls, backfills and listing syncs with their live progress (refreshes itself every few seconds). */
export const SyncRunsTable = ({
  connectionId,
  connections,
  title = "Sync runs",
}: {
  connectionId?: string
  connections?: Connection[]
  title?: string
}) => {
  const list = useListState(PAGE_SIZE)
  const runs = useSyncRuns({ ...list.query, ...(connectionId ? { connection_id: connectionId } : {}) }, { refetchInterval: LIVE_REFRESH_MS })
  const shopName = useCallback(
    (id: string) => {
      const c = connections?.find((x) => x.id === id)
      return c ? c.name ?? c.external_shop_id : undefined
    },
    [connections]
  )
  const columns = useMemo(
    () => [
      column.accessor("kind", {
        header: "Kind",
        cell: ({ row }) => (
          <div className="flex flex-col" data-testid="sync-run-row" data-sync-run-id={row.original.id} data-status={row.original.status}>
            <span className="txt-compact-small-plus">{humanize(row.original.kind)}</span>
            {connectionId ? null : <span className="txt-compact-xsmall text-ui-fg-subtle">{shopName(row.original.connection_id)}</span>}
          </div>
        ),
      }),
      column.display({
        id: "range",
        header: "Range",
        cell: ({ row }) =>
          row.original.range_from || row.original.range_to
            ? `${formatDateTime(row.original.range_from)} → ${formatDateTime(row.original.range_to)}`
            : "-",
      }),
      column.accessor("status", { header: "Status", cell: ({ getValue }) => <Status status={getValue()} testId="sync-run-status" /> }),
      column.accessor("progress", {
        header: "Progress",
        cell: ({ row }) => (
          <div className="min-w-[160px]">
            <ProgressBar value={row.original.status === "completed" ? 1 : row.original.progress} status={row.original.status} testId="sync-run-progress" />
          </div>
        ),
      }),
      column.display({
        id: "orders",
        header: "Orders",
        cell: ({ row }) => (
          <Text size="xsmall" className="text-ui-fg-subtle" title={row.original.error ?? undefined}>
            {counts(row.original)}
            {row.original.error ? <span className="text-ui-fg-error block max-w-[260px] truncate">{row.original.error}</span> : null}
          </Text>
        ),
      }),
      column.display({ id: "started", header: "Started", cell: ({ row }) => formatDateTime(row.original.started_at ?? row.original.created_at) }),
      column.display({ id: "cancel", header: "", cell: ({ row }) => <CancelRun run={row.original} /> }),
    ],
    [connectionId, shopName]
  )
  const table = useDataTable({
    data: runs.data?.sync_runs ?? [],
    rowCount: runs.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    isLoading: runs.isLoading,
    ...list.options,
  })
  return (
    <ListTable
      instance={table}
      title={title}
      filters={false}
      empty={{ heading: "No sync run yet", description: "“Sync now” and backfills show up here." }}
      testId="sync-runs"
    />
  )
}

import { Button, Heading, Table, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { formatDateTime, humanize } from "../lib/format"
import { errorMessage, LIVE_REFRESH_MS, useCancelSyncRun, useSyncRuns } from "../lib/hooks"
import type { Connection, SyncRun } from "../lib/types"
import { ProgressBar } from "./progress-bar"
import { tableState } from "./states"
import { Status } from "./status"
import { Pager } from "./pager"

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

const SyncRunRow = ({ run, shop }: { run: SyncRun; shop?: string }) => {
  const cancel = useCancelSyncRun()
  const live = run.status === "pending" || run.status === "running"
  const progress = run.status === "completed" ? 1 : run.progress
  return (
    <Table.Row data-testid="sync-run-row" data-sync-run-id={run.id} data-status={run.status}>
      <Table.Cell>
        <div className="flex flex-col">
          <span className="txt-compact-small-plus">{humanize(run.kind)}</span>
          {shop ? <span className="txt-compact-xsmall text-ui-fg-subtle">{shop}</span> : null}
        </div>
      </Table.Cell>
      <Table.Cell className="whitespace-nowrap">
        {run.range_from || run.range_to ? `${formatDateTime(run.range_from)} → ${formatDateTime(run.range_to)}` : "-"}
      </Table.Cell>
      <Table.Cell>
        <Status status={run.status} testId="sync-run-status" />
      </Table.Cell>
      <Table.Cell className="min-w-[160px]">
        <ProgressBar value={progress} status={run.status} testId="sync-run-progress" />
      </Table.Cell>
      <Table.Cell>
        <Text size="xsmall" className="text-ui-fg-subtle" title={run.error ?? undefined}>
          {counts(run)}
          {run.error ? <span className="text-ui-fg-error block max-w-[260px] truncate">{run.error}</span> : null}
        </Text>
      </Table.Cell>
      <Table.Cell className="whitespace-nowrap">{formatDateTime(run.started_at ?? run.created_at)}</Table.Cell>
      <Table.Cell className="text-right">
        {live ? (
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
        ) : null}
      </Table.Cell>
    </Table.Row>
  )
}

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
  const [pageIndex, setPageIndex] = useState(0)
  const runs = useSyncRuns(
    { limit: PAGE_SIZE, offset: pageIndex * PAGE_SIZE, ...(connectionId ? { connection_id: connectionId } : {}) },
    { refetchInterval: LIVE_REFRESH_MS }
  )
  const rows = runs.data?.sync_runs
  const count = runs.data?.count ?? 0
  const shopName = (id: string) => {
    const c = connections?.find((x) => x.id === id)
    return c ? c.name ?? c.external_shop_id : undefined
  }
  return (
    <div className="divide-y" data-testid="sync-runs">
      <div className="px-6 py-4">
        <Heading level="h2">{title}</Heading>
      </div>
      <div className="overflow-x-auto">
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Kind</Table.HeaderCell>
              <Table.HeaderCell>Range</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Progress</Table.HeaderCell>
              <Table.HeaderCell>Orders</Table.HeaderCell>
              <Table.HeaderCell>Started</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tableState(runs, rows, 7, { title: "No sync run yet", description: "“Sync now” and backfills show up here." }) ??
              rows!.map((run) => <SyncRunRow key={run.id} run={run} shop={connectionId ? undefined : shopName(run.connection_id)} />)}
          </Table.Body>
        </Table>
      </div>
      <Pager count={count} pageSize={PAGE_SIZE} pageIndex={pageIndex} setPageIndex={setPageIndex} />
    </div>
  )
}

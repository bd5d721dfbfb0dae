import { Button, createDataTableColumnHelper, DataTable, Heading, Text, toast, useDataTable } from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link, useParams } from "react-router-dom"
import { ScreenPage } from "../../../../components/screen-page"
import { ErrorState, LoadingState } from "../../../../components/states"
import { Status } from "../../../../components/status"
import { formatAmount, formatDateTime, humanize } from "../../../../lib/format"
import { downloadReconciliationCsv, errorMessage, useReconciliationReport } from "../../../../lib/hooks"
import type { ReconciliationReport, ReconciliationRow } from "../../../../lib/types"

const PAGE_SIZE = 50

const column = createDataTableColumnHelper<ReconciliationRow & { key: string }>()

const Totals = ({ title, values, currency, testId }: { title: string; values: Record<string, string> | null; currency: string | null; testId: string }) => (
  <div className="flex flex-col gap-y-1" data-testid={testId}>
    <Text size="small" weight="plus">
      {title}
    </Text>
    {Object.keys(values ?? {}).length ? (
      Object.entries(values ?? {}).map(([k, v]) => (
        <div key={k} className="flex justify-between gap-x-4">
          <Text size="small" className="text-ui-fg-subtle">
            {k}
          </Text>
          <Text size="small" className="tabular-nums">
            {formatAmount(v, currency)}
          </Text>
        </div>
      ))
    ) : (
      <Text size="small" className="text-ui-fg-subtle">
        none
      </Text>
    )}
  </div>
)

const Rows = ({ report }: { report: ReconciliationReport }) => {
  const [pagination, setPagination] = useState({ pageIndex: 0, pageSize: PAGE_SIZE })
  const rows = useMemo(() => (report.rows ?? []).map((r, i) => ({ ...r, key: `${i}` })), [report.rows])
  const page = rows.slice(pagination.pageIndex * PAGE_SIZE, (pagination.pageIndex + 1) * PAGE_SIZE)
  const columns = useMemo(
    () => [
      column.accessor("kind", { header: "Kind", cell: ({ getValue }) => humanize(getValue()) }),
      column.accessor("external_order_id", {
        header: "Marketplace order",
        cell: ({ row }) =>
          row.original.order_id ? <Link to={`/orders/${row.original.order_id}`}>{row.original.external_order_id}</Link> : row.original.external_order_id,
      }),
      column.display({
        id: "status",
        header: "Status (marketplace / link / order)",
        cell: ({ row }) => [row.original.marketplace_status, row.original.link_status, row.original.order_status].map((s) => s ?? "-").join(" / "),
      }),
      column.display({
        id: "total",
        header: "Total (marketplace / link / order)",
        cell: ({ row }) =>
          [row.original.marketplace_total, row.original.link_total, row.original.order_total].map((t) => (t === null ? "-" : formatAmount(t, report.currency_code))).join(" / "),
      }),
      column.accessor("detail", { header: "Detail" }),
    ],
    [report.currency_code]
  )
  const table = useDataTable({
    data: page,
    rowCount: rows.length,
    getRowId: (row) => row.key,
    columns,
    pagination: { state: pagination, onPaginationChange: setPagination },
  })
  return (
    <div data-testid="report-rows">
      <DataTable instance={table}>
        <DataTable.Toolbar className="px-6 py-4">
          <Heading level="h2">Discrepancies ({rows.length})</Heading>
        </DataTable.Toolbar>
        <DataTable.Table emptyState={{ empty: { heading: "No discrepancy", description: "Every order of the range agrees." } }} />
        <DataTable.Pagination />
      </DataTable>
    </div>
  )
}

const ReportDetail = ({ report }: { report: ReconciliationReport }) => {
  const [downloading, setDownloading] = useState(false)
  const download = async () => {
    setDownloading(true)
    try {
      await downloadReconciliationCsv(report.id)
    } catch (e) {
      toast.error("Could not download the CSV", { description: errorMessage(e) })
    } finally {
      setDownloading(false)
    }
  }
  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">Reconciliation report</Heading>
            <Status status={report.status} />
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {formatDateTime(report.range_from)} – {formatDateTime(report.range_to)} · {report.trigger} · {report.id}
          </Text>
          {report.error ? (
            <Text size="small" className="text-ui-fg-error">
              {report.error}
            </Text>
          ) : null}
        </div>
        <Button size="small" variant="secondary" data-testid="report-csv" isLoading={downloading} disabled={report.status !== "completed"} onClick={download}>
          Download CSV
        </Button>
      </div>
      <div className="grid grid-cols-1 gap-6 px-6 py-4 md:grid-cols-3">
        <div className="flex flex-col gap-y-1" data-testid="report-summary">
          <Text size="small" weight="plus">
            Summary
          </Text>
          {Object.entries(report.summary ?? {}).map(([k, v]) => (
            <div key={k} className="flex justify-between gap-x-4">
              <Text size="small" className="text-ui-fg-subtle">
                {humanize(k)}
              </Text>
              <Text size="small" className="tabular-nums">
                {String(v)}
              </Text>
            </div>
          ))}
        </div>
        <Totals title="Fees by kind" values={report.fee_totals} currency={report.currency_code} testId="report-fees" />
        <Totals title="Net payout by day" values={report.payout_by_day} currency={report.currency_code} testId="report-payouts" />
      </div>
      <Rows report={report} />
    </>
  )
}

const ReportPage = () => {
  const { id } = useParams()
  const report = useReconciliationReport(id!)
  return (
    <ScreenPage crumbs={[{ label: "Reconciliation", to: "/marketplaces/reconciliation" }, id!]} testId="report-page">
      {report.isLoading ? (
        <LoadingState />
      ) : report.isError || !report.data ? (
        <ErrorState error={report.error} onRetry={() => report.refetch()} />
      ) : (
        <ReportDetail report={report.data.reconciliation_report} />
      )}
    </ScreenPage>
  )
}

export default ReportPage

import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowDownTray } from "@medusajs/icons"
import {
  Button,
  Container,
  createDataTableColumnHelper,
  DataTable,
  Heading,
  Input,
  Label,
  Table,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { ChannelChart } from "../../../components/channel-chart"
import { NativeSelect } from "../../../components/native-select"
import { EmptyState, ErrorState, LoadingState } from "../../../components/states"
import { formatAmount, humanize } from "../../../lib/format"
import { analyticsExportUrl, useAnalytics, useProviders } from "../../../lib/hooks"
import type { AnalyticsChannel, AnalyticsFigures } from "../../../lib/types"

/** A UTC day `offset` days before today, as YYYY-MM-DD (the API's days are UTC days). */
const utcDay = (offset = 0) => new Date(Date.now() - offset * 86400_000).toISOString().slice(0, 10)
const PRESETS = [7, 30, 90, 365]

const METRICS: { key: keyof AnalyticsFigures; label: string; money: boolean }[] = [
  { key: "gross_sales", label: "Gross sales", money: true },
  { key: "orders", label: "Orders", money: false },
  { key: "net_payout", label: "Net payout", money: true },
  { key: "fee_total", label: "Fees", money: true },
  { key: "average_order_value", label: "Average order value", money: true },
  { key: "cancellations", label: "Cancellations", money: false },
  { key: "returns", label: "Returns", money: false },
]

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`

const Figure = ({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) => (
  <div className="flex flex-col gap-y-0.5">
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="large" weight="plus" data-testid={testId}>
      {value}
    </Text>
    {hint ? (
      <Text size="xsmall" className="text-ui-fg-muted">
        {hint}
      </Text>
    ) : null}
  </div>
)

const column = createDataTableColumnHelper<AnalyticsChannel & { platform_label: string }>()

const ChannelsTable = ({ channels }: { channels: (AnalyticsChannel & { platform_label: string })[] }) => {
  const money = (c: AnalyticsChannel, v: number) => formatAmount(v, c.currency_code)
  const columns = useMemo(
    () => [
      column.accessor("name", { header: "Shop", cell: ({ row }) => row.original.name ?? row.original.external_shop_id }),
      column.accessor("platform_label", { header: "Marketplace" }),
      column.accessor("totals.orders", { header: "Orders", cell: ({ row }) => row.original.totals.orders }),
      column.accessor("totals.gross_sales", { header: "Gross sales", cell: ({ row }) => money(row.original, row.original.totals.gross_sales) }),
      column.accessor("totals.average_order_value", {
        header: "Avg. order",
        cell: ({ row }) => money(row.original, row.original.totals.average_order_value),
      }),
      column.accessor("totals.cancellations", {
        header: "Cancelled",
        cell: ({ row }) => `${row.original.totals.cancellations} (${percent(row.original.totals.cancellation_rate)})`,
      }),
      column.accessor("totals.returns", {
        header: "Returned",
        cell: ({ row }) => `${row.original.totals.returns} (${percent(row.original.totals.return_rate)})`,
      }),
      column.accessor("totals.refunds", { header: "Refunds", cell: ({ row }) => money(row.original, row.original.totals.refunds) }),
      column.accessor("totals.fee_total", { header: "Fees", cell: ({ row }) => money(row.original, row.original.totals.fee_total) }),
      column.accessor("totals.net_payout", {
        header: "Net payout",
        cell: ({ row }) => `${money(row.original, row.original.totals.net_payout)} (${row.original.totals.settled_orders} settled)`,
      }),
    ],
    []
  )
  const table = useDataTable({ data: channels, columns, getRowId: (c) => c.connection_id, rowCount: channels.length })
  return (
    <div data-testid="analytics-channels">
      <DataTable instance={table}>
        <DataTable.Table emptyState={{ empty: { heading: "No shop", description: "Connect a shop to compare channels." } }} />
      </DataTable>
    </div>
  )
}

const AnalyticsPage = () => {
  const [from, setFrom] = useState(utcDay(29))
  const [to, setTo] = useState(utcDay(0))
  const [metric, setMetric] = useState<keyof AnalyticsFigures>("gross_sales")
  const query = { from, to }
  const analytics = useAnalytics(query)
  const providers = useProviders()
  const data = analytics.data?.analytics

  const platformLabel = (id: string) => providers.data?.providers.find((p) => p.id === id)?.display_name ?? id
  const feeLabel = (platform: string, kind: string) =>
    providers.data?.providers.find((p) => p.id === platform)?.vocabulary.fee_kinds.find((k) => k.id === kind)?.label ?? humanize(kind)
  const sellerPays = (platform: string, kind: string) =>
    providers.data?.providers.find((p) => p.id === platform)?.vocabulary.fee_kinds.find((k) => k.id === kind)?.seller_pays ?? true

  const channels = (data?.channels ?? []).map((c) => ({ ...c, platform_label: platformLabel(c.platform) }))
  const chosen = METRICS.find((m) => m.key === metric)!
  const chartCurrency = channels.find((c) => c.currency_code)?.currency_code ?? null
  const feeKinds = [...new Set(channels.flatMap((c) => Object.keys(c.fees)))].sort()

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0" data-testid="analytics-page">
        <div className="flex flex-wrap items-end justify-between gap-4 px-6 py-4">
          <div>
            <Heading level="h1">Marketplace analytics</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Each shop's orders, sales, fees and payouts by the day the marketplace placed them (UTC days, at most 366).
            </Text>
          </div>
          <div className="flex flex-wrap items-end gap-2">
            <div className="flex flex-col gap-y-1">
              <Label size="xsmall" htmlFor="mp-analytics-from">
                From
              </Label>
              <Input id="mp-analytics-from" data-testid="analytics-from" type="date" size="small" max={to} value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-1">
              <Label size="xsmall" htmlFor="mp-analytics-to">
                To
              </Label>
              <Input id="mp-analytics-to" data-testid="analytics-to" type="date" size="small" min={from} value={to} onChange={(e) => e.target.value && setTo(e.target.value)} />
            </div>
            {PRESETS.map((days) => (
              <Button
                key={days}
                size="small"
                variant="secondary"
                data-testid={`analytics-preset-${days}`}
                onClick={() => {
                  setFrom(utcDay(days - 1))
                  setTo(utcDay(0))
                }}
              >
                {days} days
              </Button>
            ))}
            <Button size="small" variant="secondary" asChild>
              <a href={analyticsExportUrl(query)} download data-testid="analytics-export">
                <ArrowDownTray />
                CSV
              </a>
            </Button>
          </div>
        </div>
        {analytics.isLoading ? (
          <LoadingState />
        ) : analytics.isError ? (
          <ErrorState error={analytics.error} onRetry={() => analytics.refetch()} />
        ) : !data?.channels.length ? (
          <EmptyState title="No shop connected yet" description="Connect a marketplace shop to see its figures here." />
        ) : (
          <>
            <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="analytics-totals">
              {data.totals.length ? (
                data.totals.map((t) => (
                  <div key={t.currency_code} className="grid grid-cols-2 gap-4 md:grid-cols-4 xl:grid-cols-7" data-currency={t.currency_code}>
                    <Figure label="Orders" value={String(t.orders)} testId="analytics-orders" />
                    <Figure label="Gross sales" value={formatAmount(t.gross_sales, t.currency_code)} testId="analytics-gross-sales" />
                    <Figure label="Average order value" value={formatAmount(t.average_order_value, t.currency_code)} />
                    <Figure label="Fees" value={formatAmount(t.fee_total, t.currency_code)} />
                    <Figure label="Net payout" value={formatAmount(t.net_payout, t.currency_code)} hint={`${t.settled_orders} settled orders`} />
                    <Figure label="Cancellations" value={String(t.cancellations)} hint={percent(t.cancellation_rate)} />
                    <Figure label="Returns" value={String(t.returns)} hint={`${percent(t.return_rate)}, ${formatAmount(t.refunds, t.currency_code)} refunded`} />
                  </div>
                ))
              ) : (
                <Text size="small" className="text-ui-fg-subtle" data-testid="analytics-no-orders">
                  No order in this range.
                </Text>
              )}
            </div>
            <div className="flex flex-col gap-y-3 px-6 py-4">
              <div className="flex items-center justify-between">
                <Heading level="h2">Channels compared</Heading>
                <NativeSelect aria-label="Figure" data-testid="analytics-metric" value={metric} onChange={(e) => setMetric(e.target.value as keyof AnalyticsFigures)}>
                  {METRICS.map((m) => (
                    <option key={m.key} value={m.key}>
                      {m.label}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <ChannelChart
                label={chosen.label}
                days={channels[0]?.series.map((d) => d.date) ?? []}
                lines={channels.map((c) => ({
                  id: c.connection_id,
                  label: `${c.name ?? c.external_shop_id} (${c.platform_label})`,
                  values: c.series.map((d) => d[metric]),
                }))}
                format={(v) => (chosen.money ? formatAmount(v, chartCurrency) : String(Math.round(v * 100) / 100))}
              />
            </div>
          </>
        )}
      </Container>

      {channels.length ? (
        <Container className="p-0">
          <div className="px-6 py-4">
            <Heading level="h2">Shops</Heading>
          </div>
          <ChannelsTable channels={channels} />
        </Container>
      ) : null}

      {channels.length ? (
        <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
          <Container className="p-0">
            <div className="px-6 py-4">
              <Heading level="h2">Fees by kind</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                From each settled order's escrow; contributions (paid by the marketplace, not the seller) in grey.
              </Text>
            </div>
            <Table data-testid="analytics-fees">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Fee</Table.HeaderCell>
                  {channels.map((c) => (
                    <Table.HeaderCell key={c.connection_id} className="text-right">
                      {c.name ?? c.external_shop_id}
                    </Table.HeaderCell>
                  ))}
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {feeKinds.length ? (
                  feeKinds.map((kind) => (
                    <Table.Row key={kind} data-fee={kind}>
                      <Table.Cell>{feeLabel(channels.find((c) => kind in c.fees)!.platform, kind)}</Table.Cell>
                      {channels.map((c) => (
                        <Table.Cell key={c.connection_id} className={`text-right ${sellerPays(c.platform, kind) ? "" : "text-ui-fg-muted"}`}>
                          {kind in c.fees ? formatAmount(c.fees[kind], c.currency_code) : "-"}
                        </Table.Cell>
                      ))}
                    </Table.Row>
                  ))
                ) : (
                  <Table.Row>
                    <Table.Cell>No settled order in this range.</Table.Cell>
                  </Table.Row>
                )}
              </Table.Body>
            </Table>
          </Container>
          <Container className="p-0">
            <div className="px-6 py-4">
              <Heading level="h2">Top products</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                Units on the orders not cancelled, every shop together.
              </Text>
            </div>
            <Table data-testid="analytics-top-products">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>Product</Table.HeaderCell>
                  <Table.HeaderCell>SKU</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">Units</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">Orders</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">Sales</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data?.top_products.length ? (
                  data.top_products.map((p) => (
                    <Table.Row key={`${p.variant_id ?? p.title}-${p.currency_code}`}>
                      <Table.Cell>{p.title}</Table.Cell>
                      <Table.Cell>{p.sku ?? "-"}</Table.Cell>
                      <Table.Cell className="text-right">{p.quantity}</Table.Cell>
                      <Table.Cell className="text-right">{p.orders}</Table.Cell>
                      <Table.Cell className="text-right">{formatAmount(p.sales, p.currency_code)}</Table.Cell>
                    </Table.Row>
                  ))
                ) : (
                  <Table.Row>
                    <Table.Cell>No order in this range.</Table.Cell>
                  </Table.Row>
                )}
              </Table.Body>
            </Table>
          </Container>
        </div>
      ) : null}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Marketplace analytics",
})

export default AnalyticsPage

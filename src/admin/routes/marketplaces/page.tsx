import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BuildingStorefront, Plus } from "@medusajs/icons"
import { Button, Container, createDataTableColumnHelper, FocusModal, Heading, Text, useDataTable } from "@medusajs/ui"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { EmptyState, ErrorState, LoadingState } from "../../components/states"
import { ListTable, useListState } from "../../components/list-table"
import { ScreenLinks } from "../../components/screen-links"
import { Status } from "../../components/status"
import { formatDateTime, formatRelative } from "../../lib/format"
import { useAuthorizeRedirect } from "../../components/authorize"
import { LIVE_REFRESH_MS, useConnections, useProviders } from "../../lib/hooks"
import type { Connection } from "../../lib/types"
import { SetupNotices } from "../../components/setup-notices"

const PAGE_SIZE = 20

const ConnectShop = () => {
  const [open, setOpen] = useState(false)
  const providers = useProviders()
  const { start, isPending, platform } = useAuthorizeRedirect()

  return (
    <FocusModal open={open} onOpenChange={setOpen}>
      <FocusModal.Trigger asChild>
        <Button size="small" variant="secondary" data-testid="connect-shop">
          <Plus />
          Connect shop
        </Button>
      </FocusModal.Trigger>
      <FocusModal.Content>
        <FocusModal.Header>
          <FocusModal.Title asChild>
            <Heading level="h2">Connect a shop</Heading>
          </FocusModal.Title>
        </FocusModal.Header>
        <FocusModal.Body className="flex flex-col items-center overflow-y-auto py-16">
          <div className="flex w-full max-w-[560px] flex-col gap-y-6">
            <div>
              <Heading level="h2">Pick a marketplace</Heading>
              <FocusModal.Description asChild>
                <Text size="small" className="text-ui-fg-subtle">
                  You will sign in on the marketplace and authorize this store; the marketplace then sends you back
                  here and the shop appears in the list. The authorization link is valid for 10 minutes and works
                  once.
                </Text>
              </FocusModal.Description>
            </div>
            {providers.isLoading ? (
              <LoadingState />
            ) : providers.isError ? (
              <ErrorState error={providers.error} onRetry={() => providers.refetch()} />
            ) : !providers.data?.providers.length ? (
              <EmptyState
                title="No marketplace is configured"
                description={
                  providers.data?.unconfigured.length
                    ? providers.data.unconfigured.map((u) => u.message).join(" ")
                    : "Configure a provider (e.g. SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY) in medusa-config to connect shops."
                }
              />
            ) : (
              <div className="flex flex-col gap-y-2">
                {providers.data.providers.map((p) => (
                  <Button
                    key={p.id}
                    variant="secondary"
                    className="justify-between"
                    data-testid={`connect-platform-${p.id}`}
                    isLoading={isPending && platform === p.id}
                    disabled={isPending}
                    onClick={() => start(p.id)}
                  >
                    <span>{p.display_name}</span>
                    <span className="text-ui-fg-muted txt-compact-small">Authorize →</span>
                  </Button>
                ))}
              </div>
            )}
          </div>
        </FocusModal.Body>
      </FocusModal.Content>
    </FocusModal>
  )
}

const column = createDataTableColumnHelper<Connection>()

const columns = [
  column.accessor("name", {
    header: "Shop",
    cell: ({ row }) => (
      <div className="flex flex-col" data-testid="connection-row" data-connection-id={row.original.id}>
        <span className="txt-compact-small-plus" data-testid="connection-name">
          {row.original.name ?? row.original.external_shop_id}
        </span>
        <span className="txt-compact-xsmall text-ui-fg-subtle">{row.original.external_shop_id}</span>
      </div>
    ),
  }),
  column.accessor("platform", { header: "Platform", cell: ({ getValue }) => <span data-testid="connection-platform">{getValue()}</span> }),
  column.accessor("shop_region", { header: "Region", cell: ({ getValue }) => getValue() ?? "-" }),
  column.accessor("status", { header: "Status", cell: ({ getValue }) => <Status status={getValue()} testId="connection-status" /> }),
  column.display({
    id: "token",
    header: "Token expires",
    cell: ({ row }) => {
      const expires = row.original.authorization?.access_token_expires_at ?? null
      const expired = expires ? new Date(expires).getTime() < Date.now() : false
      return (
        <span title={formatDateTime(expires)} className={expired ? "text-ui-fg-error" : undefined}>
          {formatRelative(expires)}
        </span>
      )
    },
  }),
  column.accessor("last_pull_at", {
    header: "Last pull",
    cell: ({ getValue }) => <span title={formatDateTime(getValue())}>{formatRelative(getValue())}</span>,
  }),
  column.accessor("orders_today", {
    header: "Orders today",
    headerAlign: "right",
    align: "right",
    cell: ({ getValue }) => <span data-testid="connection-orders-today">{getValue() ?? 0}</span>,
  }),
  column.accessor("failures", {
    header: "Failures",
    headerAlign: "right",
    align: "right",
    cell: ({ row }) => (
      <span
        className={row.original.failures ? "text-ui-fg-error" : undefined}
        data-testid="connection-failures"
        title={`${row.original.failed_events ?? 0} failed events, ${row.original.failed_tasks ?? 0} failed pushes`}
      >
        {row.original.failures ?? 0}
      </span>
    ),
  }),
]

const MarketplacesPage = () => {
  const navigate = useNavigate()
  const list = useListState(PAGE_SIZE)
  const connections = useConnections(list.query, { refetchInterval: LIVE_REFRESH_MS * 5 })
  const table = useDataTable({
    data: connections.data?.connections ?? [],
    rowCount: connections.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    isLoading: connections.isLoading,
    onRowClick: (_, row) => navigate(`/marketplaces/${(row as { id: string }).id}`),
    ...list.options,
  })

  return (
    <Container className="divide-y p-0" data-testid="marketplaces-page">
      <div className="flex items-center justify-between px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Heading level="h1">Marketplaces</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Connected marketplace shops: their orders come in, stock and prices go out.
          </Text>
          <ScreenLinks />
        </div>
        <div className="flex items-center gap-x-2">
          <Button size="small" variant="secondary" asChild>
            <Link to="/marketplaces/analytics" data-testid="open-analytics">
              Analytics
            </Link>
          </Button>
          <ConnectShop />
        </div>
      </div>
      <SetupNotices />
      {connections.isError && !connections.data ? <ErrorState error={connections.error} onRetry={() => connections.refetch()} /> : null}
      <ListTable
        instance={table}
        title="Shops"
        filters={false}
        empty={{ heading: "No shop connected yet", description: "Use “Connect shop” to authorize a marketplace shop." }}
        testId="connections-table"
      />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Marketplaces",
  icon: BuildingStorefront,
})

export default MarketplacesPage

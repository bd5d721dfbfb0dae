import { defineRouteConfig } from "@medusajs/admin-sdk"
import { BuildingStorefront, Plus } from "@medusajs/icons"
import { Button, Container, FocusModal, Heading, Table, Text } from "@medusajs/ui"
import { useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { EmptyState, ErrorState, LoadingState, tableState } from "../../components/states"
import { Status } from "../../components/status"
import { formatDateTime, formatRelative } from "../../lib/format"
import { useAuthorizeRedirect } from "../../components/authorize"
import { LIVE_REFRESH_MS, useConnections, useProviders } from "../../lib/hooks"
import type { Connection } from "../../lib/types"
import { Pager } from "../../components/pager"
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

const ConnectionRow = ({ connection }: { connection: Connection }) => {
  const navigate = useNavigate()
  const open = () => navigate(`/marketplaces/${connection.id}`)
  const expires = connection.authorization?.access_token_expires_at ?? null
  const expired = expires ? new Date(expires).getTime() < Date.now() : false
  return (
    <Table.Row
      data-testid="connection-row"
      data-connection-id={connection.id}
      className="cursor-pointer"
      onClick={open}
      onKeyDown={(e) => e.key === "Enter" && open()}
      tabIndex={0}
    >
      <Table.Cell>
        <div className="flex flex-col">
          <span className="txt-compact-small-plus" data-testid="connection-name">
            {connection.name ?? connection.external_shop_id}
          </span>
          <span className="txt-compact-xsmall text-ui-fg-subtle">{connection.external_shop_id}</span>
        </div>
      </Table.Cell>
      <Table.Cell data-testid="connection-platform">{connection.platform}</Table.Cell>
      <Table.Cell>{connection.shop_region ?? "-"}</Table.Cell>
      <Table.Cell>
        <Status status={connection.status} testId="connection-status" />
      </Table.Cell>
      <Table.Cell title={formatDateTime(expires)} className={expired ? "text-ui-fg-error" : undefined}>
        {formatRelative(expires)}
      </Table.Cell>
      <Table.Cell title={formatDateTime(connection.last_pull_at)}>{formatRelative(connection.last_pull_at)}</Table.Cell>
      <Table.Cell className="text-right tabular-nums" data-testid="connection-orders-today">
        {connection.orders_today ?? 0}
      </Table.Cell>
      <Table.Cell
        className={`text-right tabular-nums ${connection.failures ? "text-ui-fg-error" : ""}`}
        data-testid="connection-failures"
        title={`${connection.failed_events ?? 0} failed events, ${connection.failed_tasks ?? 0} failed pushes`}
      >
        {connection.failures ?? 0}
      </Table.Cell>
    </Table.Row>
  )
}

const MarketplacesPage = () => {
  const [pageIndex, setPageIndex] = useState(0)
  const connections = useConnections(
    { limit: PAGE_SIZE, offset: pageIndex * PAGE_SIZE },
    { refetchInterval: LIVE_REFRESH_MS * 5 }
  )
  const rows = connections.data?.connections
  const count = connections.data?.count ?? 0

  return (
    <Container className="divide-y p-0" data-testid="marketplaces-page">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h1">Marketplaces</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Connected marketplace shops: their orders come in, stock and prices go out.
          </Text>
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
      <div className="overflow-x-auto">
        <Table data-testid="connections-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Shop</Table.HeaderCell>
              <Table.HeaderCell>Platform</Table.HeaderCell>
              <Table.HeaderCell>Region</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Token expires</Table.HeaderCell>
              <Table.HeaderCell>Last pull</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Orders today</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Failures</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tableState(connections, rows, 8, {
              title: "No shop connected yet",
              description: "Use “Connect shop” to authorize a marketplace shop.",
            }) ?? rows!.map((c) => <ConnectionRow key={c.id} connection={c} />)}
          </Table.Body>
        </Table>
      </div>
      <Pager count={count} pageSize={PAGE_SIZE} pageIndex={pageIndex} setPageIndex={setPageIndex} />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "Marketplaces",
  icon: BuildingStorefront,
})

export default MarketplacesPage

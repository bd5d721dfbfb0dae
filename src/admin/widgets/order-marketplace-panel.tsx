import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { ArrowUpRightOnBox, ExclamationCircle } from "@medusajs/icons"
import { Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { Link } from "react-router-dom"
import { ErrorState, LoadingState } from "../components/states"
import { Status } from "../components/status"
import { formatAmount, formatDateTime } from "../lib/format"
import { useMarketplaceOrder } from "../lib/hooks"
import type { Escrow } from "../lib/types"

const Row = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="grid grid-cols-2 items-start gap-x-2 px-6 py-3">
    <Text size="small" leading="compact" weight="plus" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small" leading="compact" className="break-words text-right" data-testid={testId}>
      {children}
    </Text>
  </div>
)

const EscrowBreakdown = ({ escrow }: { escrow: Escrow }) => {
  const money = (v: string | null) => formatAmount(v, escrow.currency_code)
  return (
    <div className="flex flex-col gap-y-1 px-6 py-3" data-testid="marketplace-escrow">
      <Text size="small" weight="plus">
        Escrow
      </Text>
      <div className="flex justify-between">
        <Text size="small" className="text-ui-fg-subtle">
          Buyer paid
        </Text>
        <Text size="small" data-testid="marketplace-escrow-buyer-total">
          {money(escrow.buyer_total)}
        </Text>
      </div>
      {escrow.fee_lines
        .filter((l) => l.seller_pays && Number(l.amount) !== 0)
        .map((l) => (
          <div key={l.kind} className="flex justify-between">
            <Text size="small" className="text-ui-fg-subtle">
              {l.label}
            </Text>
            <Text size="small">−{money(l.amount)}</Text>
          </div>
        ))}
      <div className="flex justify-between">
        <Text size="small" className="text-ui-fg-subtle">
          Fees (total)
        </Text>
        <Text size="small">−{money(escrow.fee_total)}</Text>
      </div>
      {escrow.adjustments.map((a, i) => (
        <div key={i} className="flex justify-between">
          <Text size="small" className="text-ui-fg-subtle">
            {a.reason ?? "Adjustment"}
          </Text>
          <Text size="small">{money(a.amount)}</Text>
        </div>
      ))}
      {escrow.fee_lines.some((l) => !l.seller_pays && Number(l.amount) !== 0) ? (
        <div className="flex flex-col">
          <Text size="xsmall" className="text-ui-fg-muted pt-1">
            Also in the settlement
          </Text>
          {escrow.fee_lines
            .filter((l) => !l.seller_pays && Number(l.amount) !== 0)
            .map((l) => (
              <div key={l.kind} className="flex justify-between">
                <Text size="xsmall" className="text-ui-fg-muted">
                  {l.label}
                </Text>
                <Text size="xsmall" className="text-ui-fg-muted">
                  {money(l.amount)}
                </Text>
              </div>
            ))}
        </div>
      ) : null}
      <div className="flex justify-between border-t pt-1">
        <Text size="small" weight="plus">
          Net payout
        </Text>
        <Text size="small" weight="plus" data-testid="marketplace-escrow-net">
          {money(escrow.net_payout)}
        </Text>
      </div>
      <Text size="xsmall" className="text-ui-fg-muted">
        {escrow.payout_at ? `Paid out ${formatDateTime(escrow.payout_at)}` : "Not paid out yet"} · synced{" "}
        {formatDateTime(escrow.synced_at)}
      </Text>
    </div>
  )
}

/** The marketplace side of an order: platform (and channel, e.g. "TikTok Shop · Tokopedia"), shop, external order and status, unmatched items, escrow, seller centre. */
const OrderMarketplacePanel = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const panel = useMarketplaceOrder(order.id)

  if (panel.isLoading) {
    return (
      <Container className="p-0" data-testid="marketplace-order-panel-loading">
        <LoadingState label="Loading the marketplace order…" />
      </Container>
    )
  }
  if (panel.isError) {
    return (
      <Container className="p-0" data-testid="marketplace-order-panel-error">
        <ErrorState error={panel.error} onRetry={() => panel.refetch()} />
      </Container>
    )
  }
  const mo = panel.data?.marketplace_order
  if (!mo) {
    return null
  }
  return (
    <Container className="divide-y p-0" data-testid="marketplace-order-panel">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Marketplace</Heading>
        <Status status={mo.status} testId="marketplace-order-status" />
      </div>
      {mo.has_unmatched_items ? (
        <div className="flex items-start gap-x-2 px-6 py-3" role="alert" data-testid="marketplace-unmatched-warning">
          <ExclamationCircle className="text-ui-fg-error mt-0.5 shrink-0" />
          <div className="flex flex-col">
            <Text size="small" weight="plus">
              Items without a matching variant
            </Text>
            <Text size="small" className="text-ui-fg-subtle">
              {mo.unmatched_items.length
                ? mo.unmatched_items.map((i) => `${i.quantity} × ${i.sku ?? i.title}`).join(", ")
                : "Some lines are not linked to a product variant"}
              . No stock is reserved for them: link their listings to variants.
            </Text>
          </div>
        </div>
      ) : null}
      <Row label="Platform" testId="marketplace-order-platform">
        {mo.channel_label ? `${mo.platform_name} · ${mo.channel_label}` : mo.platform_name}
      </Row>
      <Row label="Shop">
        <Link to={`/marketplaces/${mo.connection.id}`} className="text-ui-fg-interactive">
          {mo.connection.name ?? mo.connection.id}
        </Link>
      </Row>
      <Row label="Order" testId="marketplace-order-id">
        {mo.external_order_id}
      </Row>
      <Row label="Marketplace status" testId="marketplace-external-status">
        {mo.external_status}
      </Row>
      <Row label="Last update">{formatDateTime(mo.external_updated_at)}</Row>
      {mo.last_error ? (
        <Row label="Last error">
          <span className="text-ui-fg-error">{mo.last_error}</span>
        </Row>
      ) : null}
      {mo.escrow ? <EscrowBreakdown escrow={mo.escrow} /> : null}
      {mo.seller_centre_url ? (
        <div className="px-6 py-3">
          <a
            href={mo.seller_centre_url}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="marketplace-order-link"
            className="text-ui-fg-interactive txt-compact-small-plus inline-flex items-center gap-x-1"
          >
            Open in {mo.platform_name} seller centre
            <ArrowUpRightOnBox />
          </a>
        </div>
      ) : null}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.before",
})

export default OrderMarketplacePanel

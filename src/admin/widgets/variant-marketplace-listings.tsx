import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading, Table, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { tableState } from "../components/states"
import { Status } from "../components/status"
import { formatAmount, formatDateTime } from "../lib/format"
import { useProviders, useVariantListings } from "../lib/hooks"

/** Where this variant is listed: one row per shop listing, with the last stock and price pushed to it. */
const VariantMarketplaceListings = ({ data: variant }: DetailWidgetProps<HttpTypes.AdminProductVariant>) => {
  const listings = useVariantListings(variant.id)
  const rows = listings.data?.listings
  // The model id a platform gives an item without variations says nothing to the merchant: not shown.
  const providers = useProviders()
  const singleModelId = (platform: string | undefined) =>
    providers.data?.providers.find((p) => p.id === platform)?.vocabulary.single_model_id ?? null

  return (
    <Container className="divide-y p-0" data-testid="marketplace-variant-listings">
      <div className="px-6 py-4">
        <Heading level="h2">Marketplace listings</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Shops that sell this variant, and what was last pushed to them.
        </Text>
      </div>
      <div className="overflow-x-auto">
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Shop</Table.HeaderCell>
              <Table.HeaderCell>Item / model</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Stock pushed</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Price pushed</Table.HeaderCell>
              <Table.HeaderCell>Pushed</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {tableState(listings, rows, 6, {
              title: "Not listed in any shop",
              description: "A listing is linked when its SKU matches this variant's, or by hand.",
            }) ??
              rows!.map((l) => (
                <Table.Row key={l.id} data-testid="marketplace-listing-row" data-listing-id={l.id}>
                  <Table.Cell>
                    <div className="flex flex-col">
                      <Link to={`/marketplaces/${l.connection_id}`} className="text-ui-fg-interactive txt-compact-small">
                        {l.connection?.name ?? l.connection_id}
                      </Link>
                      <span className="txt-compact-xsmall text-ui-fg-subtle">{l.connection?.platform}</span>
                    </div>
                  </Table.Cell>
                  <Table.Cell>
                    <div className="flex flex-col">
                      <span className="txt-compact-small font-mono">
                        {l.external_item_id}
                        {l.external_model_id && l.external_model_id !== singleModelId(l.connection?.platform) ? ` / ${l.external_model_id}` : ""}
                      </span>
                      <span className="txt-compact-xsmall text-ui-fg-subtle">{l.sku ?? l.title ?? ""}</span>
                    </div>
                  </Table.Cell>
                  <Table.Cell className="text-right tabular-nums" data-testid="listing-last-pushed-stock">
                    {l.last_pushed_stock ?? "-"}
                  </Table.Cell>
                  <Table.Cell className="text-right tabular-nums" data-testid="listing-last-pushed-price">
                    {formatAmount(l.last_pushed_price, l.connection?.currency_code)}
                  </Table.Cell>
                  <Table.Cell className="whitespace-nowrap">{formatDateTime(l.last_pushed_at)}</Table.Cell>
                  <Table.Cell>
                    <div className="flex flex-col gap-y-1">
                      <Status status={l.match_status} testId="listing-status" />
                      {l.connection && l.connection.status !== "active" ? (
                        <span className="txt-compact-xsmall text-ui-fg-subtle">shop {l.connection.status}</span>
                      ) : null}
                    </div>
                  </Table.Cell>
                </Table.Row>
              ))}
          </Table.Body>
        </Table>
      </div>
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "product_variant.details.after",
})

export default VariantMarketplaceListings

import { defineRouteConfig } from "@medusajs/admin-sdk"
import {
  Button,
  createDataTableColumnHelper,
  createDataTableCommandHelper,
  createDataTableFilterHelper,
  Drawer,
  Input,
  Label,
  Text,
  toast,
  useDataTable,
  type DataTableRowSelectionState,
} from "@medusajs/ui"
import { useMemo, useRef, useState } from "react"
import { useSearchParams } from "react-router-dom"
import { ListTable, useListState } from "../../../components/list-table"
import { ScreenPage } from "../../../components/screen-page"
import { SyncListingsButton } from "../../../components/sync-listings-button"
import { selectedShop, shopFilter, useShopFilterOptions } from "../../../components/shop-filter"
import { Status } from "../../../components/status"
import { formatAmount, formatRelative } from "../../../lib/format"
import {
  errorMessage,
  useLinkListing,
  useLinkListingsBySku,
  useListings,
  useVariantSearch,
} from "../../../lib/hooks"
import type { LinkedListing } from "../../../lib/types"

const PAGE_SIZE = 20

const column = createDataTableColumnHelper<LinkedListing>()
const filter = createDataTableFilterHelper<LinkedListing>()
const command = createDataTableCommandHelper()

/** Link one listing to a variant found by Medusa's own variant search (SKU, title, product). */
const LinkDrawer = ({ listing, onClose }: { listing: LinkedListing | null; onClose: () => void }) => {
  const [q, setQ] = useState("")
  const search = useVariantSearch(q)
  const link = useLinkListing()
  const variants = (search.data?.variants ?? []) as { id: string; sku: string | null; title: string | null; product?: { title?: string | null } | null }[]

  const choose = (variantId: string | null) =>
    listing &&
    link.mutate(
      { id: listing.id, variant_id: variantId },
      {
        onSuccess: () => {
          toast.success(variantId ? "Listing linked: its stock and price go out now" : "Listing unlinked")
          onClose()
        },
        onError: (e) => toast.error("Could not link the listing", { description: errorMessage(e) }),
      }
    )

  return (
    <Drawer open={!!listing} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="listing-link-drawer">
        <Drawer.Header>
          <Drawer.Title>Link to a variant</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          <div>
            <Text size="small" weight="plus">
              {listing?.title ?? listing?.external_item_id}
              {listing?.variant_title ? ` · ${listing.variant_title}` : ""}
            </Text>
            <Text size="small" className="text-ui-fg-subtle">
              SKU in the shop: {listing?.sku || "none"} · now {listing?.product_variant ? `linked to ${listing.product_variant.sku ?? listing.product_variant.id}` : "not linked"}
            </Text>
          </div>
          <div className="flex flex-col gap-y-1">
            <Label htmlFor="variant-search" size="small">
              Find a variant (SKU, title or product)
            </Label>
            <Input id="variant-search" data-testid="variant-search" value={q} autoFocus onChange={(e) => setQ(e.target.value)} placeholder="e.g. TSHIRT-BLK-M" />
          </div>
          <div className="flex flex-col divide-y rounded-md border" data-testid="variant-results">
            {!q.trim() ? (
              <Text size="small" className="text-ui-fg-subtle px-3 py-2">
                Type to search Medusa's variants.
              </Text>
            ) : search.isLoading ? (
              <Text size="small" className="text-ui-fg-subtle px-3 py-2">
                Searching…
              </Text>
            ) : !variants.length ? (
              <Text size="small" className="text-ui-fg-subtle px-3 py-2">
                No variant matches “{q}”.
              </Text>
            ) : (
              variants.map((v) => (
                <div key={v.id} className="flex items-center justify-between gap-x-2 px-3 py-2" data-testid="variant-result" data-sku={v.sku ?? ""}>
                  <div className="flex flex-col">
                    <Text size="small" weight="plus">
                      {v.sku ?? "(no SKU)"}
                    </Text>
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      {v.product?.title ?? ""} · {v.title ?? ""}
                    </Text>
                  </div>
                  <Button size="small" variant="secondary" isLoading={link.isPending && link.variables?.variant_id === v.id} onClick={() => choose(v.id)}>
                    Link
                  </Button>
                </div>
              ))
            )}
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          {listing?.product_variant ? (
            <Button size="small" variant="danger" data-testid="listing-unlink" isLoading={link.isPending && link.variables?.variant_id === null} onClick={() => choose(null)}>
              Unlink
            </Button>
          ) : null}
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

/** Link the selected listings at once, each to the variant with the SKU typed for it (all or nothing). */
const BulkLinkDrawer = ({
  connectionId,
  listings,
  onClose,
  onDone,
}: {
  connectionId: string | null
  listings: LinkedListing[]
  onClose: () => void
  onDone: () => void
}) => {
  const link = useLinkListingsBySku(connectionId ?? "")
  const [skus, setSkus] = useState<Record<string, string>>({})
  const skuOf = (l: LinkedListing) => skus[l.id] ?? (l.sku ?? "").trim()

  const submit = () =>
    link.mutate(
      listings.map((l) => ({ listing_id: l.id, variant_sku: skuOf(l) })),
      {
        onSuccess: ({ count }) => {
          toast.success(`${count} listings linked: their stock and price go out now`)
          onDone()
        },
        onError: (e) => toast.error("Nothing was linked", { description: errorMessage(e) }),
      }
    )

  return (
    <Drawer open={listings.length > 0} onOpenChange={(open) => !open && onClose()}>
      <Drawer.Content data-testid="bulk-link-drawer">
        <Drawer.Header>
          <Drawer.Title>Link by SKU</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-3 overflow-y-auto">
          {!connectionId ? (
            <Text size="small" className="text-ui-fg-error">
              Filter the list by one shop to link its listings by SKU.
            </Text>
          ) : (
            <Text size="small" className="text-ui-fg-subtle">
              The SKU of the Medusa variant each listing is linked to. Every SKU must name exactly one variant, or
              nothing is linked.
            </Text>
          )}
          {listings.map((l) => (
            <div key={l.id} className="flex flex-col gap-y-1">
              <Label htmlFor={`sku-${l.id}`} size="small">
                {l.title ?? l.external_item_id}
                {l.variant_title ? ` · ${l.variant_title}` : ""} ({l.sku || "no SKU"})
              </Label>
              <Input
                id={`sku-${l.id}`}
                data-testid="bulk-link-sku"
                data-listing-id={l.id}
                value={skuOf(l)}
                onChange={(e) => setSkus((s) => ({ ...s, [l.id]: e.target.value }))}
              />
            </div>
          ))}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Cancel
            </Button>
          </Drawer.Close>
          <Button
            size="small"
            data-testid="bulk-link-submit"
            disabled={!connectionId || listings.some((l) => !skuOf(l))}
            isLoading={link.isPending}
            onClick={submit}
          >
            Link {listings.length}
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

const ListingsPage = () => {
  const [params] = useSearchParams()
  const initialShop = params.get("connection_id")
  const initialStatus = params.getAll("status")
  const list = useListState(PAGE_SIZE, {
    ...(initialShop ? { connection_id: initialShop } : {}),
    ...(initialStatus.length ? { status: initialStatus } : {}),
  })
  const shops = useShopFilterOptions()
  const listings = useListings(list.query)
  const [selection, setSelection] = useState<DataTableRowSelectionState>({})
  const [linking, setLinking] = useState<LinkedListing | null>(null)
  const [bulk, setBulk] = useState<LinkedListing[]>([])
  // Rows seen on any page, so that a selection spanning pages can be linked.
  const seen = useRef(new Map<string, LinkedListing>())
  for (const l of listings.data?.listings ?? []) seen.current.set(l.id, l)
  const connectionId = selectedShop(list.filtering)

  const columns = useMemo(
    () => [
      column.select(),
      column.accessor("title", {
        header: "Listing",
        cell: ({ row }) => (
          <div className="flex flex-col" data-testid="listing-row" data-listing-id={row.original.id}>
            <span className="txt-compact-small-plus">
              {row.original.title ?? row.original.external_item_id}
              {row.original.variant_title ? ` · ${row.original.variant_title}` : ""}
            </span>
            <span className="txt-compact-xsmall text-ui-fg-subtle">
              {row.original.external_item_id}
              {row.original.variant_title ? ` / ${row.original.external_model_id}` : ""}
            </span>
          </div>
        ),
      }),
      column.accessor("sku", { header: "SKU", cell: ({ getValue }) => getValue() || "-" }),
      column.accessor("match_status", {
        header: "Match",
        cell: ({ row }) => (
          <div className="flex items-center gap-x-1">
            <Status status={row.original.match_status} testId="listing-status" />
            {row.original.match_method === "manual" ? <span className="txt-compact-xsmall text-ui-fg-subtle">by hand</span> : null}
          </div>
        ),
      }),
      column.display({
        id: "variant",
        header: "Variant",
        cell: ({ row }) =>
          row.original.product_variant ? (
            <span data-testid="listing-variant">{row.original.product_variant.sku ?? row.original.product_variant.title}</span>
          ) : (
            "-"
          ),
      }),
      column.display({
        id: "shop",
        header: "Shop price / stock",
        cell: ({ row }) => `${formatAmount(row.original.external_price)} / ${row.original.external_stock ?? "-"}`,
      }),
      column.accessor("last_pushed_at", {
        header: "Last push",
        cell: ({ row }) =>
          row.original.last_pushed_at
            ? `${row.original.last_pushed_stock ?? "-"} · ${formatAmount(row.original.last_pushed_price)} · ${formatRelative(row.original.last_pushed_at)}`
            : "-",
      }),
      column.action({
        actions: ({ row }) => [{ label: row.original.product_variant ? "Change link…" : "Link to a variant…", onClick: () => setLinking(row.original) }],
      }),
    ],
    []
  )

  const filters = useMemo(
    () => [
      filter.accessor("status" as never, {
        type: "multiselect",
        label: "Match",
        options: [
          { label: "Unmatched", value: "unmatched" },
          { label: "Ambiguous", value: "ambiguous" },
          { label: "Matched", value: "matched" },
        ],
      }),
      shopFilter<LinkedListing>(shops),
    ],
    [shops]
  )

  const table = useDataTable({
    data: listings.data?.listings ?? [],
    rowCount: listings.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    filters,
    isLoading: listings.isLoading,
    onRowClick: (_, row) => setLinking(seen.current.get((row as { id: string }).id) ?? null),
    rowSelection: { state: selection, onRowSelectionChange: setSelection },
    commands: [
      command.command({
        label: "Link by SKU",
        shortcut: "l",
        action: (selected) => setBulk(Object.keys(selected).map((id) => seen.current.get(id)).filter((l): l is LinkedListing => !!l)),
      }),
    ],
    ...list.options,
  })

  return (
    <ScreenPage crumbs={["Listings"]} testId="listings-page">
      <ListTable
        instance={table}
        title="Listings"
        description="The shops' items and models and the Medusa variants they are linked to. Link the unmatched ones by hand; select several to link them by SKU."
        actions={<SyncListingsButton connectionId={connectionId} />}
        empty={{ heading: "No listings yet", description: "Sync a shop's listings to see them here." }}
        testId="listings-table"
        commandBar
      />
      <LinkDrawer listing={linking} onClose={() => setLinking(null)} />
      <BulkLinkDrawer
        connectionId={connectionId}
        listings={bulk}
        onClose={() => setBulk([])}
        onDone={() => {
          setBulk([])
          setSelection({})
        }}
      />
    </ScreenPage>
  )
}

export const config = defineRouteConfig({ label: "Listings" })

export default ListingsPage

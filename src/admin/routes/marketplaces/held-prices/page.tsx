import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, createDataTableColumnHelper, toast, useDataTable, usePrompt } from "@medusajs/ui"
import { useMemo } from "react"
import { useSearchParams } from "react-router-dom"
import { ListTable, useListState } from "../../../components/list-table"
import { ScreenPage } from "../../../components/screen-page"
import { shopFilter, useShopFilterOptions } from "../../../components/shop-filter"
import { formatAmount, formatRelative } from "../../../lib/format"
import { errorMessage, useHeldTasks, useSettleHeldTask } from "../../../lib/hooks"
import type { HeldTask, LinkedListing } from "../../../lib/types"

const PAGE_SIZE = 20

const column = createDataTableColumnHelper<HeldTask>()

const Actions = ({ task }: { task: HeldTask }) => {
  const settle = useSettleHeldTask()
  const prompt = usePrompt()
  const busy = settle.isPending && settle.variables?.id === task.id
  const run = async (action: "confirm" | "drop") => {
    const ok = await prompt({
      title: action === "confirm" ? "Send this price?" : "Drop this price change?",
      description:
        action === "confirm"
          ? `The shop's price becomes ${task.result?.price} (from ${task.result?.previous ?? "unknown"}).`
          : "It is never sent: the shop keeps its current price until the next change.",
      confirmText: action === "confirm" ? "Send" : "Drop",
      cancelText: "Cancel",
    })
    if (!ok) return
    settle.mutate(
      { id: task.id, action },
      {
        onSuccess: () => toast.success(action === "confirm" ? "The price goes out now" : "The price change was dropped"),
        onError: (e) => toast.error("Could not settle the price change", { description: errorMessage(e) }),
      }
    )
  }
  return (
    <div className="flex justify-end gap-x-2" onClick={(e) => e.stopPropagation()}>
      <Button size="small" variant="secondary" data-testid="held-drop" disabled={settle.isPending} isLoading={busy && settle.variables?.action === "drop"} onClick={() => run("drop")}>
        Drop
      </Button>
      <Button size="small" data-testid="held-confirm" disabled={settle.isPending} isLoading={busy && settle.variables?.action === "confirm"} onClick={() => run("confirm")}>
        Confirm
      </Button>
    </div>
  )
}

const change = (task: HeldTask) => (typeof task.result?.change === "number" ? `${Math.round(task.result.change * 100)}%` : "-")

const HeldPricesPage = () => {
  const [params] = useSearchParams()
  const initialShop = params.get("connection_id")
  const list = useListState(PAGE_SIZE, initialShop ? { connection_id: initialShop } : {})
  const shops = useShopFilterOptions()
  const held = useHeldTasks(list.query)
  const listings: Record<string, LinkedListing> = held.data?.listings ?? {}

  const columns = useMemo(
    () => [
      column.display({
        id: "listing",
        header: "Listing",
        cell: ({ row }) => {
          const l = row.original.listing_id ? listings[row.original.listing_id] : undefined
          return (
            <div className="flex flex-col" data-testid="held-row" data-task-id={row.original.id}>
              <span className="txt-compact-small-plus">
                {l ? `${l.title ?? l.external_item_id}${l.variant_title ? ` · ${l.variant_title}` : ""}` : row.original.listing_id}
              </span>
              <span className="txt-compact-xsmall text-ui-fg-subtle">{l?.sku ?? ""}</span>
            </div>
          )
        },
      }),
      column.display({
        id: "previous",
        header: "Shop price",
        cell: ({ row }) => <span data-testid="held-previous">{formatAmount(row.original.result?.previous ?? null)}</span>,
      }),
      column.display({
        id: "price",
        header: "New price",
        cell: ({ row }) => <span data-testid="held-price">{formatAmount(row.original.result?.price ?? null)}</span>,
      }),
      column.display({
        id: "change",
        header: "Change / guard",
        cell: ({ row }) =>
          `${change(row.original)} / ${typeof row.original.result?.guard === "number" ? `${Math.round(row.original.result.guard * 100)}%` : "-"}`,
      }),
      column.accessor("updated_at", { header: "Held", cell: ({ getValue }) => formatRelative(getValue()) }),
      column.display({ id: "actions", header: "", cell: ({ row }) => <Actions task={row.original} /> }),
    ],
    [listings]
  )
  const filters = useMemo(() => [shopFilter<HeldTask>(shops)], [shops])

  const table = useDataTable({
    data: held.data?.tasks ?? [],
    rowCount: held.data?.count ?? 0,
    getRowId: (row) => row.id,
    columns,
    filters,
    isLoading: held.isLoading,
    ...list.options,
  })

  return (
    <ScreenPage crumbs={["Held prices"]} testId="held-prices-page">
      <ListTable
        instance={table}
        title="Held price changes"
        description="Price changes larger than the shop's price guard wait here: confirm to send one, or drop it to keep the shop's price."
        empty={{ heading: "No price change is held", description: "Every price change was within the guard." }}
        testId="held-table"
      />
    </ScreenPage>
  )
}

export const config = defineRouteConfig({ label: "Held prices" })

export default HeldPricesPage

import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceOrder } from "../../../providers/types"
import { marketplaceOrderIdFor } from "../utils/order-input"
import { PAID_NOT_SHIPPED, STAGED_ON_IMPORT, type ImportConnectionContext } from "./plan-order-import"
import { parcelsLeft } from "./plan-marketplace-shipment"

export type PlanOrderCreationsStepInput = {
  connection_id: string
  connection: ImportConnectionContext
  orders: MarketplaceOrder[]
  /** The external ids whose lock this batch holds: only those can be created here. */
  locked: string[]
}

/** What the batch creates; everything else is left to the one-order import. */
export type OrderCreationsPlan = {
  platform: string
  /** The connection's sales channel; an order whose channel has one of its own goes there (`channel_sales_channels`). */
  sales_channel_id: string | null
  channel_sales_channels: Record<string, string>
  stock_location_id: string | null
  region_id: string | null
  shipping_option_id: string | null
  /**
   * New orders, paid and not yet shipped (or unpaid when the connection imports unpaid orders); and orders first
   * seen further on (`STAGED_ON_IMPORT`) as their paid state (`stagedAsPaid`: status `paid`, so that the order
   * link records a state older than the order's; see `staged`).
   */
  create: MarketplaceOrder[]
  /**
   * The external ids in `create` first seen shipped, delivered or completed: created here as paid, then moved to
   * their state by importOrderWorkflow (the caller's next step; a retry after a crash does it too, the link's
   * update time being older than the order's).
   */
  staged: string[]
  /** An order link left by an import that died before creating its order, by external id: reused. */
  existing_link_ids: Record<string, string>
  /** Left to importOrderWorkflow: locked elsewhere, already known, or in a state the batch does not create. */
  deferred: string[]
}


/**
 * An order first seen further on, as the paid order the batch creates: status `paid`, and an update time 1 ms
 * before the marketplace's, so that its link records a state older than the order's (the next import of this
 * very state applies it) without being the epoch, which marks a creation that never finished.
 */
const stagedAsPaid = (o: MarketplaceOrder): MarketplaceOrder => ({
  ...o,
  status: "paid",
  updated_at: new Date(new Date(o.updated_at).getTime() - 1),
})

export const planOrderCreationsStepId = "plan-marketplace-order-creations"

/**
 * Decides which orders of a batch are created together. Under their locks, an order is created here when
 * Medusa does not know it yet and the marketplace has it paid and not shipped (the usual state of a new
 * order), or shipped, delivered or completed (a backfill's history): those are created as paid orders and
 * `staged`, for importOrderWorkflow to move on. Orders first seen cancelled or in return, or with units
 * cancelled, orders already imported, and orders locked by another import go through importOrderWorkflow one
 * by one, which handles every state; so does the whole batch when the connection lacks a sales channel or
 * region (that workflow reports why).
 *
 * @example
 * const plan = planOrderCreationsStep({ connection_id: "mpcon_123", connection, orders, locked: ["A1"] })
 */
export const planOrderCreationsStep = createStep(
  planOrderCreationsStepId,
  async (input: PlanOrderCreationsStepInput, { container }) => {
    const c = input.connection
    const base = {
      platform: c.platform,
      sales_channel_id: c.sales_channel?.id ?? null,
      channel_sales_channels: c.settings?.channel_sales_channels ?? {},
      stock_location_id: c.stock_location?.id ?? null,
      region_id: c.region?.id ?? null,
      shipping_option_id: c.shipping_option_id ?? null,
    }
    const locked = new Set(input.locked)
    const candidates = input.orders.filter(
      (o) =>
        locked.has(o.external_id) &&
        (PAID_NOT_SHIPPED.includes(o.status) ||
          STAGED_ON_IMPORT.includes(o.status) ||
          (o.status === "unpaid" && !!c.settings?.import_unpaid)) &&
        // Units cancelled in part need an order edit and a refund: importOrderWorkflow's work, one order at a time.
        !o.items.some((i) => (i.cancelled_quantity ?? 0) > 0) &&
        // So does an order not shipped yet with a package already gone (split): reserved, then that package fulfilled.
        !(PAID_NOT_SHIPPED.includes(o.status) && parcelsLeft(o))
    )
    if (!candidates.length || !base.sales_channel_id || !base.region_id) {
      return new StepResponse<OrderCreationsPlan>({
        ...base,
        create: [],
        staged: [],
        existing_link_ids: {},
        deferred: input.orders.map((o) => o.external_id),
      })
    }
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order_link",
      fields: ["id", "external_order_id", "order.id"],
      filters: { connection_id: input.connection_id, external_order_id: candidates.map((o) => o.external_id) },
    })
    const links = new Map(
      (data as unknown as { id: string; external_order_id: string; order?: { id: string } | null }[]).map((l) => [
        l.external_order_id,
        l,
      ])
    )
    // A link without its order may have one all the same: made by an import that died before linking it.
    // Those are finished by importOrderWorkflow, which adopts the order.
    const unlinked = [...links.values()].filter((l) => !l.order)
    const orphans = unlinked.length
      ? await container
          .resolve(Modules.ORDER)
          .listOrders({ id: unlinked.map((l) => marketplaceOrderIdFor(l.id)) }, { select: ["id", "metadata"], take: unlinked.length })
      : []
    const adopted = new Set(orphans.map((o) => String(o.metadata?.marketplace_order_id)))
    const create = candidates.filter((o) => !links.get(o.external_id)?.order && !adopted.has(o.external_id))
    const creating = new Set(create.map((o) => o.external_id))
    const existing_link_ids: Record<string, string> = {}
    for (const o of create) {
      const link = links.get(o.external_id)
      if (link) existing_link_ids[o.external_id] = link.id
    }
    const staged = create.filter((o) => STAGED_ON_IMPORT.includes(o.status))
    return new StepResponse<OrderCreationsPlan>({
      ...base,
      create: create.map((o) => (staged.includes(o) ? stagedAsPaid(o) : o)),
      staged: staged.map((o) => o.external_id),
      existing_link_ids,
      deferred: input.orders.filter((o) => !creating.has(o.external_id)).map((o) => o.external_id),
    })
  }
)

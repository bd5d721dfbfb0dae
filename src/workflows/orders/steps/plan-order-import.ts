import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import type { MarketplaceOrder, OrderStatus } from "../../../providers/types"
import { marketplaceOrderIdFor, orderSalesChannelId } from "../utils/order-input"

/** What the import needs to know of a connection; callers importing many orders load it once. */
export type ImportConnectionContext = {
  platform: string
  settings: ConnectionSettings | null
  /** The connection's shipping option on the marketplace fulfillment provider (see workflows/shipping). */
  shipping_option_id?: string | null
  sales_channel?: { id: string } | null
  stock_location?: { id: string } | null
  region?: { id: string } | null
}

export type PlanOrderImportStepInput = {
  connection_id: string
  order: MarketplaceOrder
  connection?: ImportConnectionContext | null
}

export const IMPORT_CONNECTION_FIELDS = [
  "id",
  "platform",
  "status",
  "settings",
  "shipping_option_id",
  "sales_channel.id",
  "stock_location.id",
  "region.id",
]

/** What one import will do, decided once from the stored state and the marketplace's order. */
export type OrderImportPlan = {
  /** create: first sight; update: a newer state of a known order; unchanged / skip: nothing to write. */
  action: "create" | "update" | "unchanged" | "skip"
  reason: string | null
  platform: string
  connection_id: string
  /** The order's: its channel's sales channel when the connection gives it one, else the connection's. */
  sales_channel_id: string | null
  stock_location_id: string | null
  region_id: string | null
  /** The connection's marketplace-logistics shipping option, referenced by the order's shipping method. */
  shipping_option_id: string | null
  order_link_id: string | null
  order_id: string | null
  /**
   * The Medusa order exists but its import never finished (the process died after creating it): the import
   * takes it over and completes what is missing (link, discount, reservations, payment) instead of creating
   * another.
   */
  adopt: boolean
  /** The adopted order is not linked to its order link yet. */
  link_order: boolean
  /** Capture the marketplace's payment on the Medusa order (first time it is seen paid). */
  capture: boolean
  /** Reserve stock: the order is paid and not yet handed to the carrier. */
  reserve: boolean
  cancel: boolean
  complete: boolean
}

/** Paid on the marketplace and not yet handed to the carrier: reserved, and created by the batch import. */
export const PAID_NOT_SHIPPED: OrderStatus[] = ["paid", "processed", "cancel_requested"]
/**
 * The states whose first import reserves stock: paid and not shipped, and unpaid (imported only with the
 * connection's `import_unpaid`): the marketplace holds the stock of an unpaid order too, and its
 * cancellation releases the reservation.
 */
export const RESERVED_ON_IMPORT: OrderStatus[] = [...PAID_NOT_SHIPPED, "unpaid"]
/**
 * States a first import reaches through the paid one: the batch import creates such an order as a paid one
 * (its payment in bulk, nothing reserved) and importOrderWorkflow then moves it on (fulfilment reserving what it
 * takes, shipment, delivery, completion) as it would a paid order the marketplace shipped later.
 */
export const STAGED_ON_IMPORT: OrderStatus[] = ["shipped", "delivered", "completed"]
const AFTER_PAYMENT: OrderStatus[] = [...PAID_NOT_SHIPPED, "shipped", "delivered", "completed", "in_return"]

export const planOrderImportStepId = "plan-marketplace-order-import"

/**
 * Decides what importing a marketplace order means now: create it, apply a newer state, or nothing
 * (an older or equal update time never overwrites a newer one; unpaid orders wait unless the connection
 * imports them; an order first seen cancelled is created cancelled if it was paid, not at all if it was not).
 *
 * @example
 * const plan = planOrderImportStep({ connection_id: "mpcon_123", order })
 */
export const planOrderImportStep = createStep(
  planOrderImportStepId,
  async ({ connection_id, order, connection: given }: PlanOrderImportStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    let c = given ?? null
    if (!c) {
      const { data } = await query.graph({
        entity: "connection",
        fields: IMPORT_CONNECTION_FIELDS,
        filters: { id: connection_id },
      })
      c = (data[0] as unknown as ImportConnectionContext | undefined) ?? null
    }
    if (!c) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Connection with id: ${connection_id} was not found`)
    }
    const {
      data: [link],
    } = await query.graph({
      entity: "order_link",
      fields: [
        "id",
        "status",
        "external_updated_at",
        "order.id",
        "order.status",
        "order.payment_collections.status",
      ],
      filters: { connection_id, external_order_id: order.external_id },
    })
    const existing = link as unknown as
      | {
          id: string
          status: OrderStatus
          external_updated_at: Date | string
          order?: { id: string; status: string; payment_collections?: { status: string }[] } | null
        }
      | undefined

    const base: OrderImportPlan = {
      action: "skip",
      reason: null,
      platform: c.platform,
      connection_id,
      // The order's channel may have a sales channel of its own (a Tokopedia order on TikTok Shop, say).
      sales_channel_id: orderSalesChannelId(c.settings, c.sales_channel?.id ?? null, order),
      stock_location_id: c.stock_location?.id ?? null,
      region_id: c.region?.id ?? null,
      shipping_option_id: c.shipping_option_id ?? null,
      order_link_id: existing?.id ?? null,
      order_id: existing?.order?.id ?? null,
      adopt: false,
      link_order: false,
      capture: false,
      reserve: false,
      cancel: false,
      complete: false,
    }

    // An import that died after creating the Medusa order left it behind (an order link without its order,
    // or one still at the epoch watermark): take it over rather than create a second one.
    let orphan: { id: string; status: string } | null = null
    if (existing && !existing.order) {
      const [found] = await container
        .resolve(Modules.ORDER)
        .listOrders({ id: marketplaceOrderIdFor(existing.id) }, { select: ["id", "status"] })
      orphan = found ? { id: found.id, status: found.status } : null
    }
    const unfinished = existing?.order && new Date(existing.external_updated_at).getTime() === 0 ? existing.order : null
    const adopted = orphan ?? unfinished
    if (existing && adopted) {
      const captured = ((unfinished?.payment_collections ?? []) as { status: string }[]).some((p) =>
        ["completed", "captured", "partially_captured"].includes(p.status)
      )
      return new StepResponse<OrderImportPlan>({
        ...base,
        action: "create" as const,
        reason: "resumed an import that did not finish",
        order_id: adopted.id,
        adopt: true,
        link_order: !!orphan,
        capture: !captured && AFTER_PAYMENT.includes(order.status) && adopted.status !== "canceled",
        reserve: RESERVED_ON_IMPORT.includes(order.status),
        cancel: order.status === "cancelled" && !["canceled", "completed"].includes(adopted.status),
        complete: order.status === "completed" && !["canceled", "completed"].includes(adopted.status),
      })
    }

    if (!existing?.order) {
      if (order.status === "unpaid" && !c.settings?.import_unpaid) {
        return new StepResponse<OrderImportPlan>({ ...base, reason: "unpaid: waiting for payment" })
      }
      // Cancelled before its first import: an order the buyer never paid is nothing to the store; a paid one is
      // a sale that was reversed, imported as a cancelled order (its payment captured, then refunded by the
      // cancellation) so that the order book, the analytics' cancellation rate and the refunds are complete
      // whether or not the plugin saw the order before it was cancelled.
      if (order.status === "cancelled" && !order.paid_at) {
        return new StepResponse<OrderImportPlan>({ ...base, reason: "cancelled before it was paid" })
      }
      if (!base.sales_channel_id) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          `Connection ${connection_id} has no sales channel: choose one in its settings`
        )
      }
      return new StepResponse<OrderImportPlan>({
        ...base,
        action: "create" as const,
        capture: AFTER_PAYMENT.includes(order.status) || order.status === "cancelled",
        reserve: RESERVED_ON_IMPORT.includes(order.status),
        cancel: order.status === "cancelled",
        complete: order.status === "completed",
      })
    }

    if (new Date(existing.external_updated_at).getTime() >= new Date(order.updated_at).getTime()) {
      return new StepResponse<OrderImportPlan>({ ...base, action: "unchanged" as const, reason: "not newer than the stored state" })
    }

    const medusaStatus = existing.order.status
    const captured = (existing.order.payment_collections ?? []).some((p) =>
      ["completed", "captured", "partially_captured"].includes(p.status)
    )
    return new StepResponse<OrderImportPlan>({
      ...base,
      action: "update" as const,
      capture: !captured && AFTER_PAYMENT.includes(order.status) && medusaStatus !== "canceled",
      cancel: order.status === "cancelled" && !["canceled", "completed"].includes(medusaStatus),
      complete: order.status === "completed" && !["canceled", "completed"].includes(medusaStatus),
    })
  }
)

import { randomUUID } from "crypto"
import {
  createRemoteLinkStep,
  emitEventStep,
} from "@medusajs/medusa/core-flows"
import { Modules, PaymentEvents } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceOrder } from "../../../providers/types"
import { ensureConnectionShippingOptionStep } from "../../shipping/steps/ensure-connection-shipping-option"
import { buildOrdersReservationsStep } from "../steps/build-reservations"
import { captureMarketplacePaymentsStep } from "../steps/capture-marketplace-payment"
import { createMarketplaceOrdersStep } from "../steps/create-marketplace-orders"
import { createOrderLinksStep } from "../steps/create-order-links"
import { ensureCustomersStep } from "../steps/ensure-customers"
import { PAID_NOT_SHIPPED, type ImportConnectionContext } from "../steps/plan-order-import"
import { planOrderCreationsStep } from "../steps/plan-order-creations"
import { prepareMarketplaceOrdersStep } from "../steps/prepare-marketplace-orders"
import { recordCreatedOrdersStep } from "../steps/record-created-orders"
import { resolveOrderItemsStep } from "../steps/resolve-order-items"
import { tryLockOrdersStep } from "../steps/try-lock-orders"
import { reserveMarketplaceItemsStep } from "../steps/reserve-items"
import { markAnalyticsStaleStep } from "../../analytics/steps/mark-analytics-stale"
import { releaseLeasedLockStep } from "../../locking/steps/leased-lock"
import { buyerEmail, marketplaceOrderIdFor } from "../utils/order-input"
import { orderLockKey } from "./import-order"

export type ImportNewOrdersWorkflowInput = {
  connection_id: string
  /** Freshly fetched order details, as for importOrderWorkflow (the raw payload left out). */
  orders: MarketplaceOrder[]
  /** The connection's settings and links (IMPORT_CONNECTION_FIELDS). */
  connection: ImportConnectionContext
}

export type ImportNewOrdersWorkflowOutput = {
  /**
   * `staged`: the order was first seen shipped, delivered or completed and was created as paid: run
   * importOrderWorkflow on it next to bring it to its state.
   */
  created: { external_id: string; order_id: string; order_link_id: string; staged: boolean }[]
  /** Not created here: import these with importOrderWorkflow, one by one. */
  deferred: string[]
}

export const importNewOrdersWorkflowId = "import-new-marketplace-orders"


/**
 * Creates a batch of new marketplace orders at once: the path of a backfill, a pull or a burst of webhooks,
 * where most orders are new, paid and not yet shipped. Orders first seen shipped, delivered or completed are
 * created here as paid ones and returned `staged`: the caller moves each on with importOrderWorkflow. The
 * result per order is what importOrderWorkflow makes of such an order (order link, customer, lines on variants, marketplace totals and discount, captured
 * payment, reservations, events), written with one query or insert per kind of record for the whole batch
 * instead of one workflow run per order.
 *
 * It takes each order's import lock without waiting; orders locked elsewhere, orders Medusa already knows
 * and orders in any other state are returned as `deferred`, for importOrderWorkflow. If anything fails, the
 * whole batch is compensated (nothing of it stays) and the caller imports it order by order, so one bad
 * order is reported on its own.
 *
 * @example
 * const { result } = await importNewOrdersWorkflow(container).run({ input: { connection_id, orders, connection } })
 * // result.created: [{ external_id, order_id, order_link_id }], result.deferred: ["240101XYZ"]
 */
export const importNewOrdersWorkflow = createWorkflow(importNewOrdersWorkflowId, (input: ImportNewOrdersWorkflowInput) => {
  const lock = transform({ input }, ({ input }) => ({
    owner_id: `marketplace-import-batch:${randomUUID()}`,
    keys: input.orders.map((o) => ({ external_id: o.external_id, key: orderLockKey(input.connection_id, o.external_id) })),
    max_hold_seconds: 900,
  }))
  const locked = tryLockOrdersStep(lock)

  const plan = planOrderCreationsStep(
    transform({ input, locked }, ({ input, locked }) => ({
      connection_id: input.connection_id,
      connection: input.connection,
      orders: input.orders,
      locked: locked.locked,
    }))
  )

  // Connections set up before the plugin shipped its fulfilment provider get their shipping option now.
  const ensuredOption = when(
    "ensure-marketplace-shipping-option-for-batch",
    { plan },
    ({ plan }) => plan.create.length > 0 && !plan.shipping_option_id && !!plan.stock_location_id
  ).then(() => ensureConnectionShippingOptionStep(transform({ input }, ({ input }) => ({ connection_id: input.connection_id }))))

  const created = when("create-new-marketplace-orders", { plan }, ({ plan }) => plan.create.length > 0).then(() => {
    const resolved = resolveOrderItemsStep(
      transform({ input, plan }, ({ input, plan }) => ({
        connection_id: input.connection_id,
        items: plan.create.flatMap((o) => o.items),
      }))
    )
    const unmatched = transform({ plan, resolved }, ({ plan, resolved }) => {
      const variantOf = new Map(resolved.lines.map((l) => [l.line_id, l.variant_id]))
      return plan.create.filter((o) => o.items.some((i) => !variantOf.get(i.line_id))).map((o) => o.external_id)
    })
    const linkIds = createOrderLinksStep(
      transform({ input, plan, unmatched }, ({ input, plan, unmatched }) => ({
        connection_id: input.connection_id,
        orders: plan.create.map((order) => ({ order, has_unmatched_items: unmatched.includes(order.external_id) })),
        existing_link_ids: plan.existing_link_ids,
      }))
    )
    const customers = ensureCustomersStep(
      transform({ plan }, ({ plan }) =>
        plan.create.map((o) => ({
          email: buyerEmail(plan.platform, o),
          first_name: o.buyer.username ?? o.shipping_address?.name ?? null,
          phone: o.buyer.phone,
          metadata: {
            marketplace_platform: plan.platform,
            marketplace_buyer_id: o.buyer.external_id,
            marketplace_buyer_username: o.buyer.username,
          },
        }))
      )
    )
    const prepared = prepareMarketplaceOrdersStep(
      transform({ input, plan, resolved, customers, ensuredOption }, ({ input, plan, resolved, customers, ensuredOption }) => ({
        connection_id: input.connection_id,
        platform: plan.platform,
        region_id: plan.region_id as string,
        sales_channel_id: plan.sales_channel_id as string,
        channel_sales_channels: plan.channel_sales_channels,
        shipping_option_id: plan.shipping_option_id ?? ensuredOption?.shipping_option_id ?? null,
        orders: plan.create,
        lines: resolved.lines,
        customers,
      }))
    )
    // Each order's id is derived from its order link: a retry after a crash finds it (see planOrderImportStep).
    const orders = createMarketplaceOrdersStep(
      transform({ prepared, linkIds }, ({ prepared, linkIds }) =>
        prepared.map((o) => ({ ...o, id: marketplaceOrderIdFor(linkIds[String(o.metadata?.marketplace_order_id)]) }))
      )
    )

    const byExternalId = transform({ orders }, ({ orders }) => Object.fromEntries(orders.map((o) => [o.external_order_id, o])))
    createRemoteLinkStep(
      transform({ plan, linkIds, byExternalId }, ({ plan, linkIds, byExternalId }) =>
        plan.create.map((o) => ({
          [MARKETPLACE_MODULE]: { order_link_id: linkIds[o.external_id] },
          [Modules.ORDER]: { order_id: byExternalId[o.external_id].id },
        }))
      )
    ).config({ name: "link-marketplace-orders" })

    // A staged order (first seen shipped or further) is not reserved, as the one-by-one import does not reserve
    // it: its fulfilment reserves what it takes (and, where Medusa cannot fulfil it, nothing stays reserved).
    const reservations = buildOrdersReservationsStep(
      transform({ input, plan, orders }, ({ input, plan, orders }) => ({
        connection_id: input.connection_id,
        location_id: plan.stock_location_id,
        items: orders.filter((o) => !plan.staged.includes(o.external_order_id)).flatMap((o) => o.items),
      }))
    )

    const payments = captureMarketplacePaymentsStep(
      transform({ plan, byExternalId }, ({ plan, byExternalId }) =>
        plan.create
          .filter((o) => PAID_NOT_SHIPPED.includes(o.status))
          .map((o) => ({ order_id: byExternalId[o.external_id].id, currency_code: o.currency_code, amount: o.total }))
      )
    )
    emitEventStep({
      eventName: PaymentEvents.CAPTURED,
      data: transform({ payments }, ({ payments }) => payments.map((p) => ({ id: p.payment_id }))),
    }).config({ name: "emit-marketplace-payments-captured" })

    recordCreatedOrdersStep(
      transform({ plan, linkIds, byExternalId, unmatched }, ({ plan, linkIds, byExternalId, unmatched }) => ({
        orders: plan.create,
        link_ids: linkIds,
        medusa_totals: Object.fromEntries(plan.create.map((o) => [o.external_id, byExternalId[o.external_id].total])),
        unmatched,
      }))
    )
    const result = transform({ plan, linkIds, byExternalId }, ({ plan, linkIds, byExternalId }) =>
      plan.create.map((o) => ({
        external_id: o.external_id,
        order_id: byExternalId[o.external_id].id,
        order_link_id: linkIds[o.external_id],
        status: o.status,
        staged: plan.staged.includes(o.external_id),
      }))
    )
    emitEventStep({
      eventName: MarketplaceEvents.ORDER_IMPORTED,
      data: transform({ input, result }, ({ input, result }) =>
        result.map((r) => ({
          id: r.order_link_id,
          order_id: r.order_id,
          connection_id: input.connection_id,
          external_order_id: r.external_id,
          status: r.status,
        }))
      ),
    }).config({ name: "emit-marketplace-orders-imported" })
    return { result, reservations }
  })

  // (A `when` cannot be nested in another: this one follows the creation block.)
  when("reserve-marketplace-orders", { created }, ({ created }) => !!created?.reservations.length).then(() => {
    reserveMarketplaceItemsStep(transform({ created }, ({ created }) => created!.reservations)).config({
      name: "reserve-marketplace-orders-items",
    })
  })

  releaseLeasedLockStep(transform({ locked, lock }, ({ locked, lock }) => ({ key: locked.keys, ownerId: lock.owner_id })))

  // The created orders' days, marked for the analytics (one mark per shop and day of the batch). Last.
  markAnalyticsStaleStep(
    transform({ created }, ({ created }) => ({ order_link_ids: (created?.result ?? []).map((r) => r.order_link_id) }))
  )

  return new WorkflowResponse(
    transform({ plan, created }, ({ plan, created }) => ({
      created: (created?.result ?? []).map(({ status: _status, ...r }) => r),
      deferred: plan.deferred,
    })) as unknown as ImportNewOrdersWorkflowOutput
  )
})

import {
  cancelOrderWorkflow,
  completeOrderWorkflow,
  createOrderWorkflow,
  createRemoteLinkStep,
  emitEventStep,
  refundPaymentWorkflow,
} from "@medusajs/medusa/core-flows"
import { Modules, PaymentEvents, ReservationItemWorkflowEvents } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { newLockOwnerId } from "../../../lib/locks"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceOrder } from "../../../providers/types"
import { applyMarketplaceDiscountStep } from "../steps/apply-marketplace-discount"
import { captureMarketplacePaymentStep } from "../steps/capture-marketplace-payment"
import { buildReservationsStep } from "../steps/build-reservations"
import { createOrderLinkStep } from "../steps/create-order-link"
import { ensureCustomerStep } from "../steps/ensure-customer"
import { linkOrderStep } from "../steps/link-order"
import { ensureConnectionShippingOptionStep } from "../../shipping/steps/ensure-connection-shipping-option"
import { cancelOrderFulfillmentsStep } from "../steps/cancel-order-fulfillments"
import { cancelMarketplaceUnitsStep } from "../steps/cancel-marketplace-units"
import { markOrderLinkCancelledStep } from "../steps/mark-order-link-cancelled"
import { parcelsLeft, planMarketplaceShipmentStep } from "../steps/plan-marketplace-shipment"
import { repairMarketplaceFulfillmentsStep } from "../steps/repair-marketplace-fulfillments"
import { shipMarketplacePackagesStep } from "../steps/ship-marketplace-packages"
import { planOrderImportStep, type ImportConnectionContext } from "../steps/plan-order-import"
import { resolveOrderItemsStep } from "../steps/resolve-order-items"
import { updateOrderLinkStep } from "../steps/update-order-link"
import {
  buyerEmail,
  discountByLine,
  marketplaceOrderIdFor,
  marketplaceOrderMetadata,
  marketplaceShippingMethod,
  toMedusaAddress,
  toOrderItems,
  totalMismatch,
} from "../utils/order-input"
import { acquireLeasedLockStep, releaseLeasedLockStep } from "../../locking/steps/leased-lock"
import { finishAbandonedOrderChangesStep } from "../steps/finish-abandoned-order-changes"
import { reserveMarketplaceItemsStep } from "../steps/reserve-items"
import { markAnalyticsStaleStep } from "../../analytics/steps/mark-analytics-stale"

export type ImportOrderWorkflowInput = {
  connection_id: string
  /** The marketplace's order detail, freshly fetched: a webhook is only a hint. */
  order: MarketplaceOrder
  /** The connection's settings and links, when the caller already loaded them (see IMPORT_CONNECTION_FIELDS). */
  connection?: ImportConnectionContext | null
  /**
   * How long to wait for the order's lock when another import holds it, in seconds (default 60). A caller
   * that can come back later (the inbox requeues the event) waits briefly and gets the lock error instead.
   */
  lock_timeout_seconds?: number
}

export type ImportOrderWorkflowOutput = {
  action: "create" | "update" | "unchanged" | "skip"
  reason: string | null
  order_link_id: string | null
  order_id: string | null
}

export const importOrderWorkflowId = "import-marketplace-order"

/** The lock of one external order: every import of it, from any source and process, goes one at a time. */
export const orderLockKey = (connectionId: string, externalOrderId: string) =>
  `marketplace:order:${connectionId}:${externalOrderId}`

/**
 * The one door through which marketplace orders enter Medusa, for webhooks, pulls and backfills alike.
 * Under a lock on (connection, external order): the first sight creates the native order (customer,
 * address, items on variants, shipping, marketplace totals, captured payment, reservations) and its order
 * link; a later, newer sight applies the difference (payment, cancellation, units cancelled in part, completion,
 * shipment). An older or equal update time changes nothing.
 *
 * @example
 * const { result } = await importOrderWorkflow(container).run({
 *   input: { connection_id: "mpcon_123", order: await provider.getOrders(session, ["240101ABC"])[0] },
 * })
 */
export const importOrderWorkflow = createWorkflow(importOrderWorkflowId, (input: ImportOrderWorkflowInput) => {
  // Leased (renewed while this process runs the workflow, free within a lease if it dies) and released with
  // its owner id: a lock that outlived its lease may be another run's by then. Each value is a
  // transform of its own: a property of a transform's result (`lock.key`) inside an object literal is not
  // resolved, and the step would get no key and lock nothing.
  const lockKey = transform({ input }, ({ input }) => orderLockKey(input.connection_id, input.order.external_id))
  const lockOwner = transform({ input }, () => newLockOwnerId("import-order"))
  const lockTimeout = transform({ input }, ({ input }) => input.lock_timeout_seconds ?? 60)
  acquireLeasedLockStep({ key: lockKey, ownerId: lockOwner, timeout: lockTimeout })

  const plan = planOrderImportStep(input)

  // A refund or cancellation that a dead process left half done would block every later change of the order.
  // An order being adopted (its creation never finished: a "create" with the order's id) may have one too: a
  // dead run that adopted it may have gone on to cancel it.
  finishAbandonedOrderChangesStep(
    transform({ plan }, ({ plan }) => ({
      order_id: ["create", "update"].includes(plan.action) ? plan.order_id ?? null : null,
    }))
  )

  // Connections set up before the plugin shipped its fulfilment provider get their shipping option now.
  const ensuredOption = when(
    "ensure-marketplace-shipping-option",
    { plan },
    ({ plan }) => plan.action === "create" && !plan.shipping_option_id && !!plan.stock_location_id
  ).then(() => ensureConnectionShippingOptionStep(transform({ input }, ({ input }) => ({ connection_id: input.connection_id }))))
  const shippingOptionId = transform(
    { plan, ensuredOption },
    ({ plan, ensuredOption }) => plan.shipping_option_id ?? ensuredOption?.shipping_option_id ?? null
  )

  // An order made by an import that died before finishing (no compensation runs after a SIGKILL): linked
  // and given its discount here if it lacks them; reservations and payment below skip what exists.
  when("adopt-marketplace-order", { plan }, ({ plan }) => plan.adopt && plan.link_order).then(() => {
    createRemoteLinkStep(
      transform({ plan }, ({ plan }) => [
        {
          [MARKETPLACE_MODULE]: { order_link_id: plan.order_link_id as string },
          [Modules.ORDER]: { order_id: plan.order_id as string },
        },
      ])
    ).config({ name: "link-adopted-marketplace-order" })
  })
  when("discount-adopted-marketplace-order", { plan }, ({ plan }) => plan.adopt).then(() => {
    applyMarketplaceDiscountStep(
      transform({ plan, input }, ({ plan, input }) => ({ order_id: plan.order_id as string, discounts: discountByLine(input.order) }))
    ).config({ name: "discount-adopted-marketplace-order" })
  })

  const created = when("create-marketplace-order", { plan }, ({ plan }) => plan.action === "create" && !plan.adopt).then(() => {
    const resolved = resolveOrderItemsStep({ connection_id: input.connection_id, items: input.order.items })
    const link = createOrderLinkStep(
      transform({ input, resolved, plan }, ({ input, resolved, plan }) => ({
        connection_id: input.connection_id,
        order: input.order,
        has_unmatched_items: resolved.has_unmatched,
        existing_id: plan.order_link_id,
      }))
    )
    const customer = ensureCustomerStep(
      transform({ input, plan }, ({ input, plan }) => ({
        email: buyerEmail(plan.platform, input.order),
        first_name: input.order.buyer.username ?? input.order.shipping_address?.name ?? null,
        phone: input.order.buyer.phone,
        metadata: {
          marketplace_platform: plan.platform,
          marketplace_buyer_id: input.order.buyer.external_id,
          marketplace_buyer_username: input.order.buyer.username,
        },
      }))
    )
    const orderInput = transform(
      { input, resolved, plan, customer, shippingOptionId, link },
      ({ input, resolved, plan, customer, shippingOptionId, link }) => {
      const o = input.order
      const address = toMedusaAddress(o.shipping_address, o.country_code)
      return {
        region_id: plan.region_id ?? undefined,
        sales_channel_id: plan.sales_channel_id ?? undefined,
        customer_id: customer.id,
        email: buyerEmail(plan.platform, o),
        currency_code: o.currency_code,
        status: "pending" as const,
        shipping_address: address,
        billing_address: address,
        items: toOrderItems(o, resolved.lines),
        shipping_methods: [marketplaceShippingMethod(o, shippingOptionId)],
        // Derived from the order link: an import that dies after this finds the order on its next try.
        id: marketplaceOrderIdFor(link.id),
        metadata: marketplaceOrderMetadata(plan.platform, input.connection_id, o),
      }
    }
    )
    const order = createOrderWorkflow.runAsStep({ input: orderInput })
    linkOrderStep(transform({ link, order }, ({ link, order }) => ({ order_link_id: link.id, order_id: order.id })))
    const discounts = transform({ input }, ({ input }) => discountByLine(input.order))
    applyMarketplaceDiscountStep(
      transform({ order, discounts }, ({ order, discounts }) => ({
        order_id: order.id,
        discounts,
        items: order.items ?? undefined,
      }))
    )
    return transform({ order, link, resolved, discounts, input }, ({ order, link, resolved, discounts, input }) => ({
      order_id: order.id,
      order_link_id: link.id,
      has_unmatched_items: resolved.has_unmatched,
      items: (order.items ?? []).map((i) => ({ id: i.id, quantity: Number(i.quantity), variant_id: i.variant_id ?? null })),
      total_mismatch: totalMismatch(
        (order as unknown as { raw_total?: { value: string } }).raw_total?.value ?? order.total,
        discounts,
        input.order.total
      ),
    }))
  })

  const target = transform({ plan, created }, ({ plan, created }) => ({
    order_id: created?.order_id ?? plan.order_id,
    order_link_id: created?.order_link_id ?? plan.order_link_id,
  }))

  when("reserve-marketplace-order", { plan }, ({ plan }) => plan.action === "create" && plan.reserve).then(() => {
    const reservations = buildReservationsStep(
      transform({ target, plan, created }, ({ target, plan, created }) => ({
        order_id: target.order_id as string,
        location_id: plan.stock_location_id,
        connection_id: plan.connection_id,
        items: created?.items,
      }))
    )
    const reserved = reserveMarketplaceItemsStep(reservations)
    // What Medusa's createReservationsWorkflow emits after the same step.
    emitEventStep({
      eventName: ReservationItemWorkflowEvents.CREATED,
      data: transform({ reserved }, ({ reserved }) => reserved.map((r) => ({ id: r.id }))),
    }).config({ name: "emit-marketplace-reservations-created" })
  })

  when("capture-marketplace-payment", { plan }, ({ plan }) => plan.capture).then(() => {
    const payment = captureMarketplacePaymentStep(
      transform({ target, input }, ({ target, input }) => ({
        order_id: target.order_id as string,
        currency_code: input.order.currency_code,
        amount: input.order.total,
      }))
    )
    emitEventStep({
      eventName: PaymentEvents.CAPTURED,
      data: transform({ payment }, ({ payment }) => ({ id: payment.payment_id })),
    }).config({ name: "emit-marketplace-payment-captured" })
  })

  // A fulfilment, shipment or delivery a dead process wrote on one side only (fulfillment module or order) is
  // completed on the other before anything ships or cancels it. A fresh order has none: nothing is read.
  repairMarketplaceFulfillmentsStep(
    transform({ plan, input }, ({ plan, input }) => ({
      order_id:
        ["create", "update"].includes(plan.action) && (plan.cancel || parcelsLeft(input.order))
          ? plan.order_id ?? null
          : null,
    }))
  )

  const cancelled = when("cancel-marketplace-order", { plan }, ({ plan }) => plan.cancel).then(() => {
    // The marketplace cancelled it: the seller-cancellation hook must not send anything back.
    markOrderLinkCancelledStep(
      transform({ target, input }, ({ target, input }) => ({
        id: target.order_link_id as string,
        external_status: input.order.external_status,
      }))
    )
    // Medusa cancels no order with fulfilments: those are cancelled first, unless one is already shipped.
    return cancelOrderFulfillmentsStep(transform({ target }, ({ target }) => ({ order_id: target.order_id as string })))
  })
  when("cancel-marketplace-order-in-medusa", { cancelled }, ({ cancelled }) => !!cancelled?.cancellable).then(() => {
    cancelOrderWorkflow.runAsStep({
      input: transform({ target }, ({ target }) => ({ order_id: target.order_id as string })),
    })
  })

  // Units cancelled on the marketplace while the rest goes on: their lines are reduced by an order edit (before
  // the shipment, which then fulfils only what is left), and the marketplace's refund of them is recorded.
  const cancelledUnits = cancelMarketplaceUnitsStep(
    transform({ target, input, plan }, ({ target, input, plan }) => ({
      order_id: target.order_id,
      connection_id: input.connection_id,
      order: input.order,
      applies: ["create", "update"].includes(plan.action) && !plan.cancel,
    }))
  )
  when("refund-marketplace-cancelled-units", { cancelledUnits }, ({ cancelledUnits }) => !!cancelledUnits.refund).then(() => {
    refundPaymentWorkflow.runAsStep({
      input: transform({ cancelledUnits }, ({ cancelledUnits }) => ({
        payment_id: cancelledUnits.refund!.payment_id,
        amount: cancelledUnits.refund!.amount as unknown as number,
        // The note names the edits it pays back: the next import finds them refunded.
        note: cancelledUnits.refund!.note,
      })),
    }).config({ name: "refund-marketplace-cancelled-units" })
  })

  // Shipped by the marketplace: fulfil what is not fulfilled yet, ship it with the tracking number, deliver it.
  const shipment = planMarketplaceShipmentStep(
    transform({ target, input, plan, shippingOptionId }, ({ target, input, plan, shippingOptionId }) => ({
      order_id: target.order_id,
      connection_id: input.connection_id,
      order: input.order,
      shipping_option_id: shippingOptionId,
      stock_location_id: plan.stock_location_id,
      applies: ["create", "update"].includes(plan.action) && !plan.cancel,
    }))
  )

  // Each package that left: its fulfilment (reserving what it needs: orders first seen shipped were never
  // reserved), its shipment with the tracking number, its delivery.
  when("ship-marketplace-packages", { shipment }, ({ shipment }) => shipment.packages.length > 0).then(() => {
    shipMarketplacePackagesStep(
      transform({ target, input, plan, shippingOptionId, shipment }, ({ target, input, plan, shippingOptionId, shipment }) => ({
        order_id: target.order_id as string,
        order_link_id: target.order_link_id as string,
        external_order_id: input.order.external_id,
        location_id: plan.stock_location_id,
        shipping_option_id: shippingOptionId,
        packages: shipment.packages,
      }))
    )
  })

  when("complete-marketplace-order", { plan }, ({ plan }) => plan.complete).then(() => {
    completeOrderWorkflow.runAsStep({
      input: transform({ target }, ({ target }) => ({ orderIds: [target.order_id as string] })),
    })
  })

  when("record-marketplace-order-state", { plan }, ({ plan }) => ["create", "update"].includes(plan.action)).then(
    () => {
      updateOrderLinkStep(
        transform({ target, input, created, shipment, cancelled }, ({ target, input, created, shipment, cancelled }) => ({
          id: target.order_link_id as string,
          external_status: input.order.external_status,
          status: input.order.status,
          external_updated_at: input.order.updated_at,
          total: input.order.total,
          // A state that does not name the channel keeps the one stored.
          ...(input.order.channel ? { channel: input.order.channel } : {}),
          ...(created ? { total_mismatch: created.total_mismatch, has_unmatched_items: created.has_unmatched_items } : {}),
          ...(shipment.shipped_on_marketplace
            ? {
                tracking_number: shipment.tracking_number,
                carrier: shipment.carrier,
                shipment_note: shipment.packages.length ? null : shipment.reason,
              }
            : {}),
          // A cancellation Medusa cannot apply (a fulfilment already shipped) is recorded here and the import
          // succeeds: a retry would change nothing, so the event is done and the pull moves on.
          last_error: cancelled && !cancelled.cancellable ? cancelled.reason : null,
        }))
      )
      emitEventStep({
        eventName: transform({ plan }, ({ plan }) =>
          plan.action === "create" ? MarketplaceEvents.ORDER_IMPORTED : MarketplaceEvents.ORDER_UPDATED
        ),
        data: transform({ target, input, plan }, ({ target, input, plan }) => ({
          id: target.order_link_id,
          order_id: target.order_id,
          connection_id: plan.connection_id,
          external_order_id: input.order.external_id,
          status: input.order.status,
        })),
      })
    }
  )

  releaseLeasedLockStep({ key: lockKey, ownerId: lockOwner })

  // The order's day, marked for the analytics (an unchanged import too: it repairs a day whose mark a dead
  // process never wrote). Last, so nothing after it can fail.
  markAnalyticsStaleStep(transform({ target }, ({ target }) => ({ order_link_ids: [target.order_link_id] })))

  return new WorkflowResponse(
    transform({ plan, target, cancelled }, ({ plan, target, cancelled }) => ({
      action: plan.action,
      reason: cancelled?.reason ?? plan.reason,
      order_link_id: target.order_link_id,
      order_id: target.order_id,
    })) as unknown as ImportOrderWorkflowOutput
  )
})

import {
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
  emitEventStep,
  markOrderFulfillmentAsDeliveredWorkflow,
  updateFulfillmentWorkflow,
} from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { MarketplaceEvents } from "../../../modules/marketplace/events"
import type { PackageShipmentPlan } from "../steps/plan-marketplace-shipment"
import { reserveMarketplaceItemsStep } from "../steps/reserve-items"

export type ShipMarketplacePackageWorkflowInput = {
  order_id: string
  order_link_id: string
  external_order_id: string
  location_id: string | null
  shipping_option_id: string | null
  /** One package of `planMarketplaceShipmentStep`'s plan. */
  shipment: PackageShipmentPlan
}

export const shipMarketplacePackageWorkflowId = "ship-marketplace-package"

/**
 * One marketplace package that left, applied to its Medusa order: reserve what its fulfilment needs (orders first
 * seen shipped were never reserved), fulfil its lines on the connection's marketplace-logistics option (the
 * fulfillment provider records the package and calls nothing), ship it with its tracking number, relabel it when
 * the number appeared or changed, and mark it delivered. A step that fails undoes this package's earlier steps;
 * the packages applied before it stay, and the next import finds them by their package id.
 *
 * @example
 * await shipMarketplacePackageWorkflow(container).run({ input: { order_id, order_link_id, external_order_id, location_id, shipping_option_id, shipment } })
 */
export const shipMarketplacePackageWorkflow = createWorkflow(shipMarketplacePackageWorkflowId, (input: ShipMarketplacePackageWorkflowInput) => {
  when("reserve-marketplace-package", { input }, ({ input }) => input.shipment.reservations.length > 0).then(() => {
    reserveMarketplaceItemsStep(transform({ input }, ({ input }) => input.shipment.reservations)).config({
      name: "reserve-marketplace-package-items",
    })
  })

  const fulfilled = when("fulfil-marketplace-package", { input }, ({ input }) => input.shipment.fulfil_items.length > 0).then(() => {
    return createOrderFulfillmentWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({
        order_id: input.order_id,
        items: input.shipment.fulfil_items,
        location_id: input.location_id ?? undefined,
        shipping_option_id: input.shipping_option_id ?? undefined,
        no_notification: true,
        // The marketplace already shipped: the fulfilment provider records it and calls nothing.
        additional_data: {
          marketplace_shipped: true,
          marketplace_package_id: input.shipment.package_id,
          marketplace_carrier: input.shipment.carrier,
          marketplace_tracking_number: input.shipment.tracking_number,
        },
      })),
    })
  })

  const fulfillmentId = transform({ fulfilled, input }, ({ fulfilled, input }) => fulfilled?.id ?? input.shipment.fulfillment_id)

  when("ship-marketplace-package", { input, fulfillmentId }, ({ input, fulfillmentId }) => input.shipment.ship && !!fulfillmentId).then(() => {
    createOrderShipmentWorkflow.runAsStep({
      input: transform({ input, fulfillmentId }, ({ input, fulfillmentId }) => ({
        order_id: input.order_id,
        fulfillment_id: fulfillmentId as string,
        items: input.shipment.shipment_items,
        labels: input.shipment.labels,
        no_notification: true,
      })),
    })
    emitEventStep({
      eventName: MarketplaceEvents.ORDER_SHIPPED,
      data: transform({ input, fulfillmentId }, ({ input, fulfillmentId }) => ({
        id: input.order_link_id,
        order_id: input.order_id,
        fulfillment_id: fulfillmentId,
        external_order_id: input.external_order_id,
        package_id: input.shipment.package_id,
        tracking_number: input.shipment.tracking_number,
        carrier: input.shipment.carrier,
      })),
    }).config({ name: "emit-marketplace-order-shipped" })
  })

  when("relabel-marketplace-package", { input, fulfillmentId }, ({ input, fulfillmentId }) => input.shipment.relabel && !!fulfillmentId).then(() => {
    updateFulfillmentWorkflow.runAsStep({
      input: transform({ input, fulfillmentId }, ({ input, fulfillmentId }) => ({
        id: fulfillmentId as string,
        labels: input.shipment.labels,
      })),
    })
  })

  when("deliver-marketplace-package", { input, fulfillmentId }, ({ input, fulfillmentId }) => input.shipment.deliver && !!fulfillmentId).then(() => {
    markOrderFulfillmentAsDeliveredWorkflow.runAsStep({
      input: transform({ input, fulfillmentId }, ({ input, fulfillmentId }) => ({
        orderId: input.order_id,
        fulfillmentId: fulfillmentId as string,
      })),
    })
  })

  return new WorkflowResponse(fulfillmentId)
})

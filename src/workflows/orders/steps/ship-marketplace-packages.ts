import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { PackageShipmentPlan } from "./plan-marketplace-shipment"
import { shipMarketplacePackageWorkflow } from "../workflows/ship-marketplace-package"

export type ShipMarketplacePackagesStepInput = {
  order_id: string
  order_link_id: string
  external_order_id: string
  location_id: string | null
  shipping_option_id: string | null
  packages: PackageShipmentPlan[]
}

export const shipMarketplacePackagesStepId = "ship-marketplace-packages"

/**
 * Applies each package of the shipment plan to the Medusa order, one after the other, each in its own
 * `shipMarketplacePackageWorkflow` (an order has as many packages as the marketplace made, known only at run
 * time). No compensation: a package applied stays applied, and is what the marketplace says; the retry of a
 * failed import plans again from the fulfilments it finds (matched by package id), so it neither fulfils a
 * package twice nor misses one. Returns the fulfilment of each package.
 *
 * @example
 * shipMarketplacePackagesStep({ order_id, order_link_id, external_order_id, location_id, shipping_option_id, packages: shipment.packages })
 */
export const shipMarketplacePackagesStep = createStep(
  shipMarketplacePackagesStepId,
  async (input: ShipMarketplacePackagesStepInput, { container }) => {
    const fulfillments: { package_id: string | null; fulfillment_id: string | null }[] = []
    for (const shipment of input.packages) {
      const { result } = await shipMarketplacePackageWorkflow(container).run({
        input: {
          order_id: input.order_id,
          order_link_id: input.order_link_id,
          external_order_id: input.external_order_id,
          location_id: input.location_id,
          shipping_option_id: input.shipping_option_id,
          shipment,
        },
      })
      fulfillments.push({ package_id: shipment.package_id, fulfillment_id: (result as string | null) ?? null })
    }
    return new StepResponse(fulfillments)
  }
)

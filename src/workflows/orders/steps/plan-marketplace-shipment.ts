import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceOrder, OrderStatus } from "../../../providers/types"
import { marketplaceFulfillmentProviderId } from "../../../providers/marketplace-fulfillment/constants"
import { marketplaceFulfillmentRegistration } from "../../../lib/fulfillment-registration"
import { liveQuantities } from "../utils/order-input"
import { readOrderFulfillments } from "../utils/order-fulfillments"
import { fetchMarketplaceShipment, marketplaceOrderUrl } from "../../shipping/utils/shipping-follow-up"
import { PARCEL_LEFT_STATUSES } from "../../../providers/parcel-statuses"

export type PlanMarketplaceShipmentStepInput = {
  order_id: string | null
  connection_id: string
  order: MarketplaceOrder
  shipping_option_id: string | null
  stock_location_id: string | null
  /** Whether the import changes anything (create / update); unchanged and skipped imports ship nothing. */
  applies: boolean
}

export type ShipmentLabel = { tracking_number: string; tracking_url: string; label_url: string }

/** What the marketplace's shipping state means for the Medusa order now. */
export type MarketplaceShipmentPlan = {
  /** Lines still to fulfil (shippable, not yet fulfilled, not cancelled on the marketplace), with their quantities. */
  fulfil_items: { id: string; quantity: number }[]
  /** Reservations the fulfilment needs and the order does not have (orders first seen shipped were not reserved). */
  reservations: { line_item_id: string; inventory_item_id: string; location_id: string; quantity: number }[]
  /** An existing marketplace fulfilment to ship / deliver / label; null when a new one is created. */
  fulfillment_id: string | null
  /** The lines of the fulfilment to ship (for the shipment). */
  shipment_items: { id: string; quantity: number }[]
  /** The marketplace shipped it: its tracking number and carrier go on the order link even with nothing to fulfil. */
  shipped_on_marketplace: boolean
  ship: boolean
  deliver: boolean
  /** Labels to set on an already-shipped fulfilment whose tracking number appeared or changed. */
  relabel: boolean
  labels: ShipmentLabel[]
  carrier: string | null
  package_id: string | null
  tracking_number: string | null
  reason: string | null
}

// In return: the goods went out (a return is asked of a shipped or delivered order), and the return is received
// against this fulfilment: an order whose shipment the plugin never saw before its return must still get it.
// The statuses whose parcels left are the providers' own (their tracking numbers are read for the same ones).
export const SHIPPED_STATUSES: OrderStatus[] = PARCEL_LEFT_STATUSES
const DELIVERED: OrderStatus[] = ["delivered", "completed"]

const NOTHING: MarketplaceShipmentPlan = {
  fulfil_items: [],
  reservations: [],
  fulfillment_id: null,
  shipment_items: [],
  shipped_on_marketplace: false,
  ship: false,
  deliver: false,
  relabel: false,
  labels: [],
  carrier: null,
  package_id: null,
  tracking_number: null,
  reason: null,
}

type VariantRow = {
  id: string
  manage_inventory: boolean
  product?: { shipping_profile?: { id: string } | null } | null
  inventory_items?: { inventory_item_id: string; required_quantity: number }[] | null
}

export const planMarketplaceShipmentStepId = "plan-marketplace-order-shipment"

/**
 * Decides what the marketplace's shipping state means for the imported order: once the marketplace shipped
 * it, fulfil the lines not fulfilled yet (on the connection's marketplace-logistics option, reserving what the
 * fulfilment needs), ship that fulfilment with the tracking number, mark it delivered once the marketplace says
 * delivered or completed, and relabel it when the tracking number appears later. Read-only: the tracking
 * number is asked of the marketplace only when the order still needs it.
 *
 * @example
 * const shipment = planMarketplaceShipmentStep({ order_id, connection_id, order, shipping_option_id, stock_location_id, applies: true })
 */
export const planMarketplaceShipmentStep = createStep(
  planMarketplaceShipmentStepId,
  async (input: PlanMarketplaceShipmentStepInput, { container }) => {
    const status = input.order.status
    if (!input.applies || !input.order_id || !SHIPPED_STATUSES.includes(status)) {
      return new StepResponse<MarketplaceShipmentPlan>({ ...NOTHING, reason: "not shipped on the marketplace" })
    }
    // What the marketplace says of its parcel, recorded on the order link whatever Medusa can do with it.
    const parcel = {
      shipped_on_marketplace: true,
      package_id: input.order.packages[0]?.external_id ?? null,
      carrier: input.order.packages[0]?.carrier ?? input.order.shipping.carrier ?? null,
      tracking_number: input.order.packages.find((p) => p.tracking_number)?.tracking_number ?? null,
    }
    // Nothing Medusa can fulfil: the parcel (with the tracking number asked of the marketplace when the order
    // detail lacks it) is only recorded on the order link.
    const recordOnly = async (reason: string) => {
      let { tracking_number, carrier } = parcel
      if (!tracking_number) {
        const shipment = await fetchMarketplaceShipment(container, input.connection_id, input.order.external_id, parcel.package_id)
        tracking_number = shipment?.tracking_number ?? null
        carrier = shipment?.carrier ?? carrier
      }
      return new StepResponse<MarketplaceShipmentPlan>({ ...NOTHING, ...parcel, tracking_number, carrier, reason })
    }
    // Without the provider (never registered, or removed since) Medusa cannot fulfil on the connection's option:
    // the import records the parcel and carries on instead of failing and retrying until the event is dead.
    const registration = await marketplaceFulfillmentRegistration(container)
    if (!registration.registered) {
      return recordOnly(`the fulfillment provider ${registration.provider_id} is not registered in the fulfillment module`)
    }
    if (!input.shipping_option_id) {
      return recordOnly("the connection has no shipping option")
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const fulfillmentModule = container.resolve(Modules.FULFILLMENT)
    const providerId = marketplaceFulfillmentProviderId()

    const [option] = await fulfillmentModule.listShippingOptions({ id: input.shipping_option_id })
    if (!option) {
      return recordOnly("the connection's shipping option was deleted")
    }

    const order = await container.resolve(Modules.ORDER).retrieveOrder(input.order_id, { relations: ["items"] })
    const fulfillments = await readOrderFulfillments(container, input.order_id)
    const fulfilled = new Map<string, number>()
    for (const f of fulfillments) {
      for (const item of f.items ?? []) {
        if (item.line_item_id) {
          fulfilled.set(item.line_item_id, (fulfilled.get(item.line_item_id) ?? 0) + Number(item.quantity))
        }
      }
    }

    // Lines on a product of another shipping profile cannot go on this option: Medusa refuses them.
    const lines = (order.items ?? []).filter((i) => i.requires_shipping !== false)
    const variantIds = [...new Set(lines.map((l) => l.variant_id).filter((v): v is string => !!v))]
    const { data: variantRows } = variantIds.length
      ? await query.graph({
          entity: "product_variant",
          fields: [
            "id",
            "manage_inventory",
            "product.shipping_profile.id",
            "inventory_items.inventory_item_id",
            "inventory_items.required_quantity",
          ],
          filters: { id: variantIds },
        })
      : { data: [] }
    const variants = new Map((variantRows as unknown as VariantRow[]).map((v) => [v.id, v]))
    const skipped: string[] = []
    // Units cancelled on the marketplace are never fulfilled, whether or not the order edit that drops them from
    // their line was made (cancelMarketplaceUnitsStep runs first; this holds on its own too).
    const live = liveQuantities(input.order)
    const fulfil = lines.flatMap((line) => {
      const lineId = (line.metadata as Record<string, unknown> | null)?.marketplace_line_id
      const liveQuantity = typeof lineId === "string" ? live.get(lineId) : undefined
      const shippable = liveQuantity === undefined ? Number(line.quantity) : Math.min(Number(line.quantity), liveQuantity)
      const remaining = shippable - (fulfilled.get(line.id) ?? 0)
      if (remaining <= 0) {
        return []
      }
      const variant = line.variant_id ? variants.get(line.variant_id) : undefined
      const profile = variant?.product?.shipping_profile?.id
      if (variant && profile !== option.shipping_profile_id) {
        skipped.push(line.id)
        return []
      }
      return [{ line, variant, quantity: remaining }]
    })
    if (skipped.length) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          `Marketplace order ${input.order.external_id}: ${skipped.length} line(s) not fulfilled in Medusa because their ` +
            `product is not in the shipping profile of the connection's shipping option (${option.shipping_profile_id}): ${skipped.join(", ")}`
        )
    }

    const reservationsNeeded = fulfil.filter((f) => f.variant?.manage_inventory && f.variant.inventory_items?.length)
    const existingReservations = reservationsNeeded.length
      ? await container
          .resolve(Modules.INVENTORY)
          .listReservationItems({ line_item_id: reservationsNeeded.map((f) => f.line.id) })
      : []
    const reserved = new Set(existingReservations.map((r) => r.line_item_id))
    const reservations = reservationsNeeded
      .filter((f) => !reserved.has(f.line.id))
      .flatMap((f) =>
        f.variant!.inventory_items!.map((inv) => ({
          line_item_id: f.line.id,
          inventory_item_id: inv.inventory_item_id,
          location_id: input.stock_location_id as string,
          quantity: MathBN.mult(f.quantity, inv.required_quantity).toNumber(),
        }))
      )

    // The fulfilment the marketplace's parcel is: the newest of ours not delivered yet, else the newest of ours.
    const ours = fulfillments
      .filter((f) => f.provider_id === providerId)
      .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    const target = fulfil.length > 0 ? null : ours.find((f) => !f.delivered_at) ?? ours[0] ?? null

    if (fulfil.length === 0 && !target) {
      return new StepResponse<MarketplaceShipmentPlan>({
        ...NOTHING,
        ...parcel,
        reason: skipped.length ? `lines on another shipping profile were not fulfilled: ${skipped.join(", ")}` : "nothing to ship",
      })
    }

    const pkg = input.order.packages[0] ?? null
    let trackingNumber = input.order.packages.find((p) => p.tracking_number)?.tracking_number ?? null
    let carrier = pkg?.carrier ?? input.order.shipping.carrier ?? null
    let trackingUrl: string | null = null
    const knownTracking = target?.labels?.find((l) => l.tracking_number)?.tracking_number ?? null
    if (!trackingNumber && !knownTracking) {
      const shipment = await fetchMarketplaceShipment(container, input.connection_id, input.order.external_id, pkg?.external_id ?? null)
      trackingNumber = shipment?.tracking_number ?? null
      carrier = shipment?.carrier ?? carrier
      trackingUrl = shipment?.tracking_url ?? null
    }
    if (!trackingUrl && !knownTracking) {
      trackingUrl = (await marketplaceOrderUrl(container, input.connection_id, input.order.external_id)) ?? ""
    }
    // A label the fulfilment already has (the follow-up of a Medusa-made fulfilment stored it) is kept as is.
    const knownLabel = target?.labels?.find((l) => l.tracking_number) ?? null
    const labels: ShipmentLabel[] =
      knownLabel && (!trackingNumber || trackingNumber === knownLabel.tracking_number)
        ? [
            {
              tracking_number: knownLabel.tracking_number as string,
              tracking_url: knownLabel.tracking_url ?? trackingUrl ?? "",
              label_url: knownLabel.label_url ?? "",
            },
          ]
        : trackingNumber
          ? [{ tracking_number: trackingNumber, tracking_url: trackingUrl ?? "", label_url: "" }]
          : []
    trackingNumber = trackingNumber ?? knownLabel?.tracking_number ?? null

    const shipNew = fulfil.length > 0
    const plan: MarketplaceShipmentPlan = {
      fulfil_items: fulfil.map((f) => ({ id: f.line.id, quantity: f.quantity })),
      reservations,
      fulfillment_id: target?.id ?? null,
      shipment_items: shipNew
        ? fulfil.map((f) => ({ id: f.line.id, quantity: f.quantity }))
        : (target?.items ?? [])
            .filter((i) => i.line_item_id)
            .map((i) => ({ id: i.line_item_id as string, quantity: Number(i.quantity) })),
      shipped_on_marketplace: true,
      ship: shipNew || (!!target && !target.shipped_at),
      deliver: DELIVERED.includes(status) && (shipNew || (!!target && !target.delivered_at)),
      relabel: !shipNew && !!target?.shipped_at && !!trackingNumber && trackingNumber !== knownTracking,
      labels,
      carrier,
      package_id: pkg?.external_id ?? null,
      tracking_number: trackingNumber,
      reason: skipped.length ? `lines on another shipping profile were not fulfilled: ${skipped.join(", ")}` : null,
    }
    return new StepResponse(plan)
  }
)

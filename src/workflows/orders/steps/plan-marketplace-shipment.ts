import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceOrder, MarketplacePackage, OrderStatus, PackageStage } from "../../../providers/types"
import { marketplaceFulfillmentProviderId } from "../../../providers/marketplace-fulfillment/constants"
import { marketplaceFulfillmentRegistration } from "../../../lib/fulfillment-registration"
import { liveQuantities } from "../utils/order-input"
import { type OrderFulfillmentRow, readOrderFulfillments } from "../utils/order-fulfillments"
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

export type ShipmentReservation = { line_item_id: string; inventory_item_id: string; location_id: string; quantity: number }

/** What one marketplace package that left means for the Medusa order: one fulfilment, shipped and delivered on its own. */
export type PackageShipmentPlan = {
  /** The marketplace's package id (null: the order's parcel, where the platform names no package). */
  package_id: string | null
  /** Lines still to fulfil for this package (not yet fulfilled, not cancelled on the marketplace), with their quantities. */
  fulfil_items: { id: string; quantity: number }[]
  /** Reservations the fulfilment needs and the order does not have (orders first seen shipped were not reserved). */
  reservations: ShipmentReservation[]
  /** The package's existing marketplace fulfilment to ship / deliver / label; null when a new one is created. */
  fulfillment_id: string | null
  /** The lines of the fulfilment to ship (for the shipment). */
  shipment_items: { id: string; quantity: number }[]
  ship: boolean
  deliver: boolean
  /** Labels to set on an already-shipped fulfilment whose tracking number appeared or changed. */
  relabel: boolean
  labels: ShipmentLabel[]
  carrier: string | null
  tracking_number: string | null
}

/** What the marketplace's shipping state means for the Medusa order now. */
export type MarketplaceShipmentPlan = {
  /** One entry per package that left and has something to do (fulfil, ship, deliver or relabel), in the marketplace's order. */
  packages: PackageShipmentPlan[]
  /** The marketplace shipped (part of) it: the parcel's tracking number and carrier go on the order link even with nothing to fulfil. */
  shipped_on_marketplace: boolean
  /** The order link's parcel: the first package that left. */
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
const LEFT_STAGES: PackageStage[] = ["shipped", "delivered"]

const NOTHING: MarketplaceShipmentPlan = {
  packages: [],
  shipped_on_marketplace: false,
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

/**
 * Where a package is: its own stage where the platform says it, else the order's (shipped once the order's parcels
 * left, delivered once the order is delivered or completed).
 *
 * @example
 * packageStage({ stage: null } as MarketplacePackage, "completed") // "delivered"
 */
export function packageStage(pkg: Pick<MarketplacePackage, "stage">, status: OrderStatus): PackageStage {
  if (pkg.stage) return pkg.stage
  if (DELIVERED.includes(status)) return "delivered"
  return SHIPPED_STATUSES.includes(status) ? "shipped" : "pending"
}

/**
 * Whether any of the order's parcels left: the whole order (its status), or one of its packages (an order split
 * into packages that ship at different times).
 *
 * @example
 * parcelsLeft({ status: "processed", packages: [{ stage: "shipped" }] } as MarketplaceOrder) // true
 */
export function parcelsLeft(order: Pick<MarketplaceOrder, "status" | "packages">): boolean {
  return SHIPPED_STATUSES.includes(order.status) || order.packages.some((p) => LEFT_STAGES.includes(packageStage(p, order.status)))
}

/** The package id a marketplace fulfilment records (the fulfillment provider's `data.package_id`). */
function packageIdOf(fulfillment: OrderFulfillmentRow): string | null {
  const id = (fulfillment.data as Record<string, unknown> | null | undefined)?.package_id
  return typeof id === "string" && id ? id : null
}

export const planMarketplaceShipmentStepId = "plan-marketplace-order-shipment"

/**
 * Decides what the marketplace's shipping state means for the imported order, package by package: each package
 * that left becomes one fulfilment of its lines (on the connection's marketplace-logistics option, reserving
 * what it needs), shipped with its tracking number, delivered once the package (or the order) is, and relabelled
 * when its tracking number appears later. A package is matched to its fulfilment by the package id the
 * fulfilment records; a package that names no lines (or an order without packages) takes what is left to
 * fulfil. Read-only: a tracking number is asked of the marketplace only for a package that still needs it.
 *
 * @example
 * const shipment = planMarketplaceShipmentStep({ order_id, connection_id, order, shipping_option_id, stock_location_id, applies: true })
 */
export const planMarketplaceShipmentStep = createStep(
  planMarketplaceShipmentStepId,
  async (input: PlanMarketplaceShipmentStepInput, { container }) => {
    const status = input.order.status
    const orderLeft = SHIPPED_STATUSES.includes(status)
    const packages = input.order.packages
    const leftPackages = packages.filter((p) => LEFT_STAGES.includes(packageStage(p, status)))
    if (!input.applies || !input.order_id || !parcelsLeft(input.order)) {
      return new StepResponse<MarketplaceShipmentPlan>({ ...NOTHING, reason: "not shipped on the marketplace" })
    }
    // What the marketplace says of its parcel, recorded on the order link whatever Medusa can do with it.
    const first = leftPackages[0] ?? packages[0] ?? null
    const parcel = {
      shipped_on_marketplace: true,
      package_id: first?.external_id ?? null,
      carrier: first?.carrier ?? input.order.shipping.carrier ?? null,
      tracking_number: first?.tracking_number ?? leftPackages.find((p) => p.tracking_number)?.tracking_number ?? null,
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
    type Open = { line: (typeof lines)[number]; variant: VariantRow | undefined; quantity: number }
    // What is left to fulfil, per Medusa line, and the Medusa line of each marketplace line.
    const open = new Map<string, Open>()
    const lineOf = new Map<string, string>()
    for (const line of lines) {
      const lineId = (line.metadata as Record<string, unknown> | null)?.marketplace_line_id
      if (typeof lineId === "string") lineOf.set(lineId, line.id)
      const liveQuantity = typeof lineId === "string" ? live.get(lineId) : undefined
      const shippable = liveQuantity === undefined ? Number(line.quantity) : Math.min(Number(line.quantity), liveQuantity)
      const remaining = shippable - (fulfilled.get(line.id) ?? 0)
      if (remaining <= 0) continue
      const variant = line.variant_id ? variants.get(line.variant_id) : undefined
      const profile = variant?.product?.shipping_profile?.id
      if (variant && profile !== option.shipping_profile_id) {
        skipped.push(line.id)
        continue
      }
      open.set(line.id, { line, variant, quantity: remaining })
    }
    if (skipped.length) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(
          `Marketplace order ${input.order.external_id}: ${skipped.length} line(s) not fulfilled in Medusa because their ` +
            `product is not in the shipping profile of the connection's shipping option (${option.shipping_profile_id}): ${skipped.join(", ")}`
        )
    }

    /** Takes up to `quantity` units of a Medusa line from what is left to fulfil. */
    const take = (lineId: string, quantity: number): { open: Open; quantity: number } | null => {
      const entry = open.get(lineId)
      const taken = entry ? Math.min(entry.quantity, quantity) : 0
      if (!entry || taken <= 0) return null
      entry.quantity -= taken
      return { open: entry, quantity: taken }
    }
    /** The units a package names, as Medusa lines (null when it names none: then the whole order). */
    const unitsOf = (pkg: MarketplacePackage): Map<string, number> | null => {
      if (!pkg.items.length) return null
      const units = new Map<string, number>()
      for (const item of pkg.items) {
        const lineId = lineOf.get(item.line_id)
        if (lineId) units.set(lineId, (units.get(lineId) ?? 0) + item.quantity)
      }
      return units
    }

    // Units in packages that have not left are held back from the order's remaining parcel.
    for (const pkg of packages) {
      if (LEFT_STAGES.includes(packageStage(pkg, status))) continue
      for (const [lineId, quantity] of unitsOf(pkg) ?? []) {
        take(lineId, quantity)
      }
    }

    // Our fulfilments, newest first: the marketplace's packages are matched to them by package id.
    const ours = fulfillments
      .filter((f) => f.provider_id === providerId)
      .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    const orderPackageIds = new Set(packages.map((p) => p.external_id))
    const claimed = new Set<string>()
    /** A fulfilment of ours that names none of the order's packages (made before its package was known). */
    const unclaimed = () => {
      const free = ours.filter((f) => !claimed.has(f.id) && !orderPackageIds.has(packageIdOf(f) ?? ""))
      return free.find((f) => !f.delivered_at) ?? free[0] ?? null
    }

    type Draft = { pkg: MarketplacePackage | null; stage: PackageStage; target: OrderFulfillmentRow | null; fulfil: { open: Open; quantity: number }[] }
    const drafts: Draft[] = []
    for (const pkg of leftPackages) {
      const stage = packageStage(pkg, status)
      const matched = ours.find((f) => !claimed.has(f.id) && packageIdOf(f) === pkg.external_id) ?? null
      if (matched) {
        claimed.add(matched.id)
        // Its lines were fulfilled with it: what the package names is not taken again.
        drafts.push({ pkg, stage, target: matched, fulfil: [] })
        continue
      }
      const units = unitsOf(pkg)
      const fulfil = units
        ? [...units].flatMap(([lineId, quantity]) => take(lineId, quantity) ?? [])
        : [...open.keys()].flatMap((lineId) => take(lineId, Number.POSITIVE_INFINITY) ?? [])
      if (fulfil.length) {
        drafts.push({ pkg, stage, target: null, fulfil })
        continue
      }
      const target = unclaimed()
      if (target) {
        claimed.add(target.id)
        drafts.push({ pkg, stage, target, fulfil: [] })
      }
    }
    // The order's parcels all left: what no package named (a platform that lists no lines per package, or none)
    // is the order's remaining parcel; an order whose lines were all fulfilled before (in Medusa, say) ships that
    // fulfilment.
    if (orderLeft) {
      const stage: PackageStage = DELIVERED.includes(status) ? "delivered" : "shipped"
      const rest = [...open.keys()].flatMap((lineId) => take(lineId, Number.POSITIVE_INFINITY) ?? [])
      const pkg = packages.length === 1 ? packages[0] : null
      if (rest.length) {
        drafts.push({ pkg, stage, target: null, fulfil: rest })
      } else if (!drafts.length) {
        const target = unclaimed() ?? ours.find((f) => !claimed.has(f.id)) ?? null
        if (target) drafts.push({ pkg, stage, target, fulfil: [] })
      }
    }

    if (!drafts.length) {
      return new StepResponse<MarketplaceShipmentPlan>({
        ...NOTHING,
        ...parcel,
        reason: skipped.length ? `lines on another shipping profile were not fulfilled: ${skipped.join(", ")}` : "nothing to ship",
      })
    }

    // Reservations the new fulfilments need and the order does not have.
    const needing = drafts.flatMap((d) => d.fulfil).filter((f) => f.open.variant?.manage_inventory && f.open.variant.inventory_items?.length)
    const existingReservations = needing.length
      ? await container.resolve(Modules.INVENTORY).listReservationItems({ line_item_id: [...new Set(needing.map((f) => f.open.line.id))] })
      : []
    const reserved = new Set(existingReservations.map((r) => r.line_item_id))

    let orderUrl: string | null | undefined
    const plans: PackageShipmentPlan[] = []
    for (const draft of drafts) {
      const { pkg, target } = draft
      const packageId = pkg?.external_id ?? null
      let trackingNumber = pkg?.tracking_number ?? (packages.length <= 1 ? parcel.tracking_number : null)
      let carrier = pkg?.carrier ?? input.order.shipping.carrier ?? null
      let trackingUrl: string | null = null
      const knownLabel = target?.labels?.find((l) => l.tracking_number) ?? null
      const knownTracking = knownLabel?.tracking_number ?? null
      if (!trackingNumber && !knownTracking) {
        const shipment = await fetchMarketplaceShipment(container, input.connection_id, input.order.external_id, packageId)
        trackingNumber = shipment?.tracking_number ?? null
        carrier = shipment?.carrier ?? carrier
        trackingUrl = shipment?.tracking_url ?? null
      }
      if (!trackingUrl && !knownTracking) {
        orderUrl ??= (await marketplaceOrderUrl(container, input.connection_id, input.order.external_id)) ?? ""
        trackingUrl = orderUrl
      }
      // A label the fulfilment already has (the follow-up of a Medusa-made fulfilment stored it) is kept as is.
      const labels: ShipmentLabel[] =
        knownLabel && (!trackingNumber || trackingNumber === knownTracking)
          ? [
              {
                tracking_number: knownTracking as string,
                tracking_url: knownLabel.tracking_url ?? trackingUrl ?? "",
                label_url: knownLabel.label_url ?? "",
              },
            ]
          : trackingNumber
            ? [{ tracking_number: trackingNumber, tracking_url: trackingUrl ?? "", label_url: "" }]
            : []
      trackingNumber = trackingNumber ?? knownTracking
      const shipNew = draft.fulfil.length > 0
      const items = draft.fulfil.map((f) => ({ id: f.open.line.id, quantity: f.quantity }))
      plans.push({
        package_id: packageId ?? (target ? packageIdOf(target) : null),
        fulfil_items: items,
        reservations: draft.fulfil
          .filter((f) => f.open.variant?.manage_inventory && f.open.variant.inventory_items?.length && !reserved.has(f.open.line.id))
          .flatMap((f) =>
            f.open.variant!.inventory_items!.map((inv) => ({
              line_item_id: f.open.line.id,
              inventory_item_id: inv.inventory_item_id,
              location_id: input.stock_location_id as string,
              quantity: MathBN.mult(f.quantity, inv.required_quantity).toNumber(),
            }))
          ),
        fulfillment_id: target?.id ?? null,
        shipment_items: shipNew
          ? items
          : (target?.items ?? [])
              .filter((i) => i.line_item_id)
              .map((i) => ({ id: i.line_item_id as string, quantity: Number(i.quantity) })),
        ship: shipNew || (!!target && !target.shipped_at),
        deliver: draft.stage === "delivered" && (shipNew || (!!target && !target.delivered_at)),
        relabel: !shipNew && !!target?.shipped_at && !!trackingNumber && trackingNumber !== knownTracking,
        labels,
        carrier,
        tracking_number: trackingNumber,
      })
    }
    const active = plans.filter((p) => p.fulfil_items.length || p.ship || p.deliver || p.relabel)
    const head = plans[0]
    return new StepResponse<MarketplaceShipmentPlan>({
      packages: active,
      shipped_on_marketplace: true,
      package_id: head.package_id ?? parcel.package_id,
      carrier: head.carrier ?? parcel.carrier,
      tracking_number: head.tracking_number ?? parcel.tracking_number,
      reason: skipped.length ? `lines on another shipping profile were not fulfilled: ${skipped.join(", ")}` : null,
    })
  }
)

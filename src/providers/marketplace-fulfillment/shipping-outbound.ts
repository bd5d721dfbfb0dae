import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE, type ConnectionSettings } from "../../modules/marketplace/types"
import { MarketplaceApiError } from "../errors"
import type { MarketplaceOrder, OrderStatus, ShipMethod } from "../types"
import { refusalMessage } from "../../lib/errors"
import { withShopSession } from "../../lib/shop-session"

export type ShipOnMarketplaceInput = {
  connection_id: string
  external_order_id: string
  /** The merchant's choice for this fulfilment; else the connection's `settings.ship_method`; else the provider's. */
  method?: ShipMethod | null
  details?: Record<string, unknown> | null
  package_id?: string | null
  /**
   * The Medusa line items the fulfilment holds: on an order the marketplace split into packages, the package
   * holding them is the one shipped (else the order's first).
   */
  line_item_ids?: string[]
}

export type ShipOnMarketplaceOutcome = {
  method: ShipMethod | null
  package_id: string | null
  carrier: string | null
  /** The marketplace had already arranged / shipped the order (e.g. from its seller centre): nothing was sent. */
  already_arranged: boolean
}

/** The seller may arrange shipment only in these states; later ones are already arranged. */
const ARRANGEABLE: OrderStatus[] = ["paid"]
const ALREADY_ARRANGED: OrderStatus[] = ["processed", "shipped", "delivered", "completed"]

/** Package stages after which a package can no longer be the one a Medusa fulfilment ships. */
const PACKAGE_GONE = new Set(["shipped", "delivered", "cancelled"])

/**
 * The package a Medusa fulfilment of these lines ships: the first package still waiting that holds one of them
 * (an order the marketplace split), else the order's first package. Lines map to the marketplace's by the line
 * item's `metadata.marketplace_line_id`.
 */
async function packageFor(container: MedusaContainer, live: MarketplaceOrder, lineItemIds: string[]): Promise<string | null> {
  const first = live.packages[0]?.external_id ?? null
  if (live.packages.length < 2 || !lineItemIds.length) return first
  const lines = await container.resolve(Modules.ORDER).listOrderLineItems({ id: lineItemIds }, { select: ["id", "metadata"] })
  const wanted = new Set(lines.map((l) => (l.metadata as Record<string, unknown> | null)?.marketplace_line_id).filter(Boolean))
  const holding = live.packages.filter((p) => p.items.some((i) => wanted.has(i.line_id)))
  return (holding.find((p) => !PACKAGE_GONE.has(p.stage ?? "")) ?? holding[0])?.external_id ?? first
}

/**
 * Arranges the shipment of a marketplace order on the marketplace (Shopee: get_shipping_parameter ->
 * ship_order), after checking the live state: an order the marketplace already arranged is only recorded, an
 * order it no longer allows to ship (cancelled, unpaid, in return) is refused with the reason. Throws a
 * `MedusaError` on any refusal so that the caller (the fulfilment provider) creates nothing.
 *
 * @example
 * await shipOnMarketplace(container, { connection_id: "mpcon_123", external_order_id: "240101ABC", method: "dropoff" })
 */
export async function shipOnMarketplace(
  container: MedusaContainer,
  input: ShipOnMarketplaceInput
): Promise<ShipOnMarketplaceOutcome> {
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const connection = await marketplace.retrieveConnection(input.connection_id, { select: ["id", "settings"] })
  const settings = (connection.settings ?? {}) as ConnectionSettings
  const wanted: ShipMethod | undefined = input.method ?? settings.ship_method ?? undefined

  try {
    return await withShopSession(container, input.connection_id, async (provider, session) => {
      const [live] = await provider.getOrders(session, [input.external_order_id])
      if (!live) {
        throw new MedusaError(
          MedusaError.Types.NOT_FOUND,
          `The marketplace does not know order ${input.external_order_id}: it cannot be shipped`
        )
      }
      const pkg = input.package_id ?? (await packageFor(container, live, input.line_item_ids ?? [])) ?? null
      const carrier = live.packages.find((p) => p.external_id === pkg)?.carrier ?? live.shipping.carrier ?? null
      if (ALREADY_ARRANGED.includes(live.status)) {
        return { method: null, package_id: pkg, carrier, already_arranged: true }
      }
      if (!ARRANGEABLE.includes(live.status)) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Marketplace order ${input.external_order_id} cannot be shipped: it is ${live.status.replace("_", " ")} on the marketplace (${live.external_status})`
        )
      }
      const parameters = await provider.getShippingParameters(session, input.external_order_id, pkg)
      if (wanted && !parameters.methods.includes(wanted)) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `The marketplace does not offer ${wanted} for order ${input.external_order_id}: it offers ${
            parameters.methods.join(", ") || "no method"
          }`
        )
      }
      await provider.shipOrder(session, {
        external_order_id: input.external_order_id,
        package_id: pkg,
        method: wanted,
        details: input.details ?? undefined,
      })
      return { method: wanted ?? null, package_id: pkg, carrier, already_arranged: false }
    })
  } catch (error) {
    if (error instanceof MedusaError) {
      throw error
    }
    if (MarketplaceApiError.is(error)) {
      throw new MedusaError(
        error.retryable ? MedusaError.Types.UNEXPECTED_STATE : MedusaError.Types.NOT_ALLOWED,
        refusalMessage("ship", input.external_order_id, error)
      )
    }
    throw error
  }
}

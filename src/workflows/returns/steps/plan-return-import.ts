import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceReturn } from "../../../providers/types"
import { solutionRestocks } from "../../../providers/vocabulary"
import { planReturnImport, returnRefundKey, type LinkedMedusaReturn, type ReturnPlan, type ReturnableOrderLine } from "../utils/return-plan"

export type PlanReturnImportStepInput = {
  connection_id: string
  return: MarketplaceReturn
}

/** The plan and the ids the rest of the import works on. */
export type ReturnImportPlan = ReturnPlan & {
  connection_id: string
  return_link_id: string | null
  order_link_id: string | null
  order_id: string | null
  /** The Medusa return already linked (null when none, or when it is to be created). */
  return_id: string | null
  payment_id: string | null
  location_id: string | null
}

export const planReturnImportStepId = "plan-marketplace-return-import"

type Row = Record<string, any>
const qty = (v: unknown) => Number(v ?? 0)

/**
 * Loads what Medusa holds about a marketplace return (its return link and Medusa return, the order's lines
 * with their fulfilled and already returned quantities, the captured payment) and decides what to do
 * (see `planReturnImport`).
 *
 * @example
 * const plan = planReturnImportStep({ connection_id: "mpcon_123", return: marketplaceReturn })
 */
export const planReturnImportStep = createStep(
  planReturnImportStepId,
  async ({ connection_id, return: ret }: PlanReturnImportStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const orders = container.resolve(Modules.ORDER)

    const { data: connections } = await query.graph({
      entity: "connection",
      fields: ["id", "platform", "stock_location.id"],
      filters: { id: connection_id },
    })
    const connection = connections[0] as Row | undefined
    if (!connection) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Connection with id: ${connection_id} was not found`)
    }
    const { data: links } = await query.graph({
      entity: "return_link",
      fields: ["id", "status", "external_updated_at", "refunded_amount", "return.id"],
      filters: { connection_id, external_return_id: ret.external_id },
    })
    const link = links[0] as Row | undefined
    const { data: orderLinks } = await query.graph({
      entity: "order_link",
      fields: ["id", "order.id"],
      filters: { connection_id, external_order_id: ret.external_order_id },
    })
    const orderLink = orderLinks[0] as Row | undefined
    const orderId: string | null = orderLink?.order?.id ?? null

    let order: { id: string; canceled: boolean; lines: ReturnableOrderLine[] } | null = null
    let payment: { id: string; refundable: string } | null = null
    let madeForReturn = "0"
    if (orderId) {
      // The order module formats items with their detail (fulfilled / returned quantities); query.graph may not.
      const native = (await orders.retrieveOrder(orderId, { relations: ["items"] })) as unknown as Row
      order = {
        id: orderId,
        canceled: native.status === "canceled",
        lines: (native.items ?? []).map((item: Row) => ({
          id: item.id,
          variant_sku: item.variant_sku ?? null,
          metadata: item.line_item_metadata ?? item.metadata ?? null,
          returnable:
            qty(item.detail?.fulfilled_quantity) -
            qty(item.detail?.return_requested_quantity) -
            qty(item.detail?.return_received_quantity) -
            qty(item.detail?.return_dismissed_quantity),
        })),
      }
      const { data: withPayments } = await query.graph({
        entity: "order",
        fields: [
          "id",
          "payment_collections.payments.id",
          "payment_collections.payments.captures.amount",
          "payment_collections.payments.refunds.amount",
          "payment_collections.payments.refunds.note",
        ],
        filters: { id: orderId },
      })
      const payments = ((withPayments[0] as Row | undefined)?.payment_collections ?? []).flatMap(
        (c: Row) => c?.payments ?? []
      ) as Row[]
      const captured = payments
        .map((p) => ({
          id: p.id as string,
          refundable: MathBN.sub(
            MathBN.sum(0, ...(p.captures ?? []).map((c: Row) => c.amount)),
            MathBN.sum(0, ...(p.refunds ?? []).map((r: Row) => r.amount))
          ).toString(),
        }))
        .filter((p) => MathBN.gt(p.refundable, 0))
      payment = captured[0] ?? null
      // Refunds this return already made, found by the key in their note: an import that died after the
      // refund and before recording it on the return link must not refund again.
      const key = returnRefundKey(connection_id, ret.external_id)
      madeForReturn = MathBN.sum(
        0,
        ...payments.flatMap((p) => (p.refunds ?? []).filter((r: Row) => String(r.note ?? "").includes(key)).map((r: Row) => r.amount))
      ).toString()
    }

    let medusaReturn: LinkedMedusaReturn | null = null
    const returnId: string | null = link?.return?.id ?? null
    if (returnId) {
      const r = (await orders.retrieveReturn(returnId, { relations: ["items"] })) as unknown as Row
      medusaReturn = {
        id: r.id,
        status: r.status,
        canceled: r.status === "canceled" || !!r.canceled_at,
        received_any: (r.items ?? []).some((i: Row) => qty(i.received_quantity) + qty(i.damaged_quantity) > 0),
        outstanding: (r.items ?? [])
          .map((i: Row) => ({ id: i.item_id as string, quantity: qty(i.quantity) - qty(i.received_quantity) - qty(i.damaged_quantity) }))
          .filter((i: { quantity: number }) => i.quantity > 0),
      }
    }

    // What the platform's states mean is the provider's rule, read against what was recorded before.
    const provider = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE).getProvider(connection.platform)
    const recorded =
      link && MathBN.gt(madeForReturn, link.refunded_amount ?? 0)
        ? madeForReturn
        : link?.refunded_amount === null || link?.refunded_amount === undefined
          ? null
          : String(link.refunded_amount)
    const outcome = provider.returnOutcome(ret, link ? { status: link.status, refunded_amount: recorded } : null)
    const plan = planReturnImport({
      ret,
      outcome,
      restock: solutionRestocks(provider, ret.solution),
      link: link
        ? { id: link.id, status: link.status, external_updated_at: link.external_updated_at, refunded_amount: recorded }
        : null,
      order,
      medusa_return: medusaReturn,
      payment,
    })
    return new StepResponse<ReturnImportPlan>({
      ...plan,
      connection_id,
      return_link_id: link?.id ?? null,
      order_link_id: orderLink?.id ?? null,
      order_id: orderId,
      return_id: returnId,
      payment_id: payment?.id ?? null,
      location_id: connection.stock_location?.id ?? null,
    })
  }
)

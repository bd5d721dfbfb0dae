import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../../modules/marketplace/types"
import { feeKindOf, orderChannelLabel } from "../../../../../providers/vocabulary"

/** What the order page's marketplace panel reads of the order link (never the raw escrow payload). */
const ORDER_LINK_FIELDS = [
  "id",
  "external_order_id",
  "external_status",
  "status",
  "external_updated_at",
  "external_created_at",
  "currency_code",
  "channel",
  "total",
  "total_mismatch",
  "has_unmatched_items",
  "last_error",
  "escrow_buyer_total",
  "escrow_fees",
  "escrow_fee_total",
  "escrow_adjustments",
  "escrow_net_payout",
  "escrow_currency_code",
  "escrow_payout_at",
  "escrow_synced_at",
  "created_at",
  "updated_at",
  "connection.id",
  "connection.platform",
  "connection.name",
  "connection.external_shop_id",
  "connection.shop_region",
  "connection.status",
]

type LinkRow = Record<string, unknown> & {
  id: string
  external_order_id: string
  has_unmatched_items: boolean
  channel: string | null
  escrow_synced_at: string | Date | null
  escrow_buyer_total: unknown
  escrow_fees: Record<string, string> | null
  escrow_fee_total: unknown
  escrow_adjustments: unknown[] | null
  escrow_net_payout: unknown
  escrow_currency_code: string | null
  escrow_payout_at: string | Date | null
  connection: { id: string; platform: string; name: string | null; external_shop_id: string; shop_region: string | null; status: string }
}

const decimal = (value: unknown) => (value === null || value === undefined ? null : String(value))

/**
 * GET /admin/marketplace/orders/:order_id: the marketplace side of a native order for the order page: the
 * order link (external id and status, channel, last update, unmatched items), its shop, the escrow breakdown when the
 * marketplace has reported it, and a link to the order in the marketplace's seller centre.
 * `{ marketplace_order: null }` for an order that did not come from a marketplace; 404 for no such order.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", ...ORDER_LINK_FIELDS.map((f) => `order_link.${f}`)],
    filters: { id: req.params.order_id },
  })
  const order = data[0] as unknown as { id: string; order_link?: LinkRow | null } | undefined
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${req.params.order_id} was not found`)
  }
  const link = order.order_link
  if (!link?.id) {
    return res.json({ marketplace_order: null })
  }

  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const { connection } = link
  const provider = marketplace.hasProvider(connection.platform) ? marketplace.getProvider(connection.platform) : null
  const seller_centre_url =
    provider?.orderUrl?.({ shop_id: connection.external_shop_id, region: connection.shop_region }, link.external_order_id) ??
    null
  const platform_name =
    marketplace.listProviders().find((p) => p.id === connection.platform)?.display_name ?? connection.platform

  // Quantities from the order module itself (query.graph can leave `items.quantity` empty).
  let unmatched_items: { id: string; title: string; sku: string | null; quantity: number }[] = []
  if (link.has_unmatched_items) {
    const native = await req.scope.resolve(Modules.ORDER).retrieveOrder(order.id, { relations: ["items"] })
    unmatched_items = (native.items ?? [])
      .filter((item) => (item.metadata as Record<string, unknown> | null)?.unmatched === true)
      .map((item) => ({
        id: item.id,
        title: item.title,
        sku: ((item.metadata as Record<string, unknown>).sku as string | undefined) ?? item.variant_sku ?? null,
        quantity: Number(item.quantity),
      }))
  }

  const {
    escrow_buyer_total,
    escrow_fees,
    escrow_fee_total,
    escrow_adjustments,
    escrow_net_payout,
    escrow_currency_code,
    escrow_payout_at,
    escrow_synced_at,
    connection: _connection,
    ...rest
  } = link
  res.json({
    marketplace_order: {
      ...rest,
      total: decimal(rest.total),
      order_id: order.id,
      platform: connection.platform,
      platform_name,
      // The channel the order came through when the platform serves several (e.g. Tokopedia), labelled as declared.
      channel_label: link.channel ? orderChannelLabel(provider, link.channel) : null,
      connection: {
        id: connection.id,
        platform: connection.platform,
        name: connection.name,
        shop_region: connection.shop_region,
        status: connection.status,
      },
      seller_centre_url,
      unmatched_items,
      escrow: escrow_synced_at
        ? {
            buyer_total: decimal(escrow_buyer_total),
            fees: escrow_fees ?? {},
            /**
             * The fees as lines, labelled as the provider declares its fee kinds: what the seller pays (in
             * `fee_total`) first, then the other amounts.
             */
            fee_lines: Object.entries(escrow_fees ?? {})
              .map(([kind, amount]) => {
                const declared = feeKindOf(provider, kind)
                return { kind, label: declared.label, group: declared.group, amount: String(amount), seller_pays: declared.seller_pays }
              })
              .sort((a, b) => Number(b.seller_pays) - Number(a.seller_pays)),
            fee_total: decimal(escrow_fee_total),
            adjustments: escrow_adjustments ?? [],
            net_payout: decimal(escrow_net_payout),
            currency_code: escrow_currency_code ?? link.currency_code,
            payout_at: escrow_payout_at,
            synced_at: escrow_synced_at,
          }
        : null,
    },
  })
}

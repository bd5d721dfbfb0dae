import { MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type { MarketplaceEscrow } from "../../../providers/types"
import { canonicalDecimal, changedEscrowFields, escrowSnapshot, type EscrowSnapshot } from "../../../lib/escrow-values"
import { decimal } from "../../../lib/decimal"

export type StoreEscrowsStepInput = { connection_id: string; escrows: MarketplaceEscrow[] }

export type StoreEscrowsStepOutput = {
  /** Order links whose escrow was stored for the first time or changed. */
  changed: string[]
  /** Order links whose escrow was fetched again and found the same. */
  unchanged: string[]
}

type StoredEscrow = {
  id: string
  escrow_buyer_total: number | null
  escrow_fees: Record<string, unknown> | null
  escrow_fee_total: number | null
  escrow_adjustments: Record<string, unknown> | null
  escrow_net_payout: number | null
  escrow_currency_code: string | null
  escrow_payout_at: Date | string | null
  escrow_synced_at: Date | string | null
  escrow_raw: Record<string, unknown> | null
}

/** The element type of a service method's array input. */
type Item<T> = T extends (infer U)[] ? U : never
type LinkUpdate = Exclude<Item<Parameters<MarketplaceModuleService["updateOrderLinks"]>[0]>, { selector: unknown }>
type ChangeCreate = Item<Parameters<MarketplaceModuleService["createEscrowChanges"]>[0]>

type Compensation = { previous: StoredEscrow[]; change_ids: string[] }

const ESCROW_SELECT = [
  "id",
  "external_order_id",
  "currency_code",
  "escrow_buyer_total",
  "escrow_fees",
  "escrow_fee_total",
  "escrow_adjustments",
  "escrow_net_payout",
  "escrow_currency_code",
  "escrow_payout_at",
  "escrow_synced_at",
  "escrow_raw",
] as const

/** What the order link holds now, as a snapshot; null when it has no escrow yet. */
function storedSnapshot(link: StoredEscrow): EscrowSnapshot | null {
  if (!link.escrow_synced_at || link.escrow_net_payout == null) return null
  return {
    buyer_total: canonicalDecimal(link.escrow_buyer_total ?? 0),
    fees: (link.escrow_fees ?? {}) as EscrowSnapshot["fees"],
    fee_total: canonicalDecimal(link.escrow_fee_total ?? 0),
    adjustments: (link.escrow_adjustments ?? []) as unknown as EscrowSnapshot["adjustments"],
    net_payout: canonicalDecimal(link.escrow_net_payout),
    currency_code: link.escrow_currency_code ?? "",
    payout_at: link.escrow_payout_at ? new Date(link.escrow_payout_at).toISOString() : null,
  }
}

export const storeEscrowsStepId = "store-marketplace-escrows"

/**
 * Stores fetched escrows on their order links exactly and adds a history row for each one that is new or
 * changed; an escrow equal to the stored one only refreshes its sync time.
 *
 * @example
 * const { changed } = storeEscrowsStep({ connection_id: "mpcon_123", escrows })
 */
export const storeEscrowsStep = createStep(
  storeEscrowsStepId,
  async (input: StoreEscrowsStepInput, { container }) => {
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const output: StoreEscrowsStepOutput = { changed: [], unchanged: [] }
    if (!input.escrows.length) {
      return new StepResponse(output, { previous: [], change_ids: [] } as Compensation)
    }
    const links = await marketplace.listOrderLinks(
      { connection_id: input.connection_id, external_order_id: input.escrows.map((e) => e.external_order_id) },
      { select: [...ESCROW_SELECT], take: input.escrows.length }
    )
    const byExternalId = new Map(links.map((l) => [l.external_order_id, l]))
    const provider = await marketplace.retrieveConnectionProvider(input.connection_id)
    const now = new Date()
    const previous: StoredEscrow[] = []
    const updates: LinkUpdate[] = []
    const history: ChangeCreate[] = []

    for (const escrow of input.escrows) {
      const link = byExternalId.get(escrow.external_order_id)
      if (!link) continue
      const stored = link as unknown as StoredEscrow
      previous.push({ ...stored })
      const before = storedSnapshot(stored)
      const current = escrowSnapshot(escrow, link.currency_code, provider)
      const changedFields = changedEscrowFields(before, current)
      if (!changedFields.length) {
        output.unchanged.push(link.id)
        updates.push({ id: link.id, escrow_synced_at: now })
        continue
      }
      output.changed.push(link.id)
      updates.push({
        id: link.id,
        escrow_buyer_total: decimal(current.buyer_total),
        escrow_fees: current.fees,
        escrow_fee_total: decimal(current.fee_total),
        escrow_adjustments: current.adjustments as unknown as Record<string, unknown>,
        escrow_net_payout: decimal(current.net_payout),
        escrow_currency_code: current.currency_code,
        escrow_payout_at: current.payout_at ? new Date(current.payout_at) : null,
        escrow_synced_at: now,
        escrow_raw: (escrow.raw ?? null) as Record<string, unknown> | null,
      })
      history.push({
        order_link_id: link.id,
        connection_id: input.connection_id,
        external_order_id: escrow.external_order_id,
        changed_fields: (before ? changedFields : ["created"]) as unknown as Record<string, unknown>,
        previous: before,
        current,
        net_payout: decimal(current.net_payout),
        net_payout_delta: decimal(MathBN.sub(current.net_payout, before?.net_payout ?? 0).toString()),
        recorded_at: now,
      })
    }

    if (updates.length) await marketplace.updateOrderLinks(updates)
    const created = history.length ? await marketplace.createEscrowChanges(history) : []
    return new StepResponse(output, { previous, change_ids: created.map((c) => c.id) } as Compensation)
  },
  async (compensation, { container }) => {
    if (!compensation) return
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    if (compensation.change_ids.length) await marketplace.deleteEscrowChanges(compensation.change_ids)
    if (compensation.previous.length) {
      await marketplace.updateOrderLinks(
        compensation.previous.map((p) => ({
          id: p.id,
          escrow_buyer_total: p.escrow_buyer_total,
          escrow_fees: p.escrow_fees,
          escrow_fee_total: p.escrow_fee_total,
          escrow_adjustments: p.escrow_adjustments,
          escrow_net_payout: p.escrow_net_payout,
          escrow_currency_code: p.escrow_currency_code,
          escrow_payout_at: p.escrow_payout_at ? new Date(p.escrow_payout_at) : null,
          escrow_synced_at: p.escrow_synced_at ? new Date(p.escrow_synced_at) : null,
          escrow_raw: p.escrow_raw,
        }))
      )
    }
  }
)

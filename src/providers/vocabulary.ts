import { MedusaError } from "@medusajs/framework/utils"
import type { CancelReason, FeeKindEntry, ProviderIdentity, ShipMethodEntry, VocabularyEntry } from "./types"

/**
 * Checks against a provider's declared vocabulary, for the core: input is refused with a 400
 * (`MedusaError` INVALID_DATA) that names the valid words, before anything reaches the marketplace.
 */

type Declaring = Pick<ProviderIdentity, "display_name" | "vocabulary">

const ids = (entries: { id: string }[]) => entries.map((e) => e.id).join(", ") || "none"

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

/**
 * The ship method `method` of the provider; with `connectionDefault`, one that may be a connection's default.
 *
 * @example
 * shipMethodOf(provider, "dropoff").inputs // [{ id: "branch_id", ... }]
 */
export function shipMethodOf(provider: Declaring, method: string, options: { connectionDefault?: boolean } = {}): ShipMethodEntry {
  const allowed = provider.vocabulary.ship_methods.filter((m) => !options.connectionDefault || m.connection_default)
  const entry = allowed.find((m) => m.id === method)
  if (!entry) {
    throw invalid(`${provider.display_name} has no ship method "${method}"${options.connectionDefault ? " for a connection's default" : ""}: use ${ids(allowed)}`)
  }
  return entry
}

/**
 * Checks `ship_details` against the inputs the method declares (any method's when none is chosen): unknown
 * keys are refused, and so is a chosen method without an input it requires.
 *
 * @example
 * checkShipDetails(provider, "pickup", { address_id: 1 })
 */
export function checkShipDetails(provider: Declaring, method: string | undefined, details: Record<string, unknown> | null | undefined): void {
  const given = Object.keys(details ?? {})
  const declared = method ? shipMethodOf(provider, method).inputs : provider.vocabulary.ship_methods.flatMap((m) => m.inputs)
  const unknown = given.filter((key) => !declared.some((input) => input.id === key))
  if (unknown.length) {
    throw invalid(
      `${provider.display_name} ${method ? `ship method "${method}" takes` : "ship methods take"} no ${unknown.join(", ")}: use ${ids(declared)}`
    )
  }
  const missing = method ? declared.filter((input) => input.required && !given.includes(input.id)) : []
  if (missing.length) {
    throw invalid(`${provider.display_name} ship method "${method}" needs ${ids(missing)}`)
  }
}

/**
 * The cancel reason the merchant asked for when the provider declares it, else the provider's default (a
 * word the platform does not know must not stop a cancellation the merchant already made in Medusa).
 *
 * @example
 * cancelReasonOf(provider, undefined).id // "out_of_stock" on Shopee
 */
export function cancelReasonOf(provider: Declaring, wanted: unknown): CancelReason {
  const { cancel_reasons, default_cancel_reason } = provider.vocabulary
  const reason =
    cancel_reasons.find((r) => r.id === wanted) ?? cancel_reasons.find((r) => r.id === default_cancel_reason)
  if (!reason) {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `${provider.display_name} declares no cancel reason "${default_cancel_reason}" as its default: use ${ids(cancel_reasons)}`
    )
  }
  return reason
}

/**
 * Checks a dispute reason: one of the declared entries, or an id of the declared shape.
 *
 * @example
 * checkDisputeReason(provider, "12")
 */
export function checkDisputeReason(provider: Declaring, reason: string): void {
  const { entries, pattern, hint } = provider.vocabulary.dispute_reasons
  if (entries.some((e) => e.id === reason) || (pattern !== null && new RegExp(pattern).test(reason))) {
    return
  }
  throw invalid(`Invalid dispute reason "${reason}": ${hint}`)
}

/**
 * Whether the goods of a return with this solution come back (received and restocked). A solution the
 * provider does not declare is treated as goods coming back: restocking is what Medusa's return flow does.
 */
export function solutionRestocks(provider: Pick<ProviderIdentity, "vocabulary">, solution: string): boolean {
  return provider.vocabulary.return_solutions.find((s) => s.id === solution)?.restock ?? true
}

/**
 * The provider's declared fee kind. An undeclared kind (a provider that reports more than it declares, or a
 * platform no longer configured) is labelled from its id and counted as something the seller pays, so the
 * fee total never hides it.
 *
 * @example
 * feeKindOf(provider, "commission").seller_pays // true
 */
export function feeKindOf(provider: Pick<ProviderIdentity, "vocabulary"> | null, kind: string): FeeKindEntry {
  const declared = provider?.vocabulary.fee_kinds.find((k) => k.id === kind)
  if (declared) {
    return declared
  }
  return { id: kind, label: labelOf(kind), seller_pays: true, group: "other" }
}

/** A label made from an undeclared id: "affiliate_fee" -> "Affiliate fee". */
function labelOf(id: string): string {
  const words = id.replace(/[_.]+/g, " ").trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * The declared order channel `channel` (e.g. Tokopedia on TikTok Shop): a 400 naming the declared ones when the
 * provider has no such channel.
 *
 * @example
 * orderChannelOf(provider, "tokopedia").label // "Tokopedia"
 */
export function orderChannelOf(provider: Declaring, channel: string): VocabularyEntry {
  const entry = provider.vocabulary.order_channels.find((c) => c.id === channel)
  if (!entry) {
    throw invalid(`${provider.display_name} has no order channel "${channel}": use ${ids(provider.vocabulary.order_channels)}`)
  }
  return entry
}

/**
 * The label of an order's channel as the provider declares it; an undeclared one (a channel the platform
 * started reporting, or a platform no longer configured) is labelled from its id.
 *
 * @example
 * orderChannelLabel(provider, "tokopedia") // "Tokopedia"
 */
export function orderChannelLabel(provider: Pick<ProviderIdentity, "vocabulary"> | null, channel: string): string {
  return provider?.vocabulary.order_channels.find((c) => c.id === channel)?.label ?? labelOf(channel)
}

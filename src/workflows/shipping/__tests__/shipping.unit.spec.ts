import type { ProviderVocabulary } from "../../../providers/types"
import { cancelInput } from "../utils/shipping-cancel"
import { DEFAULT_FOLLOW_UP_BACKOFF_SECONDS as FOLLOW_UP_BACKOFF_SECONDS, queuePolicies, resolveMarketplaceSettings } from "../../../modules/marketplace/options"
import { nextFollowUpAt } from "../utils/shipping-follow-up"

/** A provider that declares Shopee's cancel reasons and model id convention. */
const provider = {
  display_name: "Test market",
  vocabulary: {
    cancel_reasons: [
      { id: "out_of_stock", label: "Out of stock", names_items: true },
      { id: "customer_request", label: "Customer request", names_items: false },
      { id: "undeliverable_area", label: "Undeliverable area", names_items: false },
    ],
    default_cancel_reason: "out_of_stock",
    ship_methods: [],
    dispute_reasons: { entries: [], pattern: null, hint: "" },
    return_solutions: [],
    fee_kinds: [],
    single_model_id: "0",
    order_channels: [],
  } satisfies ProviderVocabulary,
}

const ref = (metadata: Record<string, unknown>) => ({
  order_id: "order_1",
  connection_id: "mpcon_1",
  external_order_id: "240101ABC",
  order_link_id: "mpord_1",
  order_link_status: "paid",
  metadata,
  items: [
    { id: "item_a", metadata: { external_item_id: "11", external_model_id: "21" } },
    { id: "item_b", metadata: { external_item_id: "12", external_model_id: "0" } },
    { id: "item_c", metadata: { external_item_id: "11", external_model_id: "21" } },
    { id: "item_d", metadata: null },
  ],
})

describe("seller cancellation reason", () => {
  it("defaults to out of stock naming every marketplace line once", () => {
    expect(cancelInput(ref({}), provider)).toEqual({
      external_order_id: "240101ABC",
      reason: "out_of_stock",
      items: [
        { external_item_id: "11", external_model_id: "21" },
        { external_item_id: "12", external_model_id: "0" },
      ],
    })
  })

  it("names only the chosen lines", () => {
    expect(cancelInput(ref({ marketplace_cancel_item_ids: ["item_b"] }), provider).items).toEqual([
      { external_item_id: "12", external_model_id: "0" },
    ])
  })

  it("uses the order's reason, without items for other reasons, and ignores unknown reasons", () => {
    expect(cancelInput(ref({ marketplace_cancel_reason: "customer_request" }), provider)).toEqual({
      external_order_id: "240101ABC",
      reason: "customer_request",
    })
    expect(cancelInput(ref({ marketplace_cancel_reason: "bored" }), provider).reason).toBe("out_of_stock")
  })
})

describe("follow-up backoff", () => {
  it("grows with the attempts and stays at the last step", () => {
    const now = Date.UTC(2026, 0, 1)
    const policy = { ...queuePolicies(resolveMarketplaceSettings({}, {})).follow_up, maxAttempts: 100 }
    // `previous` attempts failed before this one: the delay after attempt previous + 1.
    const delay = (previous: number) => (new Date(nextFollowUpAt(policy, previous + 1, now) as string).getTime() - now) / 1000
    expect(delay(0)).toBe(FOLLOW_UP_BACKOFF_SECONDS[0])
    expect(delay(3)).toBe(FOLLOW_UP_BACKOFF_SECONDS[3])
    expect(delay(50)).toBe(FOLLOW_UP_BACKOFF_SECONDS[FOLLOW_UP_BACKOFF_SECONDS.length - 1])
  })

  it("stops after the last attempt", () => {
    const policy = queuePolicies(resolveMarketplaceSettings({}, {})).follow_up
    expect(policy.maxAttempts).toBe(24)
    expect(nextFollowUpAt(policy, 23)).not.toBeNull()
    expect(nextFollowUpAt(policy, 24)).toBeNull()
  })
})

import type { MarketplaceReturnItem } from "../../../providers/types"
import { allocateReturnItems, planReturnImport, targetOf, type ReturnPlanInput, type ReturnableOrderLine } from "../utils/return-plan"

const line = (id: string, returnable: number, meta: Record<string, unknown>, variant_sku: string | null = null): ReturnableOrderLine => ({
  id,
  returnable,
  variant_sku,
  metadata: meta,
})
const item = (external_item_id: string, external_model_id: string, quantity: number, sku: string | null = null): MarketplaceReturnItem => ({
  external_item_id,
  external_model_id,
  sku,
  quantity,
  refund_amount: null,
})

const T1 = new Date("2026-11-20T10:00:00Z")
const T2 = new Date("2026-11-20T11:00:00Z")

const input = (over: Partial<ReturnPlanInput> = {}): ReturnPlanInput => ({
  ret: { refund_amount: "40", items: [item("1", "10", 2)], updated_at: T2 },
  outcome: "open",
  restock: true,
  link: null,
  order: { id: "order_1", canceled: false, lines: [line("li_1", 3, { external_item_id: "1", external_model_id: "10" })] },
  medusa_return: null,
  payment: { id: "pay_1", refundable: "100" },
  ...over,
})

describe("allocateReturnItems", () => {
  it("matches by item + model first, then by SKU, spreading a quantity over lines and never beyond what is returnable", () => {
    const lines = [
      line("a", 1, { external_item_id: "1", external_model_id: "10" }),
      line("b", 2, { external_item_id: "1", external_model_id: "10" }),
      line("c", 5, { sku: "MUG" }),
      line("d", 1, {}, "CAP"),
    ]
    const { items, missing } = allocateReturnItems(
      [item("1", "10", 4), item("9", "0", 2, "MUG"), item("8", "0", 1, "CAP"), item("7", "0", 1, "NOPE")],
      lines
    )
    expect(items).toEqual([
      { id: "a", quantity: 1 },
      { id: "b", quantity: 2 },
      { id: "c", quantity: 2 },
      { id: "d", quantity: 1 },
    ])
    expect(missing.map((m) => [m.item.external_item_id, m.quantity])).toEqual([["1", 1], ["7", 1]])
  })
})

describe("targetOf", () => {
  // What each platform status means (Shopee's "closed" rule included) is the provider's returnOutcome: see
  // providers/__tests__/abstract-provider.unit.spec.ts and providers/shopee/__tests__/vocabulary.unit.spec.ts.
  it("folds the provider's outcome into requested / received / cancelled", () => {
    expect(targetOf("open")).toBe("requested")
    expect(targetOf("refunded")).toBe("received")
    expect(targetOf("not_refunded")).toBe("cancelled")
  })
})

describe("planReturnImport", () => {
  it("first sight of a request: create the link and a Medusa return request for the mapped lines", () => {
    const plan = planReturnImport(input())
    expect(plan).toEqual(expect.objectContaining({ action: "create", create_return: true, request_items: [{ id: "li_1", quantity: 2 }], receive: null, refund: null }))
  })

  it("accepted at first sight: create, receive (restock) and refund the marketplace's amount", () => {
    const plan = planReturnImport(input({ outcome: "refunded" }))
    expect(plan.receive).toEqual({ mode: "restock", items: [{ id: "li_1", quantity: 2 }] })
    expect(plan.refund).toBe("40")
    expect(plan.refunded_amount).toBe("40")
  })

  it("refund only is dismissed, not restocked", () => {
    const plan = planReturnImport(input({ outcome: "refunded", restock: false }))
    expect(plan.receive?.mode).toBe("dismiss")
  })

  it("an older state changes nothing; an equal one changes nothing once applied", () => {
    const link = { id: "l", status: "accepted", external_updated_at: T2, refunded_amount: "40" }
    expect(planReturnImport(input({ link, ret: { ...input().ret, updated_at: T1 } })).action).toBe("unchanged")
    const applied = planReturnImport(
      input({
        link,
        outcome: "refunded",
        medusa_return: { id: "ret_1", status: "received", canceled: false, outstanding: [], received_any: true },
      })
    )
    expect(applied).toEqual(expect.objectContaining({ action: "unchanged", refund: null }))
  })

  it("refunds only the difference, capped by what remains of the payment, and says so", () => {
    const link = { id: "l", status: "processing", external_updated_at: T1, refunded_amount: "10" }
    const plan = planReturnImport(
      input({
        link,
        outcome: "refunded",
        medusa_return: { id: "ret_1", status: "requested", canceled: false, outstanding: [{ id: "li_1", quantity: 2 }], received_any: false },
        payment: { id: "pay_1", refundable: "20" },
      })
    )
    expect(plan).toEqual(expect.objectContaining({ action: "update", refund: "20", refunded_amount: "30", create_return: false }))
    expect(plan.note).toMatch(/larger than what remains/)
  })

  it("nothing fulfilled: no Medusa return, the refund is still recorded; no order: a note, no crash", () => {
    const unfulfilled = planReturnImport(
      input({ outcome: "refunded", order: { id: "o", canceled: false, lines: [line("li_1", 0, { external_item_id: "1", external_model_id: "10" })] } })
    )
    expect(unfulfilled).toEqual(expect.objectContaining({ create_return: false, receive: null, refund: "40" }))
    expect(unfulfilled.note).toMatch(/no Medusa return/)
    const orphan = planReturnImport(input({ order: null, payment: null, outcome: "refunded" }))
    expect(orphan).toEqual(expect.objectContaining({ action: "create", create_return: false, refund: null }))
    expect(orphan.note).toMatch(/not imported.*no captured payment/)
  })

  it("cancelled: cancels an open Medusa return, never one with received items", () => {
    const link = { id: "l", status: "requested", external_updated_at: T1, refunded_amount: null }
    const open = { id: "ret_1", status: "requested", canceled: false, outstanding: [{ id: "li_1", quantity: 2 }], received_any: false }
    const outcome = "not_refunded" as const
    expect(planReturnImport(input({ link, outcome, medusa_return: open })).cancel).toBe(true)
    const received = planReturnImport(input({ link, outcome, medusa_return: { ...open, received_any: true } }))
    expect(received.cancel).toBe(false)
    expect(received.note).toMatch(/cannot be canceled/)
  })
})

import { MedusaError } from "@medusajs/framework/utils"
import { cancelReasonOf, checkDisputeReason, shipMethodOf, solutionRestocks } from "../../vocabulary"
import { ShopeeProvider } from "../provider"
import { SHOPEE_VOCABULARY } from "../vocabulary"

const logger = { info() {}, warn() {}, error() {}, debug() {} }
const provider = new ShopeeProvider({ logger }, { partnerId: "100001", partnerKey: "partner-key" })

describe("Shopee's vocabulary", () => {
  it("is what the provider declares", () => {
    expect(provider.vocabulary).toBe(SHOPEE_VOCABULARY)
    expect(provider.vocabulary.single_model_id).toBe("0")
  })

  it("cancels for out of stock by default, naming the lines; other reasons name none", () => {
    expect(cancelReasonOf(provider, undefined)).toEqual(expect.objectContaining({ id: "out_of_stock", names_items: true }))
    expect(cancelReasonOf(provider, "customer_request").names_items).toBe(false)
    expect(cancelReasonOf(provider, "undeliverable_area").names_items).toBe(false)
    expect(SHOPEE_VOCABULARY.cancel_reasons.map((r) => r.id)).toEqual(["out_of_stock", "customer_request", "undeliverable_area"])
  })

  it("ships by pickup, drop-off or a non-integrated carrier; a connection defaults to pickup or drop-off", () => {
    expect(SHOPEE_VOCABULARY.ship_methods.map((m) => m.id)).toEqual(["pickup", "dropoff", "non_integrated"])
    expect(shipMethodOf(provider, "dropoff", { connectionDefault: true }).inputs.map((i) => i.id)).toEqual(["branch_id"])
    expect(() => shipMethodOf(provider, "non_integrated", { connectionDefault: true })).toThrow(MedusaError)
  })

  it("takes numeric dispute_reason_ids", () => {
    expect(() => checkDisputeReason(provider, "12")).not.toThrow()
    expect(() => checkDisputeReason(provider, "damaged")).toThrow(/numeric dispute_reason_id/)
  })

  it("restocks returns and refunds, not refunds only", () => {
    expect(solutionRestocks(provider, "return_refund")).toBe(true)
    expect(solutionRestocks(provider, "refund_only")).toBe(false)
  })
})

describe("Shopee's return outcome", () => {
  const outcome = (status: string, previous: { status: string; refunded_amount: string | null } | null = null) =>
    provider.returnOutcome({ status: status as never, external_status: status.toUpperCase() }, previous)

  it("folds the statuses into open / refunded / not refunded; closed depends on a refund seen before", () => {
    expect(["requested", "processing", "disputed"].map((s) => outcome(s))).toEqual(["open", "open", "open"])
    expect(outcome("accepted")).toBe("refunded")
    expect(outcome("refunded")).toBe("refunded")
    expect(outcome("cancelled")).toBe("not_refunded")
    expect(outcome("closed")).toBe("not_refunded")
    expect(outcome("closed", { status: "accepted", refunded_amount: null })).toBe("refunded")
    expect(outcome("closed", { status: "processing", refunded_amount: "5" })).toBe("refunded")
    expect(outcome("closed", { status: "processing", refunded_amount: "0" })).toBe("not_refunded")
  })

  it("a return closed without an accepted state seen is refunded when the platform shows the refund elsewhere (the escrow)", () => {
    const closed = (refunded: boolean | undefined) =>
      provider.returnOutcome({ status: "closed", external_status: "CLOSED", refunded }, { status: "requested", refunded_amount: null })
    expect(closed(true)).toBe("refunded")
    expect(closed(false)).toBe("not_refunded")
    expect(closed(undefined)).toBe("not_refunded")
  })
})

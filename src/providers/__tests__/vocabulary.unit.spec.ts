import { MedusaError } from "@medusajs/framework/utils"
import {
  cancelReasonOf,
  checkDisputeReason,
  checkShipDetails,
  feeKindOf,
  orderChannelLabel,
  orderChannelOf,
  shipMethodOf,
  solutionRestocks,
} from "../vocabulary"
import { TEST_VOCABULARY } from "./test-provider"

const provider = { display_name: "Acme Market", vocabulary: TEST_VOCABULARY }

/** The error a check threw, so that its type and message can be asserted. */
function thrown(run: () => unknown): MedusaError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(MedusaError)
    return error as MedusaError
  }
  throw new Error("expected the check to throw")
}

describe("vocabulary checks", () => {
  it("ship methods: only the declared ones, and only default-capable ones as a connection's default", () => {
    expect(shipMethodOf(provider, "courier").id).toBe("courier")
    expect(shipMethodOf(provider, "own_fleet").inputs.map((i) => i.id)).toEqual(["tracking"])
    const unknown = thrown(() => shipMethodOf(provider, "pickup"))
    expect(unknown.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(unknown.message).toBe('Acme Market has no ship method "pickup": use courier, own_fleet')
    expect(shipMethodOf(provider, "courier", { connectionDefault: true }).id).toBe("courier")
    expect(thrown(() => shipMethodOf(provider, "own_fleet", { connectionDefault: true })).message).toBe(
      `Acme Market has no ship method "own_fleet" for a connection's default: use courier`
    )
  })

  it("ship details: the inputs the method declares, and the ones it requires", () => {
    expect(() => checkShipDetails(provider, "courier", { slot: "morning" })).not.toThrow()
    expect(() => checkShipDetails(provider, "courier", undefined)).not.toThrow()
    expect(() => checkShipDetails(provider, undefined, { tracking: "T1" })).not.toThrow()
    expect(thrown(() => checkShipDetails(provider, "courier", { branch_id: 4 })).message).toBe(
      'Acme Market ship method "courier" takes no branch_id: use slot'
    )
    expect(thrown(() => checkShipDetails(provider, undefined, { branch_id: 4 })).message).toBe(
      "Acme Market ship methods take no branch_id: use slot, tracking"
    )
    expect(thrown(() => checkShipDetails(provider, "own_fleet", {})).message).toBe('Acme Market ship method "own_fleet" needs tracking')
    expect(() => checkShipDetails(provider, "own_fleet", { tracking: "T1" })).not.toThrow()
  })

  it("cancel reasons: the merchant's when declared, else the provider's default", () => {
    expect(cancelReasonOf(provider, "buyer_asked")).toEqual({ id: "buyer_asked", label: "Buyer asked", names_items: false })
    expect(cancelReasonOf(provider, undefined).id).toBe("no_stock")
    expect(cancelReasonOf(provider, "out_of_stock").id).toBe("no_stock")
    const broken = { display_name: "Broken", vocabulary: { ...TEST_VOCABULARY, default_cancel_reason: "gone" } }
    expect(thrown(() => cancelReasonOf(broken, undefined)).type).toBe(MedusaError.Types.UNEXPECTED_STATE)
  })

  it("dispute reasons: a declared entry or an id of the declared shape; otherwise the provider's hint", () => {
    expect(() => checkDisputeReason(provider, "damaged_by_buyer")).not.toThrow()
    expect(() => checkDisputeReason(provider, "R-12")).not.toThrow()
    const bad = thrown(() => checkDisputeReason(provider, "12"))
    expect(bad.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(bad.message).toBe(`Invalid dispute reason "12": ${TEST_VOCABULARY.dispute_reasons.hint}`)
    const listOnly = { ...provider, vocabulary: { ...TEST_VOCABULARY, dispute_reasons: { ...TEST_VOCABULARY.dispute_reasons, pattern: null } } }
    expect(() => checkDisputeReason(listOnly, "R-12")).toThrow(MedusaError)
  })

  it("return solutions: the provider says whether goods come back; an undeclared one restocks", () => {
    expect(solutionRestocks(provider, "send_back")).toBe(true)
    expect(solutionRestocks(provider, "keep_it")).toBe(false)
    expect(solutionRestocks(provider, "something_new")).toBe(true)
  })

  it("fee kinds: declared labels and payer; an undeclared kind is labelled from its id and counted as a fee", () => {
    expect(feeKindOf(provider, "free_shipping_subsidy")).toEqual(TEST_VOCABULARY.fee_kinds[1])
    expect(feeKindOf(provider, "late_shipment_penalty")).toEqual({
      id: "late_shipment_penalty",
      label: "Late shipment penalty",
      seller_pays: true,
      group: "other",
    })
    expect(feeKindOf(null, "platform_cut").seller_pays).toBe(true)
  })

  it("order channels: the declared ones only, labelled as declared; an undeclared one is labelled from its id", () => {
    const channels = { ...provider, vocabulary: { ...TEST_VOCABULARY, order_channels: [{ id: "partner_mall", label: "Partner Mall" }] } }
    expect(orderChannelOf(channels, "partner_mall").label).toBe("Partner Mall")
    const unknown = thrown(() => orderChannelOf(channels, "tokopedia"))
    expect(unknown.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(unknown.message).toBe('Acme Market has no order channel "tokopedia": use partner_mall')
    expect(thrown(() => orderChannelOf(provider, "partner_mall")).message).toBe('Acme Market has no order channel "partner_mall": use none')
    expect(orderChannelLabel(channels, "partner_mall")).toBe("Partner Mall")
    expect(orderChannelLabel(null, "flash_store")).toBe("Flash store")
  })
})

import { MarketplaceApiError } from "../errors"
import type { MarketplaceProviderConstructor, ShopSession } from "../types"
import { silentLogger, TestProvider } from "./test-provider"

const session: ShopSession = { connection_id: "mpcon_1", shop_id: "77", access_token: "token" }

describe("AbstractMarketplaceProvider", () => {
  const provider = new TestProvider({ logger: silentLogger }, { apiKey: "key" })

  it("is constructed as Medusa constructs module providers: (deps, options), static identifier and validateOptions", () => {
    const Constructor: MarketplaceProviderConstructor<{ apiKey: string }> = TestProvider
    expect(Constructor.identifier).toBe("acme")
    expect(() => Constructor.validateOptions?.({})).not.toThrow()
    expect(provider.constructed()).toEqual({ options: { apiKey: "key" }, logger: silentLogger })
  })

  it("has no missed events and no seller-centre link by default", async () => {
    await expect(provider.listMissedEvents()).resolves.toEqual({ events: [], ack_token: null })
    await expect(provider.ackMissedEvents("token")).resolves.toBeUndefined()
    expect(provider.orderUrl({ shop_id: "77", region: "SG" }, "ORDER1")).toBeNull()
  })

  it("lists no returns and reports no escrow by default", async () => {
    const window = { updated_from: new Date(0), updated_to: new Date() }
    await expect(provider.listReturns(session, window)).resolves.toEqual({ items: [], next_page_token: null })
    await expect(provider.getEscrows(session, ["ORDER1"])).resolves.toEqual([])
  })

  it("refuses the optional operations with a not_allowed error naming the platform, never retried", async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ["Cancelling an order", () => provider.cancelOrder(session, { external_order_id: "O1", reason: "no_stock" })],
      ["Arranging a shipment", () => provider.getShippingParameters(session, "O1")],
      ["Arranging a shipment", () => provider.shipOrder(session, { external_order_id: "O1" })],
      ["Reading a shipment", () => provider.getShipment(session, "O1")],
      ["Printing a shipping document", () => provider.getShippingDocument(session, "O1")],
      ["Reading a return", () => provider.getReturn(session, "R1")],
      ["Accepting a return", () => provider.acceptReturn(session, "R1")],
      ["Disputing a return", () => provider.disputeReturn(session, "R1", { reason: "damaged_by_buyer" })],
      ["Pushing prices", () => provider.pushPrice(session, [{ external_item_id: "1", external_model_id: "1", price: "9.90" }])],
    ]
    for (const [operation, call] of calls) {
      const error = await call().then(
        () => null,
        (e: unknown) => e
      )
      expect(MarketplaceApiError.is(error)).toBe(true)
      const api = error as MarketplaceApiError
      expect(api.kind).toBe("not_allowed")
      expect(api.retryable).toBe(false)
      expect(api.code).toBe("not_supported")
      expect(api.message).toBe(`${operation} is not supported by Acme Market`)
    }
  })

  it("reads return outcomes from the plugin's statuses alone", () => {
    const outcome = (status: string, previous: { status: string; refunded_amount: string | null } | null = null) =>
      provider.returnOutcome({ status: status as never, external_status: status.toUpperCase() }, previous)
    expect(["requested", "processing", "disputed"].map((s) => outcome(s))).toEqual(["open", "open", "open"])
    expect(outcome("accepted")).toBe("refunded")
    expect(outcome("refunded")).toBe("refunded")
    expect(outcome("cancelled")).toBe("not_refunded")
    expect(outcome("closed")).toBe("not_refunded")
    // No platform rule by default: a refund seen before does not change what "closed" means.
    expect(outcome("closed", { status: "accepted", refunded_amount: "5" })).toBe("not_refunded")
  })
})

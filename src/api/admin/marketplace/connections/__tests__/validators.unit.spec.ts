import { AdminUpdateConnection } from "../validators"
import { orderSalesChannelId } from "../../../../../workflows/orders/utils/order-input"

describe("AdminUpdateConnection: settings.channel_sales_channels", () => {
  const parse = (channel_sales_channels: unknown) => AdminUpdateConnection.safeParse({ settings: { channel_sales_channels } })

  it("takes a map of order channel ids to sales channel ids, and an empty map", () => {
    const ok = parse({ tokopedia: " sc_01TOKO " })
    expect(ok.success && ok.data.settings?.channel_sales_channels).toEqual({ tokopedia: "sc_01TOKO" })
    expect(parse({}).success).toBe(true)
    expect(AdminUpdateConnection.safeParse({ settings: {} }).success).toBe(true)
  })

  it.each([
    ["a channel id that is not a lower-case word", { "Toko Pedia": "sc_1" }],
    ["an empty sales channel id", { tokopedia: "" }],
    ["a sales channel id that is not a string", { tokopedia: 12 }],
    ["null for a channel", { tokopedia: null }],
    ["a list instead of a map", ["tokopedia"]],
    ["more than 20 channels", Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`c${i}`, "sc_1"]))],
  ])("refuses %s", (_, value) => {
    expect(parse(value).success).toBe(false)
  })
})

describe("orderSalesChannelId", () => {
  const settings = { channel_sales_channels: { tokopedia: "sc_toko" } }

  it("sends an order to its channel's sales channel when the connection gives it one, else to the connection's", () => {
    expect(orderSalesChannelId(settings, "sc_shop", { channel: "tokopedia" })).toBe("sc_toko")
    expect(orderSalesChannelId(settings, "sc_shop", { channel: null })).toBe("sc_shop")
    expect(orderSalesChannelId(settings, "sc_shop", {})).toBe("sc_shop")
    expect(orderSalesChannelId(settings, "sc_shop", { channel: "other_mall" })).toBe("sc_shop")
    expect(orderSalesChannelId(null, "sc_shop", { channel: "tokopedia" })).toBe("sc_shop")
    expect(orderSalesChannelId({}, null, { channel: "tokopedia" })).toBeNull()
  })
})

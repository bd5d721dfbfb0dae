import { ShopeeProvider } from "../provider"

describe("ShopeeProvider.validateOptions", () => {
  it("names the missing option", () => {
    expect(() => ShopeeProvider.validateOptions({ partnerKey: "k" })).toThrow(/partnerId/)
    expect(() => ShopeeProvider.validateOptions({ partnerId: "123" })).toThrow(/partnerKey/)
    expect(() => ShopeeProvider.validateOptions({ partnerId: "12x", partnerKey: "k" })).toThrow(/partnerId/)
    expect(() => ShopeeProvider.validateOptions({ partnerId: 1, partnerKey: "k", baseUrl: "ftp://x" })).toThrow(/baseUrl/)
    expect(() => ShopeeProvider.validateOptions({ partnerId: 1, partnerKey: "k", maxRetries: -1 })).toThrow(/maxRetries/)
  })

  it("accepts numeric strings, empty optional env values and any http(s) host", () => {
    expect(() =>
      ShopeeProvider.validateOptions({ partnerId: "2001887", partnerKey: "k", pushKey: "", baseUrl: "http://127.0.0.1:4010" })
    ).not.toThrow()
    expect(() => ShopeeProvider.validateOptions({ partnerId: 2001887, partnerKey: "k", baseUrl: undefined })).not.toThrow()
  })
})

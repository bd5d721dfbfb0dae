import { faultPathMatches } from "../faults"

describe("fault paths", () => {
  it("match the same path, or a template whose {name} segments stand for one segment", () => {
    expect(faultPathMatches("/api/v2/order/get_order_list", "/api/v2/order/get_order_list")).toBe(true)
    expect(faultPathMatches("/p/{id}/inventory/update", "/p/123/inventory/update")).toBe(true)
    expect(faultPathMatches("/p/{id}/inventory/update", "/p/123/prices/update")).toBe(false)
    expect(faultPathMatches("/p/{id}/inventory/update", "/p/1/2/inventory/update")).toBe(false)
    expect(faultPathMatches("/p/1/inventory/update", "/p/2/inventory/update")).toBe(false)
  })
})

import { distinctRollupKeys, rollupDayOf, rollupKeyBindings } from "../utils/analytics-rollup"

describe("analytics rollup keys", () => {
  it("puts an order on the UTC day the marketplace placed it, whatever the offset it is written with", () => {
    expect(rollupDayOf("2026-11-10T23:59:59.999Z")).toBe("2026-11-10")
    expect(rollupDayOf("2026-11-11T00:00:00Z")).toBe("2026-11-11")
    // 06:30 in Jakarta on the 11th is still the 10th in UTC.
    expect(rollupDayOf("2026-11-11T06:30:00+07:00")).toBe("2026-11-10")
    expect(rollupDayOf(new Date(Date.UTC(2026, 0, 1)))).toBe("2026-01-01")
  })

  it("refreshes each shop-day once, in one order for every process (locks taken in the same order)", () => {
    const keys = [
      { connection_id: "mpcon_b", day: "2026-11-10" },
      { connection_id: "mpcon_a", day: "2026-11-11" },
      { connection_id: "mpcon_b", day: "2026-11-10" },
      { connection_id: "mpcon_a", day: "2026-11-10" },
    ]
    const expected = [
      { connection_id: "mpcon_a", day: "2026-11-10" },
      { connection_id: "mpcon_a", day: "2026-11-11" },
      { connection_id: "mpcon_b", day: "2026-11-10" },
    ]
    expect(distinctRollupKeys(keys)).toEqual(expected)
    expect(distinctRollupKeys([...keys].reverse())).toEqual(expected)
    expect(rollupKeyBindings(expected)).toEqual([
      ["mpcon_a", "mpcon_a", "mpcon_b"],
      ["2026-11-10", "2026-11-11", "2026-11-10"],
    ])
  })
})

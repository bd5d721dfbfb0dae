import { splitWindows, windowPages, type ListPage, type TimeWindow } from "../windows"

const at = (iso: string) => new Date(`2026-01-${iso}Z`)
const DAY = 86400

/** A fake list endpoint: `pages[window start]` is the list of pages of that window. */
function lister(pages: Record<string, string[][]>) {
  const calls: { from: string; to: string; token: string | null }[] = []
  const fetchPage = async (window: TimeWindow, token: string | null): Promise<ListPage<string>> => {
    calls.push({ from: window.from.toISOString(), to: window.to.toISOString(), token })
    const ofWindow = pages[window.from.toISOString()] ?? [[]]
    const index = token ? Number(token) : 0
    return { items: ofWindow[index], next_page_token: index + 1 < ofWindow.length ? String(index + 1) : null }
  }
  return { calls, fetchPage }
}

describe("splitWindows", () => {
  it("cuts a range into windows no longer than the limit, the last one shorter", () => {
    expect(splitWindows(at("01T00:00:00"), at("03T12:00:00"), DAY)).toEqual([
      { from: at("01T00:00:00"), to: at("02T00:00:00") },
      { from: at("02T00:00:00"), to: at("03T00:00:00") },
      { from: at("03T00:00:00"), to: at("03T12:00:00") },
    ])
  })

  it("returns no window for an empty or reversed range", () => {
    expect(splitWindows(at("02T00:00:00"), at("02T00:00:00"), DAY)).toEqual([])
    expect(splitWindows(at("03T00:00:00"), at("02T00:00:00"), DAY)).toEqual([])
  })
})

describe("windowPages", () => {
  it("pages through each window with the token the platform returned, window after window", async () => {
    const { calls, fetchPage } = lister({
      [at("01T00:00:00").toISOString()]: [["a", "b"], ["c"]],
      [at("02T00:00:00").toISOString()]: [["d"]],
    })
    const seen: { items: string[]; done_until: string }[] = []
    for await (const page of windowPages({ from: at("01T00:00:00"), to: at("02T12:00:00") }, DAY, fetchPage)) {
      seen.push({ items: page.items, done_until: page.done_until.toISOString() })
    }
    expect(calls).toEqual([
      { from: at("01T00:00:00").toISOString(), to: at("02T00:00:00").toISOString(), token: null },
      { from: at("01T00:00:00").toISOString(), to: at("02T00:00:00").toISOString(), token: "1" },
      { from: at("02T00:00:00").toISOString(), to: at("02T12:00:00").toISOString(), token: null },
    ])
    // The resume point moves past a window only once its last page is read.
    expect(seen).toEqual([
      { items: ["a", "b"], done_until: at("01T00:00:00").toISOString() },
      { items: ["c"], done_until: at("02T00:00:00").toISOString() },
      { items: ["d"], done_until: at("02T12:00:00").toISOString() },
    ])
  })

  it("makes no call once the consumer stops (a cancelled backfill)", async () => {
    const { calls, fetchPage } = lister({ [at("01T00:00:00").toISOString()]: [["a"], ["b"], ["c"]] })
    for await (const page of windowPages({ from: at("01T00:00:00"), to: at("03T00:00:00") }, DAY, fetchPage)) {
      if (page.items.includes("a")) break
    }
    expect(calls).toHaveLength(1)
  })

  it("lists an empty window once and moves past it", async () => {
    const { calls, fetchPage } = lister({})
    const ends: string[] = []
    for await (const page of windowPages({ from: at("01T00:00:00"), to: at("03T00:00:00") }, DAY, fetchPage)) {
      expect(page.items).toEqual([])
      ends.push(page.done_until.toISOString())
    }
    expect(calls).toHaveLength(2)
    expect(ends).toEqual([at("02T00:00:00").toISOString(), at("03T00:00:00").toISOString()])
  })
})

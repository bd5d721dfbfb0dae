import type { Page } from "../../types"
import { chunk, idBatches, inBatches, numericPageToken, paginate, paginateItems } from "../paging"

function pagesOf<T>(pages: T[][]): { fetch: (token: string | null) => Promise<Page<T>>; tokens: (string | null)[] } {
  const tokens: (string | null)[] = []
  return {
    tokens,
    fetch: async (token) => {
      tokens.push(token)
      const index = token === null ? 0 : Number(token.slice(1))
      return { items: pages[index], next_page_token: index + 1 < pages.length ? `p${index + 1}` : null }
    },
  }
}

describe("kit paging", () => {
  it("walks page_token pages from the first to the one without a token", async () => {
    const { fetch, tokens } = pagesOf([[1, 2], [3], [4, 5]])
    const seen: number[][] = []
    for await (const page of paginate(fetch)) {
      seen.push(page.items)
    }
    expect(seen).toEqual([[1, 2], [3], [4, 5]])
    expect(tokens).toEqual([null, "p1", "p2"])
  })

  it("yields items one by one and fetches lazily", async () => {
    const { fetch, tokens } = pagesOf([["a", "b"], ["c"]])
    const items: string[] = []
    for await (const item of paginateItems(fetch)) {
      items.push(item)
      if (item === "b") {
        break
      }
    }
    expect(items).toEqual(["a", "b"])
    expect(tokens).toEqual([null]) // the second page was never asked for
  })

  it("stops on a token handed out twice instead of looping forever", async () => {
    const fetch = async (token: string | null): Promise<Page<number>> => ({ items: [1], next_page_token: token ? "same" : "same" })
    const pages: Page<number>[] = []
    await expect(
      (async () => {
        for await (const page of paginate(fetch)) {
          pages.push(page)
        }
      })()
    ).rejects.toThrow(/"same" twice/)
    expect(pages).toHaveLength(2)
  })

  it("honours maxPages", async () => {
    const { fetch } = pagesOf([[1], [2], [3]])
    const items: number[] = []
    for await (const item of paginateItems(fetch, { maxPages: 2 })) {
      items.push(item)
    }
    expect(items).toEqual([1, 2])
  })

  it("chunks to the platform's batch size and reads numeric tokens", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([], 50)).toEqual([])
    expect(() => chunk([1], 0)).toThrow(RangeError)
    expect(numericPageToken(null)).toBe(0)
    expect(numericPageToken("", 1)).toBe(1)
    expect(numericPageToken("40")).toBe(40)
    expect(numericPageToken("-1")).toBeNull()
    expect(numericPageToken("abc")).toBeNull()
  })
})

describe("kit id batches", () => {
  it("never makes an empty or over-long batch: blanks and repeats dropped, cut at the platform's max", () => {
    expect(idBatches([], 50)).toEqual([])
    expect(idBatches(["", "  ", null, undefined], 50)).toEqual([])
    expect(idBatches([" a ", "b", "a", ""], 50)).toEqual([["a", "b"]])
    const ids = Array.from({ length: 101 }, (_, i) => `sn${i}`)
    const batches = idBatches([...ids, ...ids], 50)
    expect(batches.map((b) => b.length)).toEqual([50, 50, 1])
    expect(batches.flat()).toEqual(ids)
  })

  it("calls once per batch and never for an empty list", async () => {
    const sent: string[][] = []
    const call = async (batch: string[]) => {
      sent.push(batch)
      return batch.map((id) => id.toUpperCase())
    }
    expect(await inBatches(["", " "], 50, call)).toEqual([])
    expect(sent).toEqual([])
    const ids = Array.from({ length: 51 }, (_, i) => `x${i}`)
    expect(await inBatches(ids, 50, call)).toHaveLength(51)
    expect(sent.map((b) => b.length)).toEqual([50, 1])
  })
})

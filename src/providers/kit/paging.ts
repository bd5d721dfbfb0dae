import type { Page } from "../types"

/** Splits a list into consecutive batches of at most `size` (the platform's batch limit). */
export function chunk<T>(values: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`Not a batch size: ${size}`)
  }
  const out: T[][] = []
  for (let i = 0; i < values.length; i += size) {
    out.push(values.slice(i, i + size))
  }
  return out
}

/**
 * The ids of a batch call, ready to send: trimmed, blanks and repeats dropped, cut into batches of 1 to `max`.
 * An empty or blank-only list gives no batch at all, so a platform is never sent an empty or over-long id list.
 *
 * @example
 * idBatches(["a", " ", "b", "a"], 50) // [["a", "b"]]
 * idBatches([], 50)                   // []
 */
export function idBatches(ids: readonly (string | null | undefined)[], max: number): string[][] {
  const clean = [...new Set(ids.map((id) => (id ?? "").trim()).filter((id) => id !== ""))]
  return chunk(clean, max)
}

/**
 * Runs `call` once per batch of `idBatches(ids, max)`, one batch after the other, and concatenates the answers:
 * nothing is called for an empty list.
 *
 * @example
 * const orders = await inBatches(ids, 50, (batch) => client.getOrderDetail(session, batch).then(mapOrders))
 */
export async function inBatches<T>(
  ids: readonly (string | null | undefined)[],
  max: number,
  call: (batch: string[]) => Promise<T[]>
): Promise<T[]> {
  const out: T[] = []
  for (const batch of idBatches(ids, max)) {
    out.push(...(await call(batch)))
  }
  return out
}

export interface PaginateOptions {
  /** Stop after this many pages even if the platform says there are more (a backstop, not a limit to rely on). */
  maxPages?: number
}

/**
 * The pages of a `page_token`-paged listing, first to last: `fetchPage(null)` for the first page, then the token each
 * page hands out until one hands out none. A token seen twice ends the walk with an error instead of looping forever
 * on a platform that keeps answering the same cursor.
 *
 * @example
 * for await (const page of paginate((token) => provider.listChangedOrders(session, { ...window, page_token: token }))) {
 *   await importOrders(page.items)
 * }
 */
export async function* paginate<T>(
  fetchPage: (pageToken: string | null) => Promise<Page<T>>,
  options: PaginateOptions = {}
): AsyncGenerator<Page<T>, void, undefined> {
  const seen = new Set<string>()
  let token: string | null = null
  for (let pages = 0; options.maxPages === undefined || pages < options.maxPages; pages++) {
    const page: Page<T> = await fetchPage(token)
    yield page
    if (!page.next_page_token) {
      return
    }
    if (seen.has(page.next_page_token)) {
      throw new Error(`The platform handed out the page token "${page.next_page_token}" twice`)
    }
    seen.add(page.next_page_token)
    token = page.next_page_token
  }
}

/** The items of every page, one at a time (see `paginate`). */
export async function* paginateItems<T>(
  fetchPage: (pageToken: string | null) => Promise<Page<T>>,
  options: PaginateOptions = {}
): AsyncGenerator<T, void, undefined> {
  for await (const page of paginate(fetchPage, options)) {
    yield* page.items
  }
}

/**
 * Reads a page token that a provider wrote as a number (an offset or a page number); null or "" is the first page,
 * `first`. Returns null for anything else, so the provider can answer with its own validation error.
 */
export function numericPageToken(token: string | null | undefined, first = 0): number | null {
  if (token === null || token === undefined || token === "") {
    return first
  }
  return /^\d+$/.test(token) ? Number(token) : null
}

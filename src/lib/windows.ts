/** A range of update times, [from, to). */
export type TimeWindow = { from: Date; to: Date }

/** One page of a platform's list call: its items and the token of the next page (null on the last one). */
export type ListPage<T> = { items: T[]; next_page_token: string | null }

/** A page as the walk yields it, with how far the walk has got. */
export type WindowPage<T> = ListPage<T> & {
  window: TimeWindow
  /**
   * Everything updated before this instant has been listed: the start of the range until a window's last
   * page is read, then that window's end. A resume point never passes a window still being paged.
   */
  done_until: Date
}

/**
 * [from, to) cut into consecutive windows no longer than the platform allows.
 *
 * @example
 * splitWindows(new Date("2026-01-01"), new Date("2026-01-31"), 15 * 86400) // 2 windows: 15 days, then 15 days
 */
export function splitWindows(from: Date, to: Date, maxSeconds: number): TimeWindow[] {
  const windows: TimeWindow[] = []
  for (let start = from.getTime(); start < to.getTime(); start += maxSeconds * 1000) {
    windows.push({ from: new Date(start), to: new Date(Math.min(start + maxSeconds * 1000, to.getTime())) })
  }
  return windows
}

/**
 * Walks a range the way platforms list by update time: window by window (each no longer than
 * `maxWindowSeconds`), and page by page inside each window with the page token the platform returned. A
 * page is fetched only when the consumer asks for it, so leaving the loop (a cancelled backfill) stops the
 * calls.
 *
 * @example
 * for await (const page of windowPages(range, limits.order_list_window_seconds, (window, page_token) =>
 *   provider.listChangedOrders(session, { updated_from: window.from, updated_to: window.to, page_token })
 * )) {
 *   await importOrders(page.items)
 *   cursor = page.done_until
 * }
 */
export async function* windowPages<T>(
  range: TimeWindow,
  maxWindowSeconds: number,
  fetchPage: (window: TimeWindow, pageToken: string | null) => Promise<ListPage<T>>
): AsyncGenerator<WindowPage<T>> {
  let doneUntil = range.from
  for (const window of splitWindows(range.from, range.to, maxWindowSeconds)) {
    let pageToken: string | null = null
    do {
      const page: ListPage<T> = await fetchPage(window, pageToken)
      pageToken = page.next_page_token
      if (!pageToken) doneUntil = window.to
      yield { ...page, window, done_until: doneUntil }
    } while (pageToken)
  }
}

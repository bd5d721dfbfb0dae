/**
 * `list` cut into consecutive parts of at most `size` items (the batch sizes platforms and queries allow).
 *
 * @example
 * chunk([1, 2, 3], 2) // [[1, 2], [3]]
 */
export const chunk = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, i * size + size))

/** Runs `task` over `items` with at most `limit` at once, keeping the input order in the results. */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** An exact decimal amount in the order's currency, as a string ("1234.5", "0", "-3.20"). Never a float. */
export type Money = string

/** One page of a paged list call. */
export interface Page<T> {
  items: T[]
  /** Null when this was the last page. */
  next_page_token: string | null
}

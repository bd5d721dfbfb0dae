import { Table } from "@medusajs/ui"

/** The table pager of the marketplace screens; nothing when everything fits on one page. */
export const Pager = ({
  count,
  pageSize,
  pageIndex,
  setPageIndex,
}: {
  count: number
  pageSize: number
  pageIndex: number
  setPageIndex: (f: (i: number) => number) => void
}) => {
  const pageCount = Math.max(1, Math.ceil(count / pageSize))
  return count > pageSize ? (
    <Table.Pagination
      count={count}
      pageSize={pageSize}
      pageIndex={pageIndex}
      pageCount={pageCount}
      canPreviousPage={pageIndex > 0}
      canNextPage={pageIndex + 1 < pageCount}
      previousPage={() => setPageIndex((i) => Math.max(0, i - 1))}
      nextPage={() => setPageIndex((i) => i + 1)}
    />
  ) : null
}

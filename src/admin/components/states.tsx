import { ExclamationCircle, Spinner } from "@medusajs/icons"
import { Button, Table, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { errorMessage } from "../lib/hooks"

/** Nothing to show yet. Every list renders this inside itself when empty. */
export const EmptyState = ({ title, description }: { title: string; description?: ReactNode }) => (
  <div data-testid="empty-state" className="flex flex-col items-center justify-center gap-y-1 px-6 py-10 text-center">
    <Text size="small" leading="compact" weight="plus">
      {title}
    </Text>
    {description ? (
      <Text size="small" className="text-ui-fg-subtle">
        {description}
      </Text>
    ) : null}
  </div>
)

export const LoadingState = ({ label = "Loading…" }: { label?: string }) => (
  <div data-testid="loading-state" role="status" className="text-ui-fg-subtle flex items-center justify-center gap-x-2 px-6 py-10">
    <Spinner className="animate-spin" />
    <Text size="small">{label}</Text>
  </div>
)

export const ErrorState = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => (
  <div data-testid="error-state" role="alert" className="flex flex-col items-center justify-center gap-y-2 px-6 py-10 text-center">
    <div className="text-ui-fg-error flex items-center gap-x-2">
      <ExclamationCircle />
      <Text size="small" weight="plus">
        Could not load this
      </Text>
    </div>
    <Text size="small" className="text-ui-fg-subtle">
      {errorMessage(error)}
    </Text>
    {onRetry ? (
      <Button size="small" variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    ) : null}
  </div>
)

/** A table body row spanning every column: for the empty, loading and error states of a table. */
export const TableStateRow = ({ colSpan, children }: { colSpan: number; children: ReactNode }) => (
  <Table.Row className="hover:bg-transparent">
    <td colSpan={colSpan} className="p-0">
      {children}
    </td>
  </Table.Row>
)

/** The state of a table's body: loading, error, empty or nothing (show the rows). */
export function tableState(
  q: { isLoading: boolean; isError: boolean; error: unknown; refetch: () => unknown },
  rows: unknown[] | undefined,
  colSpan: number,
  empty: { title: string; description?: ReactNode }
) {
  if (q.isLoading) {
    return (
      <TableStateRow colSpan={colSpan}>
        <LoadingState />
      </TableStateRow>
    )
  }
  if (q.isError && !rows) {
    return (
      <TableStateRow colSpan={colSpan}>
        <ErrorState error={q.error} onRetry={() => q.refetch()} />
      </TableStateRow>
    )
  }
  if (!rows?.length) {
    return (
      <TableStateRow colSpan={colSpan}>
        <EmptyState {...empty} />
      </TableStateRow>
    )
  }
  return null
}

import { StatusBadge } from "@medusajs/ui"

type Color = "green" | "red" | "blue" | "orange" | "grey" | "purple"

const COLORS: Record<string, Color> = {
  // connections
  active: "green",
  needs_reauth: "orange",
  disabled: "grey",
  // inbox events and tasks
  pending: "blue",
  processing: "purple",
  done: "green",
  failed: "orange",
  dead: "red",
  ignored: "grey",
  held: "orange",
  // sync runs
  running: "purple",
  completed: "green",
  cancelled: "grey",
  // listings
  matched: "green",
  unmatched: "orange",
  ambiguous: "red",
}

/** A status as Medusa's admin shows one: a coloured dot and the status itself as text. */
export const Status = ({ status, testId }: { status: string; testId?: string }) => (
  <StatusBadge color={COLORS[status] ?? "grey"} data-testid={testId}>
    {status}
  </StatusBadge>
)

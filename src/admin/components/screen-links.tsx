import { Text } from "@medusajs/ui"
import { Link } from "react-router-dom"

const SCREENS = [
  { to: "listings", label: "Listings", testId: "screen-link-listings" },
  { to: "held-prices", label: "Held prices", testId: "screen-link-held-prices" },
  { to: "returns", label: "Returns", testId: "screen-link-returns" },
  { to: "reconciliation", label: "Reconciliation", testId: "screen-link-reconciliation" },
  { to: "monitor", label: "Monitor", testId: "screen-link-monitor" },
]

/** Links to the screens under Marketplaces, limited to one shop when given. */
export const ScreenLinks = ({ connectionId }: { connectionId?: string }) => (
  <nav className="flex flex-wrap items-center gap-x-4 gap-y-1" data-testid="screen-links">
    {SCREENS.map((s) => (
      <Link
        key={s.to}
        to={`/marketplaces/${s.to}${connectionId ? `?connection_id=${connectionId}` : ""}`}
        data-testid={s.testId}
        className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover"
      >
        <Text size="small">{s.label}</Text>
      </Link>
    ))}
  </nav>
)

import { Container, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { Link } from "react-router-dom"

/** A screen under Marketplaces: the breadcrumb back to the list of shops, then the screen's sections. */
export const ScreenPage = ({
  crumbs,
  testId,
  children,
}: {
  /** The path after "Marketplaces": a label, or a label with the page it opens. */
  crumbs: (string | { label: string; to: string })[]
  testId: string
  children: ReactNode
}) => (
  <Container className="divide-y p-0" data-testid={testId}>
    <div className="px-6 py-4">
      <Text size="xsmall" className="text-ui-fg-subtle">
        <Link to="/marketplaces" className="hover:text-ui-fg-base">
          Marketplaces
        </Link>
        {crumbs.map((c, i) => (
          <span key={i}>
            {" / "}
            {typeof c === "string" ? (
              c
            ) : (
              <Link to={c.to} className="hover:text-ui-fg-base">
                {c.label}
              </Link>
            )}
          </span>
        ))}
      </Text>
    </div>
    {children}
  </Container>
)

import { Alert } from "@medusajs/ui"
import { useProviders } from "../lib/hooks"

/**
 * What the store still has to configure before shops can be connected or shipped: a marketplace provider left
 * out for missing options, none configured at all, or the fulfillment provider not registered. The same
 * sentences the server logs at start-up.
 */
export const SetupNotices = ({ fulfillment = true, providers: showProviders = true }: { fulfillment?: boolean; providers?: boolean }) => {
  const providers = useProviders()
  const data = providers.data
  if (!data) {
    return null
  }
  const notices: { key: string; testId: string; title: string; text: string }[] = []
  if (showProviders && !data.providers.length) {
    notices.push({
      key: "none",
      testId: "marketplace-not-configured",
      title: "No marketplace is configured",
      text: data.unconfigured.length
        ? data.unconfigured.map((u) => u.message).join(" ")
        : "Add a marketplace provider (e.g. Shopee, with SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY) to the plugin's options in medusa-config.ts and restart.",
    })
  } else if (showProviders) {
    for (const u of data.unconfigured) {
      notices.push({ key: `unconfigured-${u.id}`, testId: "marketplace-provider-unconfigured", title: `${u.display_name} is not configured`, text: u.message })
    }
  }
  if (fulfillment && data.fulfillment && !data.fulfillment.registered && data.fulfillment.message) {
    notices.push({
      key: "fulfillment",
      testId: "fulfillment-provider-missing",
      title: "The marketplace fulfillment provider is not registered",
      text: data.fulfillment.message,
    })
  }
  if (!notices.length) {
    return null
  }
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4">
      {notices.map((n) => (
        <Alert key={n.key} variant="warning" data-testid={n.testId}>
          <div className="flex flex-col gap-y-1">
            <span className="txt-compact-small-plus">{n.title}</span>
            <span className="txt-small">{n.text}</span>
          </div>
        </Alert>
      ))}
    </div>
  )
}

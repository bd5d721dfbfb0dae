import type { Provider } from "./types"
/** Dates and amounts as the merchant reads them, in the browser's locale and time zone. */

export const formatDateTime = (value: string | Date | null | undefined) => {
  if (!value) return "-"
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? "-" : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
}

/** "in 3 h", "5 min ago": for token expiry and last pull. */
export const formatRelative = (value: string | Date | null | undefined, now = Date.now()) => {
  if (!value) return "-"
  const t = new Date(value).getTime()
  if (Number.isNaN(t)) return "-"
  const diff = t - now
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" })
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), "second")
  if (abs < 3600_000) return rtf.format(Math.round(diff / 60_000), "minute")
  if (abs < 86400_000) return rtf.format(Math.round(diff / 3600_000), "hour")
  return rtf.format(Math.round(diff / 86400_000), "day")
}

export const formatAmount = (value: string | number | null | undefined, currency?: string | null) => {
  if (value === null || value === undefined || value === "") return "-"
  const n = Number(value)
  if (Number.isNaN(n)) return String(value)
  if (!currency) return n.toLocaleString()
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(n)
  } catch {
    return `${n.toLocaleString()} ${currency.toUpperCase()}`
  }
}

/** "shipping_seller_paid" -> "Shipping seller paid" */
export const humanize = (value: string) => {
  const s = value.replace(/[_.]+/g, " ").trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** A `YYYY-MM-DD` date input as the start of that local day. */
export const startOfLocalDay = (date: string) => {
  const [y, m, d] = date.split("-").map(Number)
  return new Date(y, m - 1, d)
}

/**
 * The label of an order's channel (e.g. "Tokopedia" on TikTok Shop) as the platform's provider declares it
 * (GET /admin/marketplace/providers); an undeclared one is humanised.
 */
export const orderChannelLabel = (providers: Provider[] | undefined, platform: string, channel: string) =>
  providers?.find((p) => p.id === platform)?.vocabulary.order_channels.find((c) => c.id === channel)?.label ?? humanize(channel)

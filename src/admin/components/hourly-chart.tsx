import { Text } from "@medusajs/ui"
import type { HourlyBucket } from "../lib/types"

const SERIES = [
  { key: "events_received", label: "Events received", className: "fill-ui-tag-blue-icon", swatch: "bg-ui-tag-blue-icon" },
  { key: "events_failed", label: "Events failed", className: "fill-ui-tag-red-icon", swatch: "bg-ui-tag-red-icon" },
  { key: "orders_imported", label: "Orders imported", className: "fill-ui-tag-green-icon", swatch: "bg-ui-tag-green-icon" },
] as const

const WIDTH = 720
const HEIGHT = 160
const PAD_LEFT = 28
const PAD_BOTTOM = 18

/** Events and imported orders per hour: grouped SVG bars, no chart library. */
export const HourlyChart = ({ buckets }: { buckets: HourlyBucket[] }) => {
  const peak = Math.max(0, ...buckets.flatMap((b) => SERIES.map((s) => b[s.key])))
  // A whole, even top so that the middle gridline is a whole number too.
  const max = Math.max(2, peak + (peak % 2))
  const plotW = WIDTH - PAD_LEFT
  const plotH = HEIGHT - PAD_BOTTOM
  const slot = plotW / Math.max(1, buckets.length)
  const bar = Math.max(1, (slot - 2) / SERIES.length)
  const y = (v: number) => plotH - (v / max) * (plotH - 6)
  const total = (key: (typeof SERIES)[number]["key"]) => buckets.reduce((n, b) => n + b[key], 0)

  return (
    <div data-testid="hourly-chart" className="flex flex-col gap-y-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        {SERIES.map((s) => (
          <div key={s.key} className="flex items-center gap-x-1.5">
            <span className={`inline-block h-2 w-2 rounded-sm ${s.swatch}`} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s.label} ({total(s.key)})
            </Text>
          </div>
        ))}
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-40 w-full"
        role="img"
        aria-label="Events and imported orders per hour"
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD_LEFT} x2={WIDTH} y1={y(max * f)} y2={y(max * f)} className="stroke-ui-border-base" strokeWidth={1} />
            <text x={PAD_LEFT - 4} y={y(max * f) + 3} textAnchor="end" className="fill-ui-fg-muted" fontSize={9}>
              {max * f}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x0 = PAD_LEFT + i * slot + 1
          const hour = new Date(b.hour)
          return (
            <g key={b.hour} data-hour={b.hour}>
              <title>
                {`${hour.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })}: ${b.events_received} received, ${b.events_failed} failed, ${b.orders_imported} orders`}
              </title>
              {SERIES.map((s, j) => {
                const v = b[s.key]
                return v > 0 ? (
                  <rect key={s.key} x={x0 + j * bar} y={y(v)} width={Math.max(1, bar - 0.5)} height={plotH - y(v)} className={s.className} rx={1} />
                ) : null
              })}
              {i % 3 === 0 ? (
                <text x={x0 + slot / 2} y={HEIGHT - 4} textAnchor="middle" className="fill-ui-fg-muted" fontSize={9}>
                  {hour.getHours().toString().padStart(2, "0")}h
                </text>
              ) : null}
            </g>
          )
        })}
      </svg>
    </div>
  )
}

import { Text } from "@medusajs/ui"

/** One line of the chart: a shop, its value per day. */
export type ChannelLine = { id: string; label: string; values: number[] }

// Tag colours of the admin's own palette, one per shop in turn.
const COLOURS = [
  { stroke: "stroke-ui-tag-blue-icon", swatch: "bg-ui-tag-blue-icon" },
  { stroke: "stroke-ui-tag-green-icon", swatch: "bg-ui-tag-green-icon" },
  { stroke: "stroke-ui-tag-orange-icon", swatch: "bg-ui-tag-orange-icon" },
  { stroke: "stroke-ui-tag-purple-icon", swatch: "bg-ui-tag-purple-icon" },
  { stroke: "stroke-ui-tag-red-icon", swatch: "bg-ui-tag-red-icon" },
]

const WIDTH = 720
const HEIGHT = 180
const PAD_LEFT = 44
const PAD_BOTTOM = 18

/** Shops compared day by day on one figure: one SVG line per shop, no chart library. */
export const ChannelChart = ({
  days,
  lines,
  format,
  label,
}: {
  days: string[]
  lines: ChannelLine[]
  format: (value: number) => string
  label: string
}) => {
  const peak = Math.max(0, ...lines.flatMap((l) => l.values))
  const max = peak > 0 ? peak : 1
  const plotW = WIDTH - PAD_LEFT - 8
  const plotH = HEIGHT - PAD_BOTTOM
  const x = (i: number) => PAD_LEFT + (days.length > 1 ? (i / (days.length - 1)) * plotW : plotW / 2)
  const y = (v: number) => plotH - (v / max) * (plotH - 8)
  // About eight date labels, whatever the range.
  const every = Math.max(1, Math.ceil(days.length / 8))

  return (
    <div data-testid="channel-chart" className="flex flex-col gap-y-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        {lines.map((line, i) => (
          <div key={line.id} className="flex items-center gap-x-1.5">
            <span className={`inline-block h-2 w-2 rounded-sm ${COLOURS[i % COLOURS.length].swatch}`} />
            <Text size="xsmall" className="text-ui-fg-subtle">
              {line.label}
            </Text>
          </div>
        ))}
      </div>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-44 w-full" role="img" aria-label={`${label} per day, per shop`} preserveAspectRatio="none">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD_LEFT} x2={WIDTH} y1={y(max * f)} y2={y(max * f)} className="stroke-ui-border-base" strokeWidth={1} />
            <text x={PAD_LEFT - 4} y={y(max * f) + 3} textAnchor="end" className="fill-ui-fg-muted" fontSize={9}>
              {peak > 0 ? format(max * f) : f === 0 ? "0" : ""}
            </text>
          </g>
        ))}
        {days.map((day, i) =>
          i % every === 0 ? (
            <text key={day} x={x(i)} y={HEIGHT - 4} textAnchor="middle" className="fill-ui-fg-muted" fontSize={9}>
              {day.slice(5)}
            </text>
          ) : null
        )}
        {lines.map((line, i) => (
          <g key={line.id} data-channel={line.id}>
            <polyline
              fill="none"
              strokeWidth={2}
              vectorEffect="non-scaling-stroke"
              className={COLOURS[i % COLOURS.length].stroke}
              points={line.values.map((v, j) => `${x(j)},${y(v)}`).join(" ")}
            />
            {line.values.map((v, j) => (
              <circle key={days[j]} cx={x(j)} cy={y(v)} r={days.length > 60 ? 0 : 2} className={`fill-ui-bg-base ${COLOURS[i % COLOURS.length].stroke}`}>
                <title>{`${line.label}, ${days[j]}: ${format(v)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
    </div>
  )
}

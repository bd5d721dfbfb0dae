import { clx } from "@medusajs/ui"

/** A horizontal progress bar, 0 to 1, with its percentage for screen readers and tests. */
export const ProgressBar = ({
  value,
  testId,
  status,
  className,
}: {
  value: number
  testId?: string
  status?: string
  className?: string
}) => {
  const ratio = Math.max(0, Math.min(1, Number.isFinite(value) ? value : 0))
  const percent = Math.round(ratio * 100)
  const color =
    status === "failed" ? "bg-ui-tag-red-icon" : status === "completed" ? "bg-ui-tag-green-icon" : "bg-ui-tag-blue-icon"
  return (
    <div className={clx("flex items-center gap-x-2", className)}>
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={testId}
        data-progress={percent}
        data-status={status}
        className="bg-ui-bg-switch-off h-2 w-full min-w-[80px] overflow-hidden rounded-full"
      >
        <div className={clx("h-full rounded-full transition-[width] duration-500", color)} style={{ width: `${percent}%` }} />
      </div>
      <span className="txt-compact-xsmall text-ui-fg-subtle w-9 shrink-0 text-right tabular-nums">{percent}%</span>
    </div>
  )
}

import { clx } from "@medusajs/ui"
import type { SelectHTMLAttributes } from "react"

/**
 * A native select styled like Medusa's inputs: keyboard and browser-automation friendly (a test can
 * `selectOption` it), used for filters and short option lists.
 */
export const NativeSelect = ({ className, children, ...props }: SelectHTMLAttributes<HTMLSelectElement>) => (
  <select
    {...props}
    className={clx(
      "bg-ui-bg-field shadow-buttons-neutral txt-compact-small text-ui-fg-base h-8 rounded-md px-2 outline-none",
      "hover:bg-ui-bg-field-hover focus-visible:shadow-borders-interactive-with-active disabled:text-ui-fg-disabled",
      className
    )}
  >
    {children}
  </select>
)

import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { ConnectionSettings } from "../../../modules/marketplace/types"
import { ensureConnectionShippingOptionStep } from "../../shipping/steps/ensure-connection-shipping-option"
import { linkChannelSalesChannelsStep } from "../steps/link-channel-sales-channels"
import { setConnectionLinksStep } from "../steps/set-connection-links"
import { setConnectionWarehousesStep } from "../steps/set-connection-warehouses"
import type { ConnectionWarehouseInput } from "../steps/set-connection-warehouses"
import { updateConnectionStep } from "../steps/update-connection"
import { validateConnectionReferencesStep } from "../steps/validate-connection-references"
import { validateConnectionSettingsStep } from "../steps/validate-connection-settings"

export type UpdateConnectionWorkflowInput = {
  id: string
  name?: string
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
  settings?: ConnectionSettings
  /**
   * Which stock locations feed which of the platform's warehouses (null: the shop as a whole). Replaces the
   * mapping; [] clears it, and the linked stock location feeds the shop again.
   */
  warehouses?: ConnectionWarehouseInput[]
  /** false disables the connection; true enables it again. */
  enabled?: boolean
}

export const updateConnectionWorkflowId = "update-marketplace-connection"

/**
 * Updates a connection's settings, the sales channel, stock location and region it feeds, and the stock
 * locations its warehouses count. Sales channels given to order channels are linked to the connection's stock
 * location when they are not yet.
 *
 * @example
 * await updateConnectionWorkflow(container).run({
 *   input: { id: "mpcon_123", sales_channel_id: "sc_123", settings: { stock_rules: { buffer: 2 } } },
 * })
 */
export const updateConnectionWorkflow = createWorkflow(
  updateConnectionWorkflowId,
  (input: UpdateConnectionWorkflowInput) => {
    validateConnectionReferencesStep(
      transform({ input }, ({ input }) => ({
        ...input,
        channel_sales_channel_ids: Object.values(input.settings?.channel_sales_channels ?? {}),
      }))
    )
    validateConnectionSettingsStep(transform({ input }, ({ input }) => ({ id: input.id, settings: input.settings })))

    const update = transform({ input }, ({ input }) => ({
      id: input.id,
      name: input.name,
      settings: input.settings,
      status:
        input.enabled === undefined ? undefined : input.enabled ? ("active" as const) : ("disabled" as const),
      last_error: input.enabled ? null : undefined,
    }))
    const connection = updateConnectionStep(update)

    const links = transform({ input }, ({ input }) => ({
      connection_id: input.id,
      sales_channel_id: input.sales_channel_id,
      stock_location_id: input.stock_location_id,
      region_id: input.region_id,
    }))
    setConnectionLinksStep(links)
    setConnectionWarehousesStep(
      transform({ input }, ({ input }) => ({ connection_id: input.id, warehouses: input.warehouses }))
    )

    // Sales channels of order channels see the connection's stock location (linked when they do not yet).
    when("link-channel-sales-channels", { input }, ({ input }) =>
      input.settings?.channel_sales_channels !== undefined || input.stock_location_id !== undefined
    ).then(() => {
      linkChannelSalesChannelsStep(transform({ input }, ({ input }) => ({ connection_id: input.id })))
    })

    // The connection's shipping option follows its stock location (and its name).
    when("ensure-connection-shipping-option", { input }, ({ input }) =>
      input.stock_location_id !== undefined || input.name !== undefined
    ).then(() => {
      ensureConnectionShippingOptionStep(transform({ input }, ({ input }) => ({ connection_id: input.id })))
    })

    return new WorkflowResponse(connection)
  }
)

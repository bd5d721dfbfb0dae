import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateConnectionReferencesStepInput = {
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
  /** Stock locations of the warehouse mapping. */
  warehouses?: { stock_location_id: string }[]
}

export const validateConnectionReferencesStepId = "validate-connection-references"

/**
 * Checks that the sales channel, stock location, region and warehouse locations a connection is pointed at
 * exist.
 *
 * @example
 * validateConnectionReferencesStep({ sales_channel_id: "sc_123", region_id: "reg_123" })
 */
export const validateConnectionReferencesStep = createStep(
  validateConnectionReferencesStepId,
  async (input: ValidateConnectionReferencesStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const checks = [
      ["sales_channel", input.sales_channel_id, "Sales channel"],
      ["stock_location", input.stock_location_id, "Stock location"],
      ["region", input.region_id, "Region"],
    ] as const
    for (const [entity, id, label] of checks) {
      if (!id) {
        continue
      }
      const { data } = await query.graph({ entity, fields: ["id"], filters: { id } })
      if (!data.length) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `${label} with id: ${id} was not found`)
      }
    }
    const mapped = [...new Set((input.warehouses ?? []).map((w) => w.stock_location_id))]
    if (mapped.length) {
      const { data } = await query.graph({ entity: "stock_location", fields: ["id"], filters: { id: mapped } })
      const found = new Set((data as { id: string }[]).map((row) => row.id))
      const missing = mapped.find((id) => !found.has(id))
      if (missing) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `Stock location with id: ${missing} was not found`)
      }
    }
    return new StepResponse(void 0)
  }
)

import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateConnectionReferencesStepInput = {
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
}

export const validateConnectionReferencesStepId = "validate-connection-references"

/**
 * Checks that the sales channel, stock location and region a connection is pointed at exist.
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
    return new StepResponse(void 0)
  }
)

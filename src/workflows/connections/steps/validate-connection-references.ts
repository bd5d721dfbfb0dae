import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { RemoteQueryFunction } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateConnectionReferencesStepInput = {
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
  /** Stock locations of the warehouse mapping. */
  warehouses?: { stock_location_id: string }[]
  /** Sales channels given to order channels (`settings.channel_sales_channels`). */
  channel_sales_channel_ids?: string[]
}

/** A 400 naming the first of `ids` (unset ones aside) that does not exist. */
async function checkAllExist(query: Pick<RemoteQueryFunction, "graph">, entity: string, ids: (string | null | undefined)[], label: string): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (!wanted.length) {
    return
  }
  const { data } = await query.graph({ entity, fields: ["id"], filters: { id: wanted } })
  const found = new Set((data as { id: string }[]).map((row) => row.id))
  const missing = wanted.find((id) => !found.has(id))
  if (missing) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${label} with id: ${missing} was not found`)
  }
}

export const validateConnectionReferencesStepId = "validate-connection-references"

/**
 * Checks that the sales channels (the connection's and its order channels'), stock location, region and
 * warehouse locations a connection is pointed at exist.
 *
 * @example
 * validateConnectionReferencesStep({ sales_channel_id: "sc_123", region_id: "reg_123" })
 */
export const validateConnectionReferencesStep = createStep(
  validateConnectionReferencesStepId,
  async (input: ValidateConnectionReferencesStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    await checkAllExist(query, "sales_channel", [input.sales_channel_id, ...(input.channel_sales_channel_ids ?? [])], "Sales channel")
    await checkAllExist(query, "stock_location", [input.stock_location_id, ...(input.warehouses ?? []).map((w) => w.stock_location_id)], "Stock location")
    await checkAllExist(query, "region", [input.region_id], "Region")
    return new StepResponse(void 0)
  }
)

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntity } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { disableConnectionWorkflow } from "../../../../../workflows/connections/workflows/disable-connection"
import { updateConnectionWorkflow } from "../../../../../workflows/connections/workflows/update-connection"
import { connectionCounts, startOfUtcDay } from "../../stats/aggregates"
import type { AdminUpdateConnectionType } from "../validators"

async function fetchConnection(req: AuthenticatedMedusaRequest<unknown>, fields: string[]) {
  const connection = await refetchEntity({
    entity: "connection",
    idOrFilter: req.params.id,
    scope: req.scope,
    fields,
  })
  if (!connection) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Connection with id: ${req.params.id} was not found`)
  }
  return connection
}

/**
 * GET /admin/marketplace/connections/:id, with `orders_today` (since `today_from`, UTC midnight by default)
 * and `failures` as in the list.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const connection = await fetchConnection(req, req.queryConfig.fields)
  const { today_from } = (req.validatedQuery ?? {}) as { today_from?: Date }
  const counts = await connectionCounts(req.scope, [req.params.id], today_from ?? startOfUtcDay())
  res.json({ connection: { ...connection, ...counts.get(req.params.id) } })
}

/** POST /admin/marketplace/connections/:id: settings, sales channel, stock location, region, enabled. */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminUpdateConnectionType>,
  res: MedusaResponse
) => {
  await updateConnectionWorkflow(req.scope).run({
    input: { id: req.params.id, ...req.validatedBody },
  })
  res.json({ connection: await fetchConnection(req, req.queryConfig.fields) })
}

/** DELETE /admin/marketplace/connections/:id: disables the connection; its history is kept. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await disableConnectionWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({
    id: req.params.id,
    object: "marketplace_connection",
    deleted: false,
    disabled: true,
    connection: await fetchConnection(req, req.queryConfig.fields),
  })
}

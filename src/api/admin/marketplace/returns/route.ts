import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refetchEntities } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../../../../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../../../../modules/marketplace/types"

/** A `solution` filter must be a return solution some configured provider declares. */
function checkSolutionFilter(req: AuthenticatedMedusaRequest): void {
  const solution = (req.filterableFields as { solution?: unknown }).solution
  if (typeof solution !== "string") {
    return
  }
  const marketplace = req.scope.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const declared = [...new Set(marketplace.listProviders().flatMap((p) => p.vocabulary.return_solutions.map((s) => s.id)))]
  if (!declared.includes(solution)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Invalid solution "${solution}": use ${declared.join(", ") || "none (no marketplace is configured)"}`
    )
  }
}

/** GET /admin/marketplace/returns: marketplace returns / refunds and the Medusa returns they became. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  checkSolutionFilter(req)
  const { data: returns, metadata } = await refetchEntities({
    entity: "return_link",
    idOrFilter: req.filterableFields,
    scope: req.scope,
    fields: req.queryConfig.fields,
    pagination: req.queryConfig.pagination,
  })
  res.json({ returns, count: metadata.count, offset: metadata.skip, limit: metadata.take })
}

import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"

export type SetConnectionLinksStepInput = {
  connection_id: string
  /** undefined: unchanged; null: unlinked; an id: linked to it (replacing the previous one). */
  sales_channel_id?: string | null
  stock_location_id?: string | null
  region_id?: string | null
}

type LinkTarget = { module: string; key: string; field: "sales_channel" | "stock_location" | "region" }

const TARGETS: Record<"sales_channel_id" | "stock_location_id" | "region_id", LinkTarget> = {
  sales_channel_id: { module: Modules.SALES_CHANNEL, key: "sales_channel_id", field: "sales_channel" },
  stock_location_id: { module: Modules.STOCK_LOCATION, key: "stock_location_id", field: "stock_location" },
  region_id: { module: Modules.REGION, key: "region_id", field: "region" },
}

type LinkDefinition = Record<string, Record<string, string>>

const linkOf = (connectionId: string, target: LinkTarget, id: string): LinkDefinition => ({
  [MARKETPLACE_MODULE]: { connection_id: connectionId },
  [target.module]: { [target.key]: id },
})

export const setConnectionLinksStepId = "set-connection-links"

/**
 * Points a connection at its sales channel, stock location and region (module links), replacing the
 * previous ones. Compensation restores the previous links.
 *
 * @example
 * setConnectionLinksStep({ connection_id: "mpcon_123", sales_channel_id: "sc_123", region_id: null })
 */
export const setConnectionLinksStep = createStep(
  setConnectionLinksStepId,
  async (input: SetConnectionLinksStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const {
      data: [current],
    } = await query.graph({
      entity: "connection",
      fields: ["id", "sales_channel.id", "stock_location.id", "region.id"],
      filters: { id: input.connection_id },
    })
    const currentLinks = (current ?? {}) as unknown as Record<string, { id: string } | null | undefined>

    const dismissed: LinkDefinition[] = []
    const created: LinkDefinition[] = []
    for (const [inputKey, target] of Object.entries(TARGETS)) {
      const wanted = input[inputKey as keyof typeof TARGETS]
      if (wanted === undefined) {
        continue
      }
      const existing = currentLinks[target.field]?.id ?? null
      if (existing === wanted) {
        continue
      }
      if (existing) {
        dismissed.push(linkOf(input.connection_id, target, existing))
      }
      if (wanted) {
        created.push(linkOf(input.connection_id, target, wanted))
      }
    }

    if (dismissed.length) {
      await link.dismiss(dismissed)
    }
    if (created.length) {
      await link.create(created)
    }
    return new StepResponse(void 0, { dismissed, created })
  },
  async (changes, { container }) => {
    if (!changes) {
      return
    }
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    if (changes.created.length) {
      await link.dismiss(changes.created)
    }
    if (changes.dismissed.length) {
      await link.create(changes.dismissed)
    }
  }
)

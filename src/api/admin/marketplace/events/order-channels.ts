import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type EventRow = { connection_id?: string | null; external_order_id?: string | null }

/**
 * Each event with `channel`: the channel its order came through (the order link's, e.g. "tokopedia"), null
 * for the platform's own orders, events about no order and orders not imported yet. One query for the page.
 */
export async function withOrderChannels<T extends EventRow>(scope: MedusaContainer, events: T[]): Promise<(T & { channel: string | null })[]> {
  const keyOf = (connectionId: string, externalOrderId: string) => `${connectionId}\u0000${externalOrderId}`
  const about = events.filter((e): e is T & { connection_id: string; external_order_id: string } => !!e.connection_id && !!e.external_order_id)
  const channels = new Map<string, string | null>()
  if (about.length) {
    const { data } = await scope.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order_link",
      fields: ["connection_id", "external_order_id", "channel"],
      filters: {
        connection_id: [...new Set(about.map((e) => e.connection_id))],
        external_order_id: [...new Set(about.map((e) => e.external_order_id))],
      },
    })
    for (const link of data as unknown as { connection_id: string; external_order_id: string; channel: string | null }[]) {
      channels.set(keyOf(link.connection_id, link.external_order_id), link.channel)
    }
  }
  return events.map((e) => ({
    ...e,
    channel: e.connection_id && e.external_order_id ? channels.get(keyOf(e.connection_id, e.external_order_id)) ?? null : null,
  }))
}

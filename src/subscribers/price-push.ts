import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { enqueuePricePushWorkflow } from "../workflows/stock/workflows/enqueue-price-push"

/** A variant's price created or changed becomes a price push to every shop selling the variant. */
export default async function pricePushHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const input = event.name.startsWith("pricing.")
    ? { price_ids: [event.data.id], reason: event.name }
    : { variant_ids: [event.data.id], reason: event.name }
  await enqueuePricePushWorkflow(container).run({ input })
}

export const config: SubscriberConfig = {
  event: ["pricing.price.created", "pricing.price.updated", "product-variant.updated"],
  context: { subscriberId: "marketplace-price-push" },
}

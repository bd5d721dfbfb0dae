import type { CreateOrderDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, isDefined, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MarketplaceOrder } from "../../../providers/types"
import { MARKETPLACE_DISCOUNT_CODE } from "./apply-marketplace-discount"
import {
  buyerEmail,
  discountByLine,
  marketplaceOrderMetadata,
  marketplaceShippingMethod,
  orderSalesChannelId,
  toMedusaAddress,
  toOrderItems,
  type ResolvedLine,
} from "../utils/order-input"

export type PrepareMarketplaceOrdersStepInput = {
  connection_id: string
  platform: string
  region_id: string
  /** The connection's sales channel, for orders whose channel has none of its own in `channel_sales_channels`. */
  sales_channel_id: string
  channel_sales_channels?: Record<string, string>
  shipping_option_id: string | null
  orders: MarketplaceOrder[]
  /** Variant of each marketplace line (resolveOrderItemsStep; a line id names the same item and model in every order). */
  lines: ResolvedLine[]
  /** Customer id of each buyer e-mail (ensureCustomersStep). */
  customers: Record<string, string>
}

type VariantRow = {
  id: string
  title: string | null
  sku: string | null
  barcode: string | null
  thumbnail: string | null
  product?: {
    id: string
    title: string
    description: string | null
    subtitle: string | null
    handle: string
    thumbnail: string | null
    discountable: boolean
    is_giftcard: boolean
    type?: { id: string; value: string } | null
    collection?: { title: string } | null
    shipping_profile?: { id: string } | null
  } | null
  inventory_items?: { inventory?: { requires_shipping: boolean } | null }[] | null
}

type TaxLine = {
  line_item_id?: string
  shipping_line_id?: string
  description?: string
  tax_rate_id?: string
  code: string
  rate: number
  provider_id?: string
}

const VARIANT_FIELDS = [
  "id",
  "title",
  "sku",
  "barcode",
  "thumbnail",
  "product.id",
  "product.title",
  "product.description",
  "product.subtitle",
  "product.handle",
  "product.thumbnail",
  "product.discountable",
  "product.is_giftcard",
  "product.type.id",
  "product.type.value",
  "product.collection.title",
  "product.shipping_profile.id",
  "inventory_items.inventory.requires_shipping",
]

const taxLineData = (l: TaxLine) => ({
  description: l.description,
  tax_rate_id: l.tax_rate_id,
  code: l.code,
  rate: l.rate,
  provider_id: l.provider_id,
})

export const prepareMarketplaceOrdersStepId = "prepare-marketplace-orders"

/**
 * The order module's input for a batch of new marketplace orders: what createOrderWorkflow builds for one
 * order (line items carrying their variant's product data, tax lines from the Tax module for regions with
 * automatic taxes), with the marketplace's own prices and discount (as tax-inclusive line adjustments) and
 * no stock check, since the marketplace has sold the goods already. Reads: one variant query, one region
 * query, and one tax calculation per order whose country has a tax region.
 *
 * @example
 * const orders = prepareMarketplaceOrdersStep({ connection_id, platform: "shopee", region_id, sales_channel_id, shipping_option_id, orders, lines, customers })
 */
export const prepareMarketplaceOrdersStep = createStep(
  prepareMarketplaceOrdersStepId,
  async (input: PrepareMarketplaceOrdersStepInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const variantIds = [...new Set(input.lines.map((l) => l.variant_id).filter((id): id is string => !!id))]
    const [{ data: variantRows }, { data: regions }] = await Promise.all([
      variantIds.length
        ? query.graph({ entity: "product_variant", fields: VARIANT_FIELDS, filters: { id: variantIds } })
        : Promise.resolve({ data: [] as unknown[] }),
      query.graph({ entity: "region", fields: ["id", "automatic_taxes"], filters: { id: input.region_id } }),
    ])
    const variants = new Map((variantRows as unknown as VariantRow[]).map((v) => [v.id, v]))
    const automaticTaxes = !!(regions[0] as { automatic_taxes?: boolean } | undefined)?.automatic_taxes

    // What createOrderWorkflow refuses, refused here too (the batch then fails, and each order is imported on
    // its own, where the refusal stays with its order).
    for (const o of input.orders) {
      for (const item of o.items) {
        if (!isDefined(item.unit_price) || item.unit_price === "") {
          throw new MedusaError(MedusaError.Types.INVALID_DATA, `Items ${item.title} do not have a price`)
        }
        if (MathBN.lte(item.quantity, 0)) {
          throw new MedusaError(MedusaError.Types.INVALID_DATA, "Item quantity must be greater than 0")
        }
      }
    }

    const prepared = input.orders.map((o) => {
      const address = toMedusaAddress(o.shipping_address, o.country_code)
      const email = buyerEmail(input.platform, o)
      const discounts = new Map(discountByLine(o).map((d) => [d.line_id, d.amount]))
      const items = toOrderItems(o, input.lines).map((item) => {
        const lineId = String(item.metadata.marketplace_line_id)
        const variant = "variant_id" in item && item.variant_id ? variants.get(item.variant_id) : undefined
        const product = variant?.product ?? null
        const discount = discounts.get(lineId)
        return {
          ...item,
          subtitle: item.subtitle ?? variant?.title ?? undefined,
          thumbnail: variant?.thumbnail ?? product?.thumbnail ?? undefined,
          product_id: product?.id,
          product_title: product?.title,
          product_description: product?.description ?? undefined,
          product_subtitle: product?.subtitle ?? undefined,
          product_type: product?.type?.value ?? undefined,
          product_type_id: product?.type?.id ?? undefined,
          product_collection: product?.collection?.title ?? undefined,
          product_handle: product?.handle,
          variant_sku: variant?.sku ?? undefined,
          variant_barcode: variant?.barcode ?? undefined,
          variant_title: variant?.title ?? undefined,
          is_discountable: product?.discountable,
          is_giftcard: product?.is_giftcard ?? false,
          requires_shipping:
            "requires_shipping" in item
              ? item.requires_shipping
              : !!product?.shipping_profile?.id || !!variant?.inventory_items?.some((i) => i.inventory?.requires_shipping),
          is_custom_price: true,
          adjustments: discount
            ? [
                {
                  code: MARKETPLACE_DISCOUNT_CODE,
                  amount: discount as unknown as number,
                  description: "Discount given on the marketplace",
                  is_tax_inclusive: true,
                },
              ]
            : [],
          tax_lines: [] as ReturnType<typeof taxLineData>[],
        }
      })
      const shipping = {
        ...marketplaceShippingMethod(o, input.shipping_option_id),
        tax_lines: [] as ReturnType<typeof taxLineData>[],
      }
      const order = {
        region_id: input.region_id,
        sales_channel_id: orderSalesChannelId(input, input.sales_channel_id, o) as string,
        customer_id: input.customers[email],
        email,
        currency_code: o.currency_code.toLowerCase(),
        status: "pending",
        shipping_address: address,
        billing_address: address,
        items,
        shipping_methods: [shipping],
        metadata: marketplaceOrderMetadata(input.platform, input.connection_id, o),
      }
      return { order, address, email }
    })

    if (automaticTaxes) {
      const tax = container.resolve(Modules.TAX)
      const countries = [...new Set(prepared.map((p) => p.address?.country_code).filter((c): c is string => !!c))]
      // getTaxLines answers nothing for a country without a tax region: ask only where there is one.
      const taxed = new Set(
        countries.length
          ? (await tax.listTaxRegions({ country_code: countries }, { select: ["country_code"] })).map((r) => r.country_code)
          : []
      )
      for (const p of prepared) {
        if (!p.address?.country_code || !taxed.has(p.address.country_code)) continue
        const lines = (await tax.getTaxLines(
          [
            ...p.order.items.map((item, i) => ({
              id: String(i),
              product_id: item.product_id as string,
              product_type_id: item.product_type_id,
              quantity: item.quantity as unknown as number,
              unit_price: item.unit_price as unknown as number,
              currency_code: p.order.currency_code,
            })),
            ...p.order.shipping_methods.map((m, i) => ({
              id: `shipping:${i}`,
              shipping_option_id: m.shipping_option_id as string,
              unit_price: m.amount,
              currency_code: p.order.currency_code,
            })),
          ],
          {
            address: {
              country_code: p.address.country_code,
              province_code: p.address.province,
              address_1: p.address.address_1,
              address_2: p.address.address_2,
              city: p.address.city,
              postal_code: p.address.postal_code,
              metadata: p.address.metadata,
            },
            customer: { id: p.order.customer_id, email: p.email, customer_groups: [], metadata: null },
            is_return: false,
          } as never
        )) as TaxLine[]
        for (const line of lines) {
          if (line.line_item_id !== undefined) p.order.items[Number(line.line_item_id)]?.tax_lines.push(taxLineData(line))
          if (line.shipping_line_id !== undefined) {
            p.order.shipping_methods[Number(line.shipping_line_id.split(":")[1])]?.tax_lines.push(taxLineData(line))
          }
        }
      }
    }
    return new StepResponse(prepared.map((p) => p.order) as unknown as CreateOrderDTO[])
  }
)

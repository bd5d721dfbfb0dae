import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

const oneOrMany = <T extends z.ZodTypeAny>(schema: T) => z.union([schema, z.array(schema)])

export const AdminGetConnectionParams = createSelectParams().extend({
  /** Start of "today" for `orders_today` (the admin's local midnight); UTC midnight by default. */
  today_from: z.coerce.date().optional(),
})
export type AdminGetConnectionParamsType = z.infer<typeof AdminGetConnectionParams>

export const AdminGetConnectionsParams = createFindParams({ limit: 20, offset: 0, order: "-created_at" }).extend({
  q: z.string().optional(),
  platform: oneOrMany(z.string()).optional(),
  status: oneOrMany(z.enum(["active", "needs_reauth", "disabled"])).optional(),
  /** Start of "today" for each row's `orders_today` (the admin's local midnight); UTC midnight by default. */
  today_from: z.coerce.date().optional(),
})
export type AdminGetConnectionsParamsType = z.infer<typeof AdminGetConnectionsParams>

export const StockRulesSchema = z.strictObject({
  buffer: z.number().int().min(0).optional(),
  percentage: z.number().min(0).max(100).optional(),
  max: z.number().int().min(0).optional(),
})

export const ConnectionSettingsSchema = z.strictObject({
  import_unpaid: z.boolean().optional(),
  pull_interval_minutes: z.number().int().min(1).max(1440).optional(),
  stock_rules: StockRulesSchema.optional(),
  sync_stock: z.boolean().optional(),
  sync_price: z.boolean().optional(),
  price_change_guard: z.number().gt(0).max(10).optional(),
  /** Checked against the connection's provider's ship methods (validateConnectionSettingsStep). */
  ship_method: z.string().trim().min(1).optional(),
  /**
   * Order channel -> sales channel id. Channels are checked against the provider's declared order channels
   * (validateConnectionSettingsStep), sales channels for existence (validateConnectionReferencesStep).
   */
  channel_sales_channels: z
    .record(
      z.string().trim().regex(/^[a-z0-9_-]{1,64}$/, "An order channel id is lower case letters, digits, _ or -"),
      z.string().trim().min(1).max(100)
    )
    .refine((map) => Object.keys(map).length <= 20, "At most 20 order channels")
    .optional(),
})

const nullableId = z.string().min(1).nullable().optional()

export const AdminUpdateConnection = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  sales_channel_id: nullableId,
  stock_location_id: nullableId,
  region_id: nullableId,
  settings: ConnectionSettingsSchema.optional(),
  /**
   * The stock locations each of the platform's warehouses counts (null warehouse: the shop as a whole, for
   * platforms without warehouses). Replaces the mapping; [] clears it (the stock location then feeds the shop).
   */
  warehouses: z
    .array(
      z.strictObject({
        stock_location_id: z.string().min(1),
        external_warehouse_id: z.string().min(1).max(100).nullable(),
      })
    )
    .max(100)
    .optional(),
  /** false disables the connection (nothing syncs, history kept); true turns it back on. */
  enabled: z.boolean().optional(),
})
export type AdminUpdateConnectionType = z.infer<typeof AdminUpdateConnection>

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { stockUpdatesOf } from "../../tasks/steps/send-pushes"
import { computeStockValues, warehouseMappings, type PushConnection, type PushListing } from "../utils/stock-values"

type Level = { inventory_item_id: string; location_id: string; stocked_quantity: number; reserved_quantity: number }

/** A container whose query answers inventory levels from memory, filtered as the real query filters them. */
const containerWith = (levels: Level[]) =>
  ({
    resolve: (key: string) => {
      if (key !== ContainerRegistrationKeys.QUERY) throw new Error(`unexpected ${key}`)
      return {
        graph: async ({ filters }: { filters: { inventory_item_id: string[]; location_id: string[] } }) => ({
          data: levels.filter(
            (l) => filters.inventory_item_id.includes(l.inventory_item_id) && filters.location_id.includes(l.location_id)
          ),
        }),
      }
    },
  }) as unknown as MedusaContainer

const listing = (id: string, parts: { inventory_item_id: string; required_quantity: number }[]): PushListing => ({
  id,
  connection_id: "mpcon_1",
  external_item_id: "11",
  external_model_id: "21",
  match_status: "matched",
  stock_rules: null,
  external_price: null,
  external_stock: null,
  last_pushed_price: null,
  last_pushed_stock: null,
  product_variant: { id: `variant_${id}`, manage_inventory: true, inventory_items: parts },
})

const connection = (warehouses: PushConnection["warehouses"], settings: PushConnection["settings"] = null): PushConnection => ({
  id: "mpcon_1",
  platform: "double",
  status: "active",
  currency_code: "idr",
  settings,
  stock_location: { id: "sloc_linked" },
  warehouses,
})

describe("warehouse mapping", () => {
  it("defaults to the linked stock location feeding the shop, and groups locations by warehouse", () => {
    expect(warehouseMappings(connection([]))).toEqual([{ external_location_id: null, location_ids: ["sloc_linked"] }])
    expect(warehouseMappings({ stock_location: null, warehouses: [] })).toEqual([])
    expect(
      warehouseMappings(
        connection([
          { stock_location_id: "sloc_a", external_warehouse_id: "WH-1" },
          { stock_location_id: "sloc_b", external_warehouse_id: "WH-2" },
          { stock_location_id: "sloc_c", external_warehouse_id: "WH-1" },
        ])
      )
    ).toEqual([
      { external_location_id: "WH-1", location_ids: ["sloc_a", "sloc_c"] },
      { external_location_id: "WH-2", location_ids: ["sloc_b"] },
    ])
  })

  it("computes each warehouse from its locations (kits per location) and the rules per warehouse", async () => {
    const levels: Level[] = [
      { inventory_item_id: "iitem_1", location_id: "sloc_a", stocked_quantity: 10, reserved_quantity: 2 },
      { inventory_item_id: "iitem_1", location_id: "sloc_c", stocked_quantity: 5, reserved_quantity: 0 },
      { inventory_item_id: "iitem_1", location_id: "sloc_b", stocked_quantity: 4, reserved_quantity: 0 },
      { inventory_item_id: "iitem_2", location_id: "sloc_a", stocked_quantity: 9, reserved_quantity: 0 },
      { inventory_item_id: "iitem_2", location_id: "sloc_c", stocked_quantity: 1, reserved_quantity: 0 },
      { inventory_item_id: "iitem_2", location_id: "sloc_b", stocked_quantity: 100, reserved_quantity: 0 },
    ]
    const values = await computeStockValues(
      containerWith(levels),
      connection(
        [
          { stock_location_id: "sloc_a", external_warehouse_id: "WH-1" },
          { stock_location_id: "sloc_c", external_warehouse_id: "WH-1" },
          { stock_location_id: "sloc_b", external_warehouse_id: "WH-2" },
        ],
        { stock_rules: { buffer: 1 } }
      ),
      [
        listing("plain", [{ inventory_item_id: "iitem_1", required_quantity: 1 }]),
        listing("kit", [
          { inventory_item_id: "iitem_1", required_quantity: 1 },
          { inventory_item_id: "iitem_2", required_quantity: 2 },
        ]),
      ]
    )
    // WH-1: (10 - 2) + 5 = 13 available, 12 after the buffer; WH-2: 4, 3 after the buffer.
    expect(values.get("plain")).toEqual({
      ok: true,
      quantity: 15,
      available: 17,
      warehouses: [
        { external_location_id: "WH-1", quantity: 12, available: 13 },
        { external_location_id: "WH-2", quantity: 3, available: 4 },
      ],
    })
    // Kit at sloc_a: min(8, 9/2=4) = 4; at sloc_c: min(5, 1/2=0) = 0; WH-1 = 4; WH-2: min(4, 50) = 4.
    expect(values.get("kit")).toEqual({
      ok: true,
      quantity: 6,
      available: 8,
      warehouses: [
        { external_location_id: "WH-1", quantity: 3, available: 4 },
        { external_location_id: "WH-2", quantity: 3, available: 4 },
      ],
    })
  })

  it("refuses the listing when a mapped location of any warehouse has no level, never counting it as zero", async () => {
    const values = await computeStockValues(
      containerWith([{ inventory_item_id: "iitem_1", location_id: "sloc_a", stocked_quantity: 10, reserved_quantity: 0 }]),
      connection([
        { stock_location_id: "sloc_a", external_warehouse_id: "WH-1" },
        { stock_location_id: "sloc_gone", external_warehouse_id: "WH-2" },
      ]),
      [listing("plain", [{ inventory_item_id: "iitem_1", required_quantity: 1 }])]
    )
    expect(values.get("plain")).toEqual({
      ok: false,
      error: "Inventory item iitem_1 of variant variant_plain has no level at stock location sloc_gone (warehouse WH-2): stock not pushed",
    })
  })
})

describe("stock updates per warehouse", () => {
  it("sends one update per warehouse with its id, and none for the shop as a whole", () => {
    expect(
      stockUpdatesOf([
        {
          external_item_id: "11",
          external_model_id: "21",
          quantity: 15,
          warehouses: [
            { external_location_id: "WH-1", quantity: 12 },
            { external_location_id: "WH-2", quantity: 3 },
          ],
        },
        { external_item_id: "12", external_model_id: "0", quantity: 4, warehouses: [{ external_location_id: null, quantity: 4 }] },
      ])
    ).toEqual([
      { external_item_id: "11", external_model_id: "21", quantity: 12, external_location_id: "WH-1" },
      { external_item_id: "11", external_model_id: "21", quantity: 3, external_location_id: "WH-2" },
      { external_item_id: "12", external_model_id: "0", quantity: 4 },
    ])
  })
})

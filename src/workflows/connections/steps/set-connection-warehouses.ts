import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MARKETPLACE_MODULE } from "../../../modules/marketplace/types"
import type MarketplaceModuleService from "../../../modules/marketplace/services/marketplace-module-service"

export type ConnectionWarehouseInput = { stock_location_id: string; external_warehouse_id: string | null }

export type SetConnectionWarehousesStepInput = {
  connection_id: string
  /** The whole mapping; undefined leaves it; [] clears it (the linked stock location then feeds the shop). */
  warehouses?: ConnectionWarehouseInput[]
}

export const setConnectionWarehousesStepId = "set-connection-warehouses"

/**
 * Replaces which Medusa stock locations feed which of the platform's warehouses for a connection (a null
 * warehouse is the shop as a whole); restores the previous mapping on compensation.
 *
 * @example
 * setConnectionWarehousesStep({ connection_id: "mpcon_123", warehouses: [{ stock_location_id: "sloc_1", external_warehouse_id: null }] })
 */
export const setConnectionWarehousesStep = createStep(
  setConnectionWarehousesStepId,
  async (input: SetConnectionWarehousesStepInput, { container }) => {
    if (input.warehouses === undefined) {
      return new StepResponse(void 0)
    }
    const locations = input.warehouses.map((w) => w.stock_location_id)
    const repeated = locations.find((id, i) => locations.indexOf(id) !== i)
    if (repeated) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Stock location ${repeated} is mapped twice: a location feeds one warehouse`
      )
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    const previous = await marketplace.listConnectionWarehouses({ connection_id: input.connection_id })
    if (previous.length) {
      await marketplace.deleteConnectionWarehouses(previous.map((w) => w.id))
    }
    const created = input.warehouses.length
      ? await marketplace.createConnectionWarehouses(
          input.warehouses.map((w) => ({
            connection_id: input.connection_id,
            stock_location_id: w.stock_location_id,
            external_warehouse_id: w.external_warehouse_id,
          }))
        )
      : []
    return new StepResponse(void 0, {
      created_ids: created.map((w) => w.id),
      previous: previous.map((w) => ({
        connection_id: input.connection_id,
        stock_location_id: w.stock_location_id,
        external_warehouse_id: w.external_warehouse_id,
      })),
    })
  },
  async (undo, { container }) => {
    if (!undo) {
      return
    }
    const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
    if (undo.created_ids.length) {
      await marketplace.deleteConnectionWarehouses(undo.created_ids)
    }
    if (undo.previous.length) {
      await marketplace.createConnectionWarehouses(undo.previous)
    }
  }
)

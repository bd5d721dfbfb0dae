import { defineJoinerConfig } from "@medusajs/framework/utils"
import {
  Authorization,
  Connection,
  ConnectionWarehouse,
  Cursor,
  EscrowChange,
  Listing,
  MarketplaceEvent,
  OrderLink,
  ReconciliationReport,
  ReturnLink,
  SyncRun,
  Task,
} from "./models"
import { MARKETPLACE_MODULE } from "./types"

/**
 * What `query.graph` and module links can reach. AuthorizationSecret and OauthState are left out on purpose:
 * nothing outside the module's own methods can read them.
 */
export const joinerConfig = defineJoinerConfig(MARKETPLACE_MODULE, {
  models: [Authorization, Connection, ConnectionWarehouse, Listing, OrderLink, ReturnLink, MarketplaceEvent, Task, Cursor, SyncRun, EscrowChange, ReconciliationReport],
})

import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type MarketplaceModuleService from "../modules/marketplace/services/marketplace-module-service"
import { MARKETPLACE_MODULE } from "../modules/marketplace/types"

/**
 * Re-encrypts every stored marketplace credential with the current key.
 *
 * 1. Put the new key in MARKETPLACE_ENCRYPTION_KEY and the old one in MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS.
 * 2. Run `npx medusa exec ./src/scripts/rotate-encryption-key.ts` (in this repo: `npm run rotate-key`; in an
 *    app: `npx medusa exec ./node_modules/medusa-marketplace-sync/.medusa/server/src/scripts/rotate-encryption-key.js`).
 * 3. Remove MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS.
 */
export default async function rotateEncryptionKey({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const marketplace = container.resolve<MarketplaceModuleService>(MARKETPLACE_MODULE)
  const { total, rotated, key_id } = await marketplace.rotateEncryptionKey()
  logger.info(
    `Marketplace credentials: ${rotated} of ${total} re-encrypted with key ${key_id}; ` +
      "you can now remove MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS."
  )
}

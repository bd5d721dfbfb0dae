import type { LoaderOptions } from "@medusajs/framework/types"
import type { MarketplaceModuleOptions } from "../types"
import { parseEncryptionKey, parseKeyList } from "../utils/crypto"

/** Refuses to start without a valid encryption key: tokens must never be stored in clear. */
export default async function validateOptionsLoader({
  options,
}: LoaderOptions<MarketplaceModuleOptions>): Promise<void> {
  parseEncryptionKey(options?.encryptionKey ?? process.env.MARKETPLACE_ENCRYPTION_KEY, "the encryption key")
  parseKeyList(options?.previousEncryptionKeys)
}

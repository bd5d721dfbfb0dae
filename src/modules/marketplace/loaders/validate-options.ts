import type { LoaderOptions } from "@medusajs/framework/types"
import { resolveMarketplaceSettings } from "../options"
import type { MarketplaceModuleOptions } from "../types"
import { parseEncryptionKey, parseKeyList } from "../utils/crypto"

/**
 * Refuses to start on settings the plugin cannot use: a missing or malformed encryption key (tokens must
 * never be stored in clear) or any option, or the environment variable behind it, that does not parse.
 */
export default async function validateOptionsLoader({
  options,
}: LoaderOptions<MarketplaceModuleOptions>): Promise<void> {
  const settings = resolveMarketplaceSettings(options)
  parseEncryptionKey(settings.encryptionKey, "the encryption key")
  parseKeyList(settings.previousEncryptionKeys)
}

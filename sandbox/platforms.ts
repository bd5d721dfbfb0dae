import type { SandboxCliRegistry } from "./kit/cli"
import { LAZADA_CLI } from "./lazada/cli"
import { SHOPEE_CLI } from "./shopee/cli"
import { TIKTOK_SHOP_CLI } from "./tiktok-shop/cli"

/** The sandboxes `--platform` can start. A new platform is one entry here. */
export const SANDBOX_PLATFORMS: SandboxCliRegistry = {
  shopee: SHOPEE_CLI,
  "tiktok-shop": TIKTOK_SHOP_CLI,
  lazada: LAZADA_CLI,
}

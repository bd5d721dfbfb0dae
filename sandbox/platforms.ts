import type { SandboxCliRegistry } from "./kit/cli"
import { SHOPEE_CLI } from "./shopee/cli"

/** The sandboxes `--platform` can start. A new platform is one entry here. */
export const SANDBOX_PLATFORMS: SandboxCliRegistry = {
  shopee: SHOPEE_CLI,
}

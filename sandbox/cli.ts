/**
 * Start a marketplace sandbox from the command line:
 *   npm run sandbox -- --platform shopee --port 4010 --partner-id 100001 --partner-key KEY
 *                      [--push-key K] [--callback-url URL] [--seed-shop] [--orders-per-minute N] [--seed N]
 * Platforms come from the registry in platforms.ts; the flags every platform shares are the kit's.
 */
import { runSandboxCli } from "./kit/cli"
import { SANDBOX_PLATFORMS } from "./platforms"

runSandboxCli(SANDBOX_PLATFORMS, process.argv.slice(2), process.env)

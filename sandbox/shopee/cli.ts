import { withDefaultNote, type CliFlag, type SandboxCliPlatform } from "../kit/cli"
import { DEMO_SHOP_ID, DEMO_SKUS } from "./catalogue"
import { startOrderFlow } from "./flow"
import { CONTROL_API_SUMMARY, startShopeeSandbox } from "./server"

const PARTNER_ID: CliFlag = { name: "partner-id", kind: "int", default: 100001, describe: "Shopee partner id" }
const PARTNER_KEY: CliFlag = { name: "partner-key", kind: "string", default: "sandbox-partner-key", describe: "key that signs API calls" }
const PUSH_KEY: CliFlag = { name: "push-key", kind: "string", describe: "key that signs pushes (default: the partner key)" }

/** `--platform shopee`: partner credentials as flags, the demo shop 880001 with the demo catalogue. */
export const SHOPEE_CLI: SandboxCliPlatform = {
  id: "shopee",
  title: "Shopee Open Platform v2",
  flags: [PARTNER_ID, PARTNER_KEY, PUSH_KEY],
  async start({ port, host, callbackUrl, seed, values, logger }) {
    const partnerId = Number(values.get(PARTNER_ID.name))
    const partnerKey = String(values.get(PARTNER_KEY.name))
    const pushKey = values.get(PUSH_KEY.name)
    const sandbox = await startShopeeSandbox({
      port,
      host,
      partnerId,
      partnerKey,
      pushKey: pushKey === undefined ? undefined : String(pushKey),
      callbackUrl,
      seed,
      logger,
    })
    return {
      url: sandbox.url,
      port: sandbox.port,
      close: () => sandbox.close(),
      credentialLines: [
        `  partner id   ${withDefaultNote(values, PARTNER_ID)}`,
        // Only the well-known default key is shown; a real-looking key stays out of the terminal.
        `  partner key  ${partnerKey === PARTNER_KEY.default ? withDefaultNote(values, PARTNER_KEY) : "(from --partner-key)"}`,
        `  push key     ${pushKey === undefined ? "same as partner key" : "(from --push-key)"}`,
      ],
      usageLines: [
        `  base URL     ${sandbox.url}  (set SHOPEE_BASE_URL to this)`,
        `  authorize    ${sandbox.url}/api/v2/shop/auth_partner?partner_id&timestamp&sign&redirect`,
      ],
      seedDemoShop: () => {
        sandbox.createShop({ shop_id: DEMO_SHOP_ID, shop_name: "Sandbox Demo Shop", region: "SG" })
        sandbox.seedDemoCatalogue(DEMO_SHOP_ID)
        return `${DEMO_SHOP_ID} (SG, SGD) with SKUs ${DEMO_SKUS.join(", ")}`
      },
      startFlow: (perMinute) => startOrderFlow(sandbox, DEMO_SHOP_ID, perMinute),
      controlSummary: CONTROL_API_SUMMARY,
    }
  },
}

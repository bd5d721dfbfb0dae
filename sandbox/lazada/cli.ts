import { withDefaultNote, type CliFlag, type SandboxCliPlatform } from "../kit/cli"
import { LAZADA_CONTROL_SUMMARY } from "./platform"
import { DEMO_SELLERS, seedDemoAccount, startLazadaSandbox } from "./server"

const APP_KEY: CliFlag = { name: "app-key", kind: "string", default: "100001", describe: "Lazada app key" }
const APP_SECRET: CliFlag = { name: "app-secret", kind: "string", default: "sandbox-app-secret", describe: "secret that signs calls and pushes" }

/** `--platform lazada`: app credentials as flags; the demo account sells in SG and MY. */
export const LAZADA_CLI: SandboxCliPlatform = {
  id: "lazada",
  title: "Lazada Open Platform",
  flags: [APP_KEY, APP_SECRET],
  async start({ port, host, callbackUrl, seed, values, logger }) {
    const appSecret = String(values.get(APP_SECRET.name))
    const sandbox = await startLazadaSandbox({ port, host, appKey: String(values.get(APP_KEY.name)), appSecret, seed, logger })
    sandbox.setPushConfig(callbackUrl ?? null)
    return {
      url: sandbox.url,
      port: sandbox.port,
      close: () => sandbox.close(),
      credentialLines: [
        `  app key      ${withDefaultNote(values, APP_KEY)}`,
        `  app secret   ${appSecret === APP_SECRET.default ? withDefaultNote(values, APP_SECRET) : "(from --app-secret)"}`,
      ],
      usageLines: [
        `  auth URL     ${sandbox.authUrl}  (set LAZADA_AUTH_URL to this)`,
        `  API URLs     ${sandbox.apiUrlTemplate}  (set LAZADA_API_URL_TEMPLATE to this)`,
      ],
      seedDemoShop: () => {
        seedDemoAccount(sandbox)
        return `account demo-seller@lazada.sandbox: SG seller ${DEMO_SELLERS.sg}, MY seller ${DEMO_SELLERS.my}`
      },
      startFlow: () => () => undefined,
      controlSummary: LAZADA_CONTROL_SUMMARY,
    }
  },
}

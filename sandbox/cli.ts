/**
 * Start a marketplace sandbox from the command line:
 *   npm run sandbox -- --platform shopee --port 4010 --partner-id 100001 --partner-key KEY
 *                      [--push-key K] [--callback-url URL] [--seed-shop] [--orders-per-minute N]
 */
import { CONTROL_API_SUMMARY, DEMO_SHOP_ID, DEMO_SKUS, startOrderFlow, startShopeeSandbox } from "./shopee/index"

const DEFAULTS = { port: 4010, partnerId: 100001, partnerKey: "sandbox-partner-key" }

interface CliArgs {
  platform: string
  port: number
  host: string
  partnerId: number
  partnerKey: string
  pushKey?: string
  callbackUrl?: string
  seedShop: boolean
  ordersPerMinute: number
}

function parseArgs(argv: string[]): CliArgs {
  const values = new Map<string, string>()
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith("--")) throw new Error(`Unexpected argument ${arg}`)
    const [name, inline] = arg.slice(2).split("=", 2)
    if (inline !== undefined) values.set(name, inline)
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) values.set(name, argv[++i])
    else flags.add(name)
  }
  const int = (name: string, fallback: number): number => {
    const raw = values.get(name)
    if (raw === undefined) return fallback
    if (!/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number`)
    return Number(raw)
  }
  return {
    platform: values.get("platform") ?? "shopee",
    port: int("port", DEFAULTS.port),
    host: values.get("host") ?? "127.0.0.1",
    partnerId: int("partner-id", DEFAULTS.partnerId),
    partnerKey: values.get("partner-key") ?? DEFAULTS.partnerKey,
    pushKey: values.get("push-key"),
    callbackUrl: values.get("callback-url"),
    seedShop: flags.has("seed-shop"),
    ordersPerMinute: int("orders-per-minute", 0),
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  if (args.platform !== "shopee") {
    throw new Error(`No sandbox for platform "${args.platform}" yet (available: shopee)`)
  }
  const sandbox = await startShopeeSandbox({
    port: args.port,
    host: args.host,
    partnerId: args.partnerId,
    partnerKey: args.partnerKey,
    pushKey: args.pushKey,
    callbackUrl: args.callbackUrl,
    logger: { warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) },
  })
  let stopFlow = (): void => undefined
  const lines = [
    `Shopee Open Platform v2 sandbox listening on ${sandbox.url}`,
    `  partner id   ${args.partnerId}${args.partnerId === DEFAULTS.partnerId ? " (default)" : ""}`,
    // Only the well-known default key is shown; a real-looking key stays out of the terminal.
    `  partner key  ${args.partnerKey === DEFAULTS.partnerKey ? `${DEFAULTS.partnerKey} (default)` : "(from --partner-key)"}`,
    `  push key     ${args.pushKey ? "(from --push-key)" : "same as partner key"}`,
    `  port         ${sandbox.port}${args.port === DEFAULTS.port ? " (default)" : ""}`,
    `  base URL     ${sandbox.url}  (set SHOPEE_BASE_URL to this)`,
    `  callback     ${args.callbackUrl ?? "none (POST /sandbox/push-config to set)"}`,
  ]
  if (args.seedShop) {
    sandbox.createShop({ shop_id: DEMO_SHOP_ID, shop_name: "Sandbox Demo Shop", region: "SG" })
    sandbox.seedDemoCatalogue(DEMO_SHOP_ID)
    lines.push(`  demo shop    ${DEMO_SHOP_ID} (SG, SGD) with SKUs ${DEMO_SKUS.join(", ")}`)
  }
  if (args.ordersPerMinute > 0) {
    if (!args.seedShop) throw new Error("--orders-per-minute needs --seed-shop")
    stopFlow = startOrderFlow(sandbox, DEMO_SHOP_ID, args.ordersPerMinute)
    lines.push(`  order flow   about ${args.ordersPerMinute} changes a minute, each pushed`)
  }
  lines.push(`  authorize    ${sandbox.url}/api/v2/shop/auth_partner?partner_id&timestamp&sign&redirect`, "Control API (JSON, unsigned):")
  lines.push(...CONTROL_API_SUMMARY.map((line) => `  ${line}`))
  console.log(lines.join("\n"))

  const shutdown = (): void => {
    stopFlow()
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on("SIGINT", shutdown)
  process.on("SIGTERM", shutdown)
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})

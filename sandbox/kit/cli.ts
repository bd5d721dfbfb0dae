import type { SandboxLogger } from "./types"

/**
 * The sandbox command line, shared by every platform:
 *   npm run sandbox -- --platform <id> [--port N] [--host H] [--callback-url URL] [--seed-shop]
 *                      [--orders-per-minute N] [--seed N] [platform flags]
 * A platform joins by adding one SandboxCliPlatform to the registry the entry point passes in.
 */

/** A flag of the platform's own (credentials and the like). */
export interface CliFlag {
  name: string
  kind: "int" | "string"
  /** Used when the flag is absent; also marks the value as the well-known default in the banner. */
  default?: string | number
  describe: string
}

export type CliValues = ReadonlyMap<string, string | number>

/** A sandbox started from the command line. */
export interface CliSandbox {
  url: string
  port: number
  close(): Promise<void>
  /** Banner lines after the title (credentials, with secrets never echoed), before the port. */
  credentialLines: readonly string[]
  /** Banner lines after the port: where to point the plugin, how to authorize. */
  usageLines: readonly string[]
  /** Creates the demo shop with its catalogue; returns the banner line describing it. */
  seedDemoShop(): string
  /** Starts the demo's order flow on the demo shop; returns a stop function. */
  startFlow(perMinute: number): () => void
  /** The platform's control routes, one line each. */
  controlSummary: readonly string[]
}

export interface SandboxCliPlatform {
  id: string
  title: string
  flags: readonly CliFlag[]
  start(input: {
    port: number
    host: string
    callbackUrl?: string
    seed?: number
    values: CliValues
    logger: SandboxLogger
  }): Promise<CliSandbox>
}

export type SandboxCliRegistry = Readonly<Record<string, SandboxCliPlatform>>

export const DEFAULT_PORT = 4010

const KIT_FLAGS: readonly CliFlag[] = [
  { name: "platform", kind: "string", describe: "which sandbox to run" },
  { name: "port", kind: "int", default: DEFAULT_PORT, describe: "port to listen on (0 = any free port)" },
  { name: "host", kind: "string", default: "127.0.0.1", describe: "address to listen on" },
  { name: "callback-url", kind: "string", describe: "where pushes go (also POST /sandbox/push-config)" },
  { name: "seed-shop", kind: "string", describe: "create the demo shop with its catalogue" },
  { name: "orders-per-minute", kind: "int", default: 0, describe: "demo activity on the demo shop (needs --seed-shop)" },
  { name: "seed", kind: "int", describe: "seed of generated data (default $SANDBOX_SEED, else the clock)" },
]
const BARE_FLAGS = new Set(["seed-shop"])

export interface ParsedArgs {
  platform: SandboxCliPlatform
  port: number
  host: string
  callbackUrl?: string
  seedShop: boolean
  ordersPerMinute: number
  seed?: number
  values: CliValues
}

/** Parses argv against the kit's flags and the chosen platform's; unknown platforms and flags are errors. */
export function parseSandboxArgs(argv: readonly string[], registry: SandboxCliRegistry, env: NodeJS.ProcessEnv = {}): ParsedArgs {
  const raw = new Map<string, string>()
  const bare = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith("--")) throw new Error(`Unexpected argument ${arg}`)
    const [name, inline] = arg.slice(2).split("=", 2)
    if (inline !== undefined) raw.set(name, inline)
    else if (!BARE_FLAGS.has(name) && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) raw.set(name, argv[++i])
    else bare.add(name)
  }
  const known = Object.keys(registry).sort()
  // With a single platform registered, --platform may be left out.
  const id = raw.get("platform") ?? (known.length === 1 ? known[0] : undefined)
  if (id === undefined) throw new Error(`--platform is required (known: ${known.join(", ")})`)
  const platform = Object.prototype.hasOwnProperty.call(registry, id) ? registry[id] : undefined
  if (!platform) throw new Error(`Unknown platform "${id}" (known: ${known.join(", ")})`)

  const flags = [...KIT_FLAGS, ...platform.flags]
  const byName = new Map(flags.map((f) => [f.name, f]))
  for (const name of [...raw.keys(), ...bare]) {
    if (!byName.has(name)) throw new Error(`Unknown flag --${name} for ${id} (known: ${flags.map((f) => `--${f.name}`).join(", ")})`)
  }
  for (const name of bare) {
    if (!BARE_FLAGS.has(name)) throw new Error(`--${name} needs a value`)
  }
  const values = new Map<string, string | number>()
  for (const flag of flags) {
    const given = raw.get(flag.name)
    if (given === undefined) {
      if (flag.default !== undefined) values.set(flag.name, flag.default)
      continue
    }
    if (flag.kind === "int") {
      if (!/^\d+$/.test(given)) throw new Error(`--${flag.name} must be a whole number`)
      values.set(flag.name, Number(given))
    } else {
      values.set(flag.name, given)
    }
  }
  const envSeed = env.SANDBOX_SEED
  if (!values.has("seed") && envSeed !== undefined && envSeed !== "") {
    if (!/^\d+$/.test(envSeed)) throw new Error("SANDBOX_SEED must be a whole number")
    values.set("seed", Number(envSeed))
  }
  const ordersPerMinute = Number(values.get("orders-per-minute"))
  const seedShop = bare.has("seed-shop")
  if (ordersPerMinute > 0 && !seedShop) throw new Error("--orders-per-minute needs --seed-shop")
  const callbackUrl = values.get("callback-url")
  const seed = values.get("seed")
  return {
    platform,
    port: Number(values.get("port")),
    host: String(values.get("host")),
    callbackUrl: callbackUrl === undefined ? undefined : String(callbackUrl),
    seedShop,
    ordersPerMinute,
    seed: seed === undefined ? undefined : Number(seed),
    values,
  }
}

/** "value (default)" when the value is the flag's default, else the value. */
export function withDefaultNote(values: CliValues, flag: CliFlag): string {
  const value = values.get(flag.name)
  return value !== undefined && value === flag.default ? `${value} (default)` : String(value ?? "")
}

/** Runs the CLI until SIGINT/SIGTERM; errors go to stderr with exit code 1. */
export function runSandboxCli(registry: SandboxCliRegistry, argv: readonly string[], env: NodeJS.ProcessEnv): void {
  const start = async (): Promise<void> => {
    const args = parseSandboxArgs(argv, registry, env)
    const sandbox = await args.platform.start({
      port: args.port,
      host: args.host,
      callbackUrl: args.callbackUrl,
      seed: args.seed,
      values: args.values,
      logger: { warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) },
    })
    let stopFlow = (): void => undefined
    const lines = [
      `${args.platform.title} sandbox listening on ${sandbox.url}`,
      ...sandbox.credentialLines,
      `  port         ${sandbox.port}${args.port === DEFAULT_PORT ? " (default)" : ""}`,
      ...sandbox.usageLines,
      `  callback     ${args.callbackUrl ?? "none (POST /sandbox/push-config to set)"}`,
      `  seed         ${args.seed ?? "from the clock (--seed or SANDBOX_SEED to replay)"}`,
    ]
    if (args.seedShop) lines.push(`  demo shop    ${sandbox.seedDemoShop()}`)
    if (args.ordersPerMinute > 0) {
      stopFlow = sandbox.startFlow(args.ordersPerMinute)
      lines.push(`  order flow   about ${args.ordersPerMinute} changes a minute, each pushed`)
    }
    lines.push("Control API (JSON, unsigned):", ...sandbox.controlSummary.map((line) => `  ${line}`))
    process.stdout.write(`${lines.join("\n")}\n`)

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
  start().catch((err: unknown) => {
    process.stderr.write(`sandbox: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(1)
  })
}

import { asValue } from "@medusajs/framework/awilix"
import { moduleProviderLoader } from "@medusajs/framework/modules-sdk"
import type { LoaderOptions, Logger } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  dynamicImport,
  normalizeImportPathWithSource,
  resolveFromProject,
} from "@medusajs/framework/utils"
import { createRateLimitStore, type ProviderKitDependencies } from "../../../providers/kit"
import type {
  MarketplaceProviderConstructor,
  ProviderRegistration,
  UnconfiguredProvider,
} from "../../../providers/types"
import { assertRetentionCoversReplayWindows, resolveMarketplaceSettings } from "../options"
import { ProviderRegistry } from "../services/provider-registry"
import type { MarketplaceModuleOptions } from "../types"

export const PROVIDER_REGISTRY_KEY = "marketplaceProviderRegistry"
export const RATE_LIMIT_STORE_KEY = "marketplaceRateLimitStore"

type ProviderExports = { services: MarketplaceProviderConstructor[] }

/**
 * A provider package may default-export `ModuleProvider(MARKETPLACE_MODULE, { services })`, as Medusa's own
 * providers do, or simply its provider class: both become the `{ services }` shape Medusa's loader takes.
 */
async function toProviderExports(resolve: ProviderRegistration["resolve"]): Promise<ProviderExports> {
  let loaded: unknown = resolve
  if (typeof resolve === "string") {
    try {
      loaded = await dynamicImport(resolveFromProject(normalizeImportPathWithSource(resolve)))
    } catch (error) {
      throw new Error(
        `Marketplace module: cannot load the provider "${resolve}": ${(error as Error).message}`
      )
    }
  }
  const mod = (loaded as { default?: unknown }).default ?? loaded
  if (typeof mod === "function") {
    return { services: [mod as MarketplaceProviderConstructor] }
  }
  if ((mod as Partial<ProviderExports>)?.services?.length) {
    return mod as ProviderExports
  }
  throw new Error(`Marketplace module: "${String(resolve)}" exports no provider class`)
}

/** Options come from environment variables, so an empty string counts as absent. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === ""
}

/**
 * The registration's missing required options, or null when none is missing. A provider without any required
 * option is always registered.
 */
export function unconfiguredProvider(
  registration: Pick<ProviderRegistration, "id" | "options">,
  Provider: MarketplaceProviderConstructor
): UnconfiguredProvider | null {
  const options = registration.options ?? {}
  const missing = (Provider.requiredOptions ?? []).filter((r) => isAbsent(options[r.option]))
  if (!missing.length) {
    return null
  }
  const id = registration.id ?? Provider.identifier
  const displayName = Provider.displayName ?? id
  const env = missing.flatMap((m) => (m.env ? [m.env] : []))
  const what = env.length ? env.join(" and ") : missing.map((m) => `"${m.option}"`).join(" and ")
  return {
    id,
    display_name: displayName,
    missing_options: missing.map((m) => m.option),
    missing_env: env,
    message:
      `The ${displayName} provider ("${id}") is not registered: set ${what} ` +
      `(provider option${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m.option}"`).join(", ")}) ` +
      `and restart to connect ${displayName} shops.`,
  }
}

/**
 * Loads the providers listed in the module option `providers` with Medusa's module provider loader (which
 * also calls each provider's static `validateOptions` with its options). A provider whose required options are
 * all absent or partly absent is left out with one warning, so the app boots before any marketplace account
 * exists; options that are present but invalid still stop it. Every provider gets the process's one
 * rate-limit store: Redis when the module option `redisUrl` is set, memory otherwise (the service closes it at
 * shutdown).
 */
export default async function providersLoader({
  container,
  options,
}: LoaderOptions<MarketplaceModuleOptions>): Promise<void> {
  const registry = new ProviderRegistry()
  container.register(PROVIDER_REGISTRY_KEY, asValue(registry))
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER, { allowUnregistered: true }) ?? console
  const rateLimits = createRateLimitStore({ redisUrl: options?.redisUrl, logger })
  container.register(RATE_LIMIT_STORE_KEY, asValue(rateLimits))
  const deps: ProviderKitDependencies = { logger, rateLimits }

  const loaded = await Promise.all(
    (options?.providers ?? []).map(async (p) => ({ ...p, resolve: await toProviderExports(p.resolve) }))
  )
  const configured = loaded.filter((p) => {
    const unconfigured = unconfiguredProvider(p, p.resolve.services[0])
    if (unconfigured) {
      registry.markUnconfigured(unconfigured)
      logger.warn(`Marketplace module: ${unconfigured.message}`)
    }
    return !unconfigured
  })

  await moduleProviderLoader({
    container,
    providers: configured as unknown as Parameters<typeof moduleProviderLoader>[0]["providers"],
    registerServiceFn: async (klass, _container, registration) => {
      const Provider = klass as unknown as MarketplaceProviderConstructor
      const instance = new Provider(deps, registration.options ?? {})
      registry.register(registration.id ?? instance.id, instance)
    },
  })
  assertRetentionCoversReplayWindows(
    resolveMarketplaceSettings(options),
    registry.entries().map(([id, provider]) => ({ id, ...provider.limits }))
  )
}

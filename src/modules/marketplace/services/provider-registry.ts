import { MedusaError } from "@medusajs/framework/utils"
import type { MarketplaceProvider, ProviderVocabulary, UnconfiguredProvider } from "../../../providers/types"

/** What the admin is told of a configured provider: who it is and the words it uses. */
export type ProviderSummary = { id: string; display_name: string; vocabulary: ProviderVocabulary }

/** The configured marketplace providers, by platform id. Filled once by the module's providers loader. */
export class ProviderRegistry {
  private readonly providers = new Map<string, MarketplaceProvider>()
  private readonly unconfigured_: UnconfiguredProvider[] = []

  register(id: string, provider: MarketplaceProvider): void {
    if (this.providers.has(id)) {
      throw new Error(`Marketplace module: two providers are configured with the id "${id}"`)
    }
    this.providers.set(id, provider)
  }

  /** Remembers a provider left out for missing options, so the admin can say what to set. */
  markUnconfigured(entry: UnconfiguredProvider): void {
    this.unconfigured_.push(entry)
  }

  unconfigured(): UnconfiguredProvider[] {
    return [...this.unconfigured_]
  }

  has(id: string): boolean {
    return this.providers.has(id)
  }

  /** The provider of a platform; a 404-style error for a platform that is not configured. */
  get(id: string): MarketplaceProvider {
    const provider = this.providers.get(id)
    if (!provider) {
      throw new MedusaError(
        MedusaError.Types.NOT_FOUND,
        `Marketplace platform "${id}" is not configured`
      )
    }
    return provider
  }

  /** Every configured provider with its platform id. */
  entries(): [string, MarketplaceProvider][] {
    return [...this.providers.entries()]
  }

  list(): ProviderSummary[] {
    return [...this.providers.entries()].map(([id, p]) => ({ id, display_name: p.display_name, vocabulary: p.vocabulary }))
  }
}

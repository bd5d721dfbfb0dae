import { readFileSync } from "fs"
import { join } from "path"
import { ShopeeProvider } from "../provider"
import type { ShopeeProviderOptions } from "../types"

export const PARTNER_ID = 2001887
export const PARTNER_KEY = "57615053704d6470644f554a78656d50484143644964436a5568777544524579"
export const PUSH_KEY = "push-key-for-tests"

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as T
}

export function fixtureText(name: string): string {
  return readFileSync(join(__dirname, "fixtures", name), "utf8")
}

export const silentLogger = { info() {}, warn() {}, error() {}, debug() {} }

export function makeProvider(options: Partial<ShopeeProviderOptions> = {}): ShopeeProvider {
  return new ShopeeProvider(
    { logger: silentLogger },
    {
      partnerId: PARTNER_ID,
      partnerKey: PARTNER_KEY,
      pushKey: PUSH_KEY,
      sleep: async () => undefined,
      ...options,
    }
  )
}

import type { Random } from "./random"
import type { SandboxLogger } from "./types"

/** What an activity flow needs from a platform: its open orders and how to create and move one. */
export interface ActivityFlowOptions<E, S extends string> {
  /** About this many events a minute. */
  perMinute: number
  random: Random
  logger: SandboxLogger
  label: string
  /** The shop's orders that are not in a terminal status. */
  open(): E[]
  status(entity: E): S
  /** A new order in one of the platform's starting statuses (pushed like any other). */
  create(): void
  /** Move an order to `to`, or to its natural next status. */
  advance(entity: E, to?: S): void
  /** Occasional side roads, e.g. an unpaid order that times out: `chance` per move from `from`. */
  detours: readonly { from: S; to: S; chance: number }[]
  /** Below this many open orders a tick always creates one (default 3). */
  minOpen?: number
  /** Otherwise the chance that a tick creates rather than moves (default 0.4). */
  createChance?: number
}

/**
 * A gentle stream of activity for demos: about `perMinute` events a minute, each either a new order
 * or one order moving on (paid, shipped, delivered, completed, sometimes a detour). Returns a stop function.
 */
export function startActivityFlow<E, S extends string>(options: ActivityFlowOptions<E, S>): () => void {
  const { random } = options
  const tick = (): void => {
    try {
      const open = options.open()
      if (open.length < (options.minOpen ?? 3) || random.chance(options.createChance ?? 0.4)) {
        options.create()
        return
      }
      const entity = random.pick(open)
      const status = options.status(entity)
      const detour = options.detours.find((d) => d.from === status && random.chance(d.chance))
      options.advance(entity, detour?.to)
    } catch (err) {
      // Out of stock and similar: skip this tick, the next one tries again.
      options.logger.warn?.(`${options.label} flow: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  const timer = setInterval(tick, Math.max(250, Math.round(60000 / options.perMinute)))
  return () => clearInterval(timer)
}

/**
 * One activity flow per shop, `perMinute` shared between them (at least one event a minute each), so that every
 * shop of a demo keeps getting orders; each flow's label names its shop. The answer stops them all.
 */
export function startShopFlows<T extends { name: string }, E, S extends string>(
  shops: readonly T[],
  perMinute: number,
  common: { random: Random; logger: SandboxLogger; label: string },
  flowOf: (shop: T) => Omit<ActivityFlowOptions<E, S>, "perMinute" | "random" | "logger" | "label">
): () => void {
  const each = Math.max(1, perMinute / Math.max(1, shops.length))
  const stops = shops.map((shop) =>
    startActivityFlow<E, S>({ ...common, ...flowOf(shop), perMinute: each, label: `${common.label} (${shop.name})` })
  )
  return () => stops.forEach((stop) => stop())
}

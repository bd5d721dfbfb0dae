/**
 * The lifecycle engine: moves an entity (an order, a return) through the statuses of a platform's
 * status table. Every live change makes the entity's update time strictly increase (so an importer's
 * "an older state never overwrites a newer one" rule can be tested even within one second) and lets the
 * platform announce it (push); an entity created directly in a later status walks its path silently,
 * with spaced timestamps, as if those steps had happened before anyone looked.
 */

/** A platform's status table for one kind of entity. */
export interface StatusTable<S extends string> {
  /** The natural next status, as buyer, seller and carrier would move it. */
  next: Partial<Record<S, S>>
  /** The statuses passed through, after the initial one, to create an entity directly in `target`. */
  pathTo(target: S): readonly S[]
  /** Statuses nothing moves on from. */
  terminal: readonly S[]
}

/** How the engine reads and changes one kind of entity, and what the platform does on a change. */
export interface LifecycleHooks<S extends string, E> {
  /** Sandbox clock, Unix seconds. */
  now(): number
  status(entity: E): S
  updateTime(entity: E): number
  setUpdateTime(entity: E, t: number): void
  /** Enter `status` at time `t`: set it and the fields that come with it. */
  enter(entity: E, status: S, t: number, previous: S, reason?: string): void
  /** After a live change (never while settling): the platform's push(es). */
  announce(entity: E, status: S, previous: S, t: number): void
}

export class Lifecycle<S extends string, E> {
  constructor(
    readonly table: StatusTable<S>,
    private readonly hooks: LifecycleHooks<S, E>
  ) {}

  next(status: S): S | undefined {
    return this.table.next[status]
  }

  isTerminal(status: S): boolean {
    return this.table.terminal.includes(status)
  }

  /** Move to `status` now: a strictly later update time, the status's fields, then the announcement. */
  move(entity: E, status: S, reason?: string): void {
    const previous = this.hooks.status(entity)
    const t = Math.max(this.hooks.now(), this.hooks.updateTime(entity) + 1)
    this.hooks.enter(entity, status, t, previous, reason)
    this.hooks.setUpdateTime(entity, t)
    this.hooks.announce(entity, status, previous, t)
  }

  /** Move to `target`, or to the natural next status; the status reached, or undefined when there is none. */
  advance(entity: E, target?: S): S | undefined {
    const status = target ?? this.next(this.hooks.status(entity))
    if (status === undefined) return undefined
    this.move(entity, status)
    return status
  }

  /**
   * Walk a new entity to `target` without announcements. Step k happens `spacing(status)` seconds after
   * the previous one, starting at `from`, but never later than now (or `from` when that is ahead).
   */
  settle(entity: E, target: S, from: number, spacing: (status: S) => number): void {
    const cap = Math.max(this.hooks.now(), from)
    let t = from
    for (const status of this.table.pathTo(target)) {
      t = Math.min(cap, t + spacing(status))
      this.hooks.enter(entity, status, t, this.hooks.status(entity))
      this.hooks.setUpdateTime(entity, t)
    }
  }
}

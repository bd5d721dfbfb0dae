import http from "http"
import type { AddressInfo, Socket } from "net"
import { apiDoor } from "./api-door"
import { controlDoor } from "./control"
import type { SandboxCore } from "./core"
import type { FaultInput } from "./faults"
import { sendJson } from "./http-io"
import type { SandboxPlatform } from "./platform"
import type { CallRecord, Fault, FaultKind, LostPushMessage, PushRecord, ScheduledRedelivery, ShopKey } from "./types"

export interface ServerOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
}

/** The in-process doors every sandbox has, mirroring the kit's control routes. */
export interface KitSandbox<Core extends SandboxCore = SandboxCore> {
  url: string
  port: number
  close(): Promise<void>
  /** Every API call received, oldest first. */
  readonly calls: CallRecord[]
  resetCalls(): void
  setPushConfig(callbackUrl: string | null): void
  /** Every delivery attempt, re-deliveries included. */
  readonly pushes: PushRecord[]
  readonly lostPushes: LostPushMessage[]
  readonly redeliveries: ScheduledRedelivery[]
  /** Waits until every push sent so far got its answer. */
  flushPushes(): Promise<void>
  /** Sends the re-deliveries due by the sandbox clock now, and waits for their answers; returns how many. */
  redeliverDuePushes(): Promise<number>
  addFault(input: { path?: string; shop_id?: ShopKey; kind: FaultKind; count?: number; after?: number; retry_after?: number }): Fault
  clearFaults(): void
  setRateLimit(perSecond: number | null): void
  reset(): void
  core: Core
}

/**
 * Starts the HTTP server of a platform's sandbox: the platform's API under its prefix, the control API
 * under /sandbox, 404 elsewhere. Returns the kit's doors; the platform adds its own beside them
 * (see `withDoors`).
 */
export async function startSandboxServer<Core extends SandboxCore, P, A extends string>(
  platform: SandboxPlatform<Core, P, A>,
  core: Core,
  options: ServerOptions = {}
): Promise<KitSandbox<Core>> {
  const heldSockets = new Set<Socket>()
  const api = apiDoor(platform, core, heldSockets)
  const control = controlDoor(platform, core)
  const apiRoot = platform.apiPrefix.replace(/\/$/, "")
  const apiPrefixes = [platform.apiPrefix, ...(platform.extraApiPrefixes ?? [])]

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox.local")
    const work = apiPrefixes.some((prefix) => url.pathname.startsWith(prefix))
      ? api(req, res, url)
      : url.pathname === "/sandbox" || url.pathname.startsWith("/sandbox/")
        ? control(req, res, url)
        : Promise.resolve(sendJson(res, 404, { message: `Not found: ${platform.title} lives under ${apiRoot}, the control API under /sandbox` }))
    work.catch((err: unknown) => {
      core.logger.error?.(`${platform.id} sandbox: ${err instanceof Error ? err.message : String(err)}`)
      if (!res.headersSent) sendJson(res, 500, { message: "internal sandbox error" })
    })
  })

  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const state = core.state

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      core.push.close()
      await core.push.flush()
      for (const socket of heldSockets) socket.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    get calls() {
      return state.calls
    },
    resetCalls: () => {
      state.calls = []
    },
    setPushConfig: (callbackUrl) => core.setCallbackUrl(callbackUrl),
    get pushes() {
      return state.pushes
    },
    get lostPushes() {
      return state.lostPushes
    },
    get redeliveries() {
      return state.redeliveries
    },
    flushPushes: () => core.push.flush(),
    async redeliverDuePushes() {
      const sent = core.push.redeliverDue()
      await core.push.flush()
      return sent
    },
    addFault: (input) => core.addFault({ ...input, count: input.count ?? 1 } satisfies FaultInput),
    clearFaults: () => core.clearFaults(),
    setRateLimit: (perSecond) => core.setRateLimit(perSecond),
    reset: () => core.reset(),
    core,
  }
}

/**
 * The kit's doors plus a platform's own, as one object. Property descriptors are copied so getters
 * (calls, pushes, ...) keep reading the live state instead of a copy taken now.
 */
export function withDoors<Base extends object, Extra extends object>(base: Base, extra: Extra): Base & Extra {
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(extra)) as Base & Extra
}

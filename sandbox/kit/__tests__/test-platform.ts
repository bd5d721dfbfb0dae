import crypto from "crypto"
import { z } from "@medusajs/framework/zod"
import { json, parseControl, type ControlRoute } from "../control"
import { SandboxCore } from "../core"
import { ControlError, PlatformApiError } from "../errors"
import { Lifecycle, type StatusTable } from "../lifecycle"
import type { ApiRoute, SandboxPlatform } from "../platform"
import { startSandboxServer, withDoors, type KitSandbox } from "../server"
import { SandboxStore, type KitConfig } from "../state"

/**
 * "Acme", a made-up platform of a few dozen lines built only on the kit: what a second platform
 * plugs in. Calls carry `key` and, for shop routes, `shop` in the query; errors are
 * `{ request_id, code, msg }`; pushes are signed with an `X-Acme-Signature` header.
 */
export const ACME_KEY = "acme-key"

type Status = "NEW" | "PAID" | "SHIPPED" | "DONE" | "VOID"

export interface AcmeOrder {
  id: string
  shop: number
  status: Status
  update_time: number
  shipped_at?: number
}

const TABLE: StatusTable<Status> = {
  next: { NEW: "PAID", PAID: "SHIPPED", SHIPPED: "DONE" },
  pathTo: (target) => (target === "VOID" ? ["VOID"] : (["PAID", "SHIPPED", "DONE"] as Status[]).slice(0, ["PAID", "SHIPPED", "DONE"].indexOf(target) + 1)),
  terminal: ["DONE", "VOID"],
}

interface AcmeConfig extends KitConfig {
  redeliverySeconds: readonly number[]
}

class AcmeStore extends SandboxStore<AcmeConfig> {
  orders = new Map<string, AcmeOrder>()

  override reset(): void {
    super.reset()
    this.orders.clear()
  }
}

export class AcmeCore extends SandboxCore<AcmeStore> {
  readonly lifecycle: Lifecycle<Status, AcmeOrder>

  constructor(state: AcmeStore) {
    super(state, {}, {
      label: "acme sandbox",
      envelope: ({ msgId, code, shopId, data, timestamp }) => JSON.stringify({ id: msgId, type: code, shop: shopId, payload: data, ts: timestamp }),
      sign: (_url, body) => ({ "X-Acme-Signature": acmeSignature(body) }),
      redeliverySeconds: state.config.redeliverySeconds,
      requireEmptyBody: false,
      timeoutMs: 2000,
    })
    this.lifecycle = new Lifecycle(TABLE, {
      now: () => state.nowSec(),
      status: (o) => o.status,
      updateTime: (o) => o.update_time,
      setUpdateTime: (o, t) => {
        o.update_time = t
      },
      enter: (o, status, t) => {
        o.status = status
        if (status === "SHIPPED") o.shipped_at = t
      },
      announce: (o, status, previous, t) => this.push.send("order", o.shop, { id: o.id, status, previous, update_time: t }),
    })
  }

  createOrder(shop: number, status: Status = "NEW", createTime = this.state.nowSec()): AcmeOrder {
    const order: AcmeOrder = { id: `A${this.state.nextSeq()}`, shop, status: "NEW", update_time: createTime }
    this.lifecycle.settle(order, status, createTime, () => 600)
    this.state.orders.set(order.id, order)
    this.push.send("order", shop, { id: order.id, status: order.status, update_time: order.update_time })
    return order
  }

  order(id: string): AcmeOrder {
    const order = this.state.orders.get(id)
    if (!order) throw new ControlError(404, `Order ${id} not found`)
    return order
  }
}

export function acmeSignature(body: string): string {
  return crypto.createHmac("sha256", ACME_KEY).update(body).digest("hex")
}

class AcmeError extends PlatformApiError {}

const routes: ApiRoute<AcmeCore, number, "public" | "shop">[] = [
  { method: "GET", path: "/acme/v1/ping", type: "public", handle: () => ({ kind: "json", fields: { data: "pong" } }) },
  { method: "GET", path: "/acme/v1/shop", type: "shop", handle: (req) => ({ kind: "json", fields: { data: { shop: req.shop } } }) },
  {
    method: "POST",
    path: "/acme/v1/orders/advance",
    type: "shop",
    handle: (req, core) => {
      const order = core.state.orders.get(String(req.body.id))
      if (!order || order.shop !== req.shop) throw new AcmeError(404, "order_not_found", "No such order")
      core.lifecycle.advance(order)
      return { kind: "json", fields: { data: order } }
    },
  },
]

const control: ControlRoute<AcmeCore>[] = [
  {
    method: "POST",
    pattern: /^\/sandbox\/shops\/([^/]+)\/orders$/,
    handle: (req, core) => {
      const input = parseControl(z.strictObject({ status: z.enum(["NEW", "PAID", "SHIPPED", "DONE", "VOID"]).optional() }), req.body)
      return json({ order: core.createOrder(Number(req.params[0]), input.status) }, 201)
    },
  },
  {
    method: "POST",
    pattern: /^\/sandbox\/orders\/([^/]+)\/advance$/,
    handle: (req, core) => {
      const order = core.order(req.params[0])
      if (!core.lifecycle.advance(order)) throw new ControlError(409, `Order ${order.id} is ${order.status}: no next status`)
      return json({ order })
    },
  },
]

export const ACME_PLATFORM: SandboxPlatform<AcmeCore, number, "public" | "shop"> = {
  id: "acme",
  title: "Acme Marketplace API",
  apiPrefix: "/acme/v1/",
  routes,
  gateway: {
    authenticate: (_core, route, _path, query) => {
      if (query.get("key") !== ACME_KEY) throw new AcmeError(401, "bad_key", "Unknown key")
      if (route.type === "public") return null
      const shop = Number(query.get("shop"))
      if (!Number.isInteger(shop) || shop <= 0) throw new AcmeError(400, "bad_shop", "shop is required")
      return shop
    },
    rateLimited: (route) => route.type === "shop",
    scopeOf: (query) => (query.get("shop") ? Number(query.get("shop")) : null),
  },
  errors: {
    unknownPath: () => new AcmeError(404, "no_such_api", "No such API"),
    wrongMethod: (_path, methods) => new AcmeError(405, "bad_method", `Use ${methods.join(" or ")}`),
    badBody: () => new AcmeError(400, "bad_body", "Body must be a JSON object"),
    permissionDenied: () => new AcmeError(403, "no_permission", "The app may not call this API"),
    apiRestricted: () => new AcmeError(403, "api_restricted", "This API is restricted for the shop"),
    rateLimited: () => new AcmeError(429, "too_many_requests", "Slow down"),
    serverError: () => new AcmeError(500, "internal", "Something broke"),
  },
  envelope: {
    requestId: () => crypto.randomBytes(8).toString("hex"),
    ok: (requestId, fields) => ({ request_id: requestId, code: "0", ...fields }),
    error: (requestId, err) => ({ request_id: requestId, code: err.code, msg: err.message, ...err.extra }),
  },
  control,
  controlSummary: ["POST   /sandbox/shops/:shop/orders {status?}   POST /sandbox/orders/:id/advance"],
  secretParams: ["key"],
}

export interface AcmeSandbox extends KitSandbox<AcmeCore> {
  createOrder(shop: number, status?: Status): AcmeOrder
}

export interface AcmeHarness {
  sandbox: AcmeSandbox
  clock: { now: number }
  close(): Promise<void>
}

export async function startAcme(options: { redeliverySeconds?: readonly number[]; faultTimeoutMs?: number } = {}): Promise<AcmeHarness> {
  const clock = { now: Date.UTC(2025, 5, 1, 12, 0, 0) }
  const state = new AcmeStore(
    { now: () => clock.now, latencyMs: 0, faultTimeoutMs: options.faultTimeoutMs ?? 30000, redeliverySeconds: options.redeliverySeconds ?? [60, 600] },
    7,
    null
  )
  const core = new AcmeCore(state)
  const kit = await startSandboxServer(ACME_PLATFORM, core)
  const sandbox = withDoors(kit, { createOrder: (shop: number, status?: Status) => core.createOrder(shop, status) })
  return { sandbox, clock, close: () => sandbox.close() }
}

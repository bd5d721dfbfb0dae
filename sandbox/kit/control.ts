import type { IncomingMessage, ServerResponse } from "http"
import { z } from "@medusajs/framework/zod"
import type { SandboxCore } from "./core"
import { ControlError } from "./errors"
import { parseJson, readBody, sendJson } from "./http-io"
import type { ControlAnswer, ControlRequest, ControlRoute, SandboxPlatform } from "./platform"
import { FAULT_KINDS } from "./types"

/**
 * The unsigned control API under /sandbox/: the platform's routes seed shops, listings and orders and
 * move them along; the kit's routes break things on purpose and read what the sandbox received.
 * JSON in, JSON out; bad input 400.
 */

export type { ControlAnswer, ControlRequest, ControlRoute }

/** Input checked with a zod schema; a failure is a 400 naming every bad field. */
export function parseControl<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {})
  if (!result.success) {
    throw new ControlError(400, result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "))
  }
  return result.data
}

export const json = (body: unknown, status = 200): ControlAnswer => ({ status, body })

const pushConfigInput = z.strictObject({ callback_url: z.union([z.url(), z.null()]) })
const rateLimitInput = z.strictObject({ per_second: z.union([z.number().int().min(1), z.null()]) })

/** The kit's control routes, the same on every platform. */
export function kitControlRoutes<Core extends SandboxCore>(apiPrefix: string | readonly string[]): ControlRoute<Core>[] {
  const prefixes = typeof apiPrefix === "string" ? [apiPrefix] : apiPrefix
  const faultInput = z.strictObject({
    path: z
      .string()
      .refine((p) => prefixes.some((prefix) => p.startsWith(prefix)), { message: `must start with ${prefixes.join(" or ")}` })
      .optional(),
    shop_id: z.union([z.number().int(), z.string().min(1)]).optional(),
    kind: z.enum(FAULT_KINDS),
    count: z.number().int().min(1).default(1),
    /** Matching calls let through before the fault starts. */
    after: z.number().int().nonnegative().optional(),
    /** Seconds for a Retry-After header on the faulty answers. */
    retry_after: z.number().int().nonnegative().optional(),
  }).refine((f) => f.retry_after === undefined || f.kind !== "timeout", {
    message: "a timeout fault never answers, so it cannot carry retry_after",
    path: ["retry_after"],
  })
  return [
    {
      method: "GET",
      pattern: /^\/sandbox\/calls$/,
      handle: (req, core) => {
        const path = req.query.get("path")
        const shop = req.query.get("shop_id")
        return json({
          calls: core.state.calls.filter((c) => (!path || c.path === path) && (!shop || String(c.shop_id) === shop)),
        })
      },
    },
    {
      method: "DELETE",
      pattern: /^\/sandbox\/calls$/,
      handle: (_req, core) => {
        core.state.calls = []
        return { status: 204 }
      },
    },
    {
      method: "POST",
      pattern: /^\/sandbox\/push-config$/,
      handle: (req, core) => {
        const input = parseControl(pushConfigInput, req.body)
        core.setCallbackUrl(input.callback_url)
        return json({ callback_url: input.callback_url })
      },
    },
    {
      method: "GET",
      pattern: /^\/sandbox\/pushes$/,
      handle: async (_req, core) => {
        await core.push.flush()
        return json({ pushes: core.state.pushes, lost: core.state.lostPushes, redeliveries: core.state.redeliveries })
      },
    },
    {
      // Re-deliveries wait on the sandbox clock; this sends the due ones now (tests that move the clock).
      method: "POST",
      pattern: /^\/sandbox\/pushes\/redeliver$/,
      handle: async (_req, core) => {
        const sent = core.push.redeliverDue()
        await core.push.flush()
        return json({ redelivered: sent })
      },
    },
    { method: "POST", pattern: /^\/sandbox\/faults$/, handle: (req, core) => json({ fault: core.addFault(parseControl(faultInput, req.body)) }, 201) },
    { method: "GET", pattern: /^\/sandbox\/faults$/, handle: (_req, core) => json({ faults: core.state.faults }) },
    {
      method: "DELETE",
      pattern: /^\/sandbox\/faults$/,
      handle: (_req, core) => {
        core.clearFaults()
        return { status: 204 }
      },
    },
    {
      method: "POST",
      pattern: /^\/sandbox\/rate-limit$/,
      handle: (req, core) => {
        const input = parseControl(rateLimitInput, req.body)
        core.setRateLimit(input.per_second)
        return json({ per_second: input.per_second })
      },
    },
    {
      method: "POST",
      pattern: /^\/sandbox\/reset$/,
      handle: (_req, core) => {
        core.reset()
        return { status: 204 }
      },
    },
  ]
}

/** The kit's own control routes, one line each, for GET /sandbox and the CLI banner. */
export const KIT_CONTROL_SUMMARY: readonly string[] = [
  "POST   /sandbox/push-config {callback_url}   GET /sandbox/pushes   POST /sandbox/pushes/redeliver",
  "POST   /sandbox/faults {path?, shop_id?, kind, count, retry_after?}   DELETE /sandbox/faults   POST /sandbox/rate-limit {per_second}",
  "GET    /sandbox/calls   DELETE /sandbox/calls   POST /sandbox/reset",
]

function describeRoute(route: ControlRoute<never>): string {
  return `${route.method} ${route.pattern.source.replace(/\\\//g, "/").replace(/\(\[\^\/\]\+\)/g, ":id").replace(/^\^|\$$/g, "")}`
}

/** The control door: GET /sandbox describes the sandbox, every other path is matched against the routes. */
export function controlDoor<Core extends SandboxCore, P, A extends string>(
  platform: SandboxPlatform<Core, P, A>,
  core: Core
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const routes: readonly ControlRoute<Core>[] = [...platform.control, ...kitControlRoutes<Core>([platform.apiPrefix, ...(platform.extraApiPrefixes ?? [])])]
  const match = (method: string, path: string): { route: ControlRoute<Core>; params: string[] } | undefined => {
    for (const route of routes) {
      if (route.method !== method) continue
      const found = route.pattern.exec(path)
      if (found) return { route, params: found.slice(1).map((p) => decodeURIComponent(p)) }
    }
    return undefined
  }
  return async (req, res, url) => {
    const method = req.method ?? "GET"
    if (url.pathname === "/sandbox" || url.pathname === "/sandbox/") {
      sendJson(res, 200, {
        platform: platform.id,
        ...platform.describe?.(core),
        api: platform.routes.map((r) => `${r.method} ${r.path}`),
        control: routes.map(describeRoute),
      })
      return
    }
    const found = match(method, url.pathname)
    if (!found) {
      sendJson(res, 404, { message: `No control route ${method} ${url.pathname}` })
      return
    }
    let body: unknown
    try {
      body = parseJson(await readBody(req))
    } catch {
      sendJson(res, 400, { message: "Body is not valid JSON" })
      return
    }
    try {
      const answer = await found.route.handle({ params: found.params, body, query: url.searchParams }, core)
      if (answer.location) {
        res.writeHead(answer.status, { Location: answer.location })
        res.end()
      } else if (answer.body === undefined) {
        res.writeHead(answer.status)
        res.end()
      } else {
        sendJson(res, answer.status, answer.body)
      }
    } catch (err) {
      if (err instanceof ControlError) {
        sendJson(res, err.status, { message: err.message })
      } else {
        core.logger.error?.(`${platform.id} sandbox control ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`)
        sendJson(res, 500, { message: err instanceof Error ? err.message : String(err) })
      }
    }
  }
}

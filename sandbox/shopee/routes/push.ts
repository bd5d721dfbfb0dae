import { ok, type ApiRoute } from "../api"
import { wrongParam } from "../errors"
import { bodyInt } from "../params"

/** v2.push.get_lost_push_message and v2.push.confirm_consumed_lost_push_message (public APIs). */

/** Lost pushes are kept for 3 days. */
const LOST_PUSH_RETENTION_SECONDS = 3 * 86400
const PAGE = 100

export const getLostPushMessage: ApiRoute = {
  method: "GET",
  path: "/api/v2/push/get_lost_push_message",
  type: "public",
  handle(_req, core) {
    const since = core.state.nowSec() - LOST_PUSH_RETENTION_SECONDS
    const pending = core.state.lostPushes.filter((m) => !m.consumed && m.timestamp >= since)
    const page = pending.slice(0, PAGE)
    return ok({
      push_message_list: page.map((m) => ({ shop_id: m.shop_id, code: m.code, timestamp: m.timestamp, data: m.data })),
      has_next_page: pending.length > PAGE,
      last_message_id: page.length ? page[page.length - 1].message_id : 0,
    })
  },
}

export const confirmConsumedLostPushMessage: ApiRoute = {
  method: "POST",
  path: "/api/v2/push/confirm_consumed_lost_push_message",
  type: "public",
  handle(req, core) {
    const last = bodyInt(req.body, "last_message_id", true)
    if (!core.state.lostPushes.some((m) => m.message_id === last)) {
      throw wrongParam("last_message_id is not found")
    }
    // Everything up to and including last_message_id is consumed, as with a cursor.
    for (const m of core.state.lostPushes) {
      if (m.message_id <= last) m.consumed = true
    }
    return ok()
  },
}

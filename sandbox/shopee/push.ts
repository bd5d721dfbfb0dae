import type { PushProfile } from "../kit/push"
import { pushAuthorization } from "./signing"
import type { SandboxConfig } from "./state"

/** Push codes the sandbox sends (Shopee's "Push Mechanism" page). */
export const PUSH_CODES = {
  ORDER_STATUS: 3,
  TRACKING_NUMBER: 4,
  SHIPPING_DOCUMENT_STATUS: 15,
  RETURN_UPDATE: 29,
} as const

/** Shopee re-sends a push that was not acknowledged after about 300 s, 1800 s and 10800 s. */
export const SHOPEE_PUSH_REDELIVERY_SECONDS: readonly number[] = [300, 1800, 10800]

/**
 * Shopee push notifications: body `{ msg_id, data, shop_id, code, timestamp }`, header
 * `Authorization` = hex HMAC-SHA256(push key, callback_url + "|" + raw body). Success is a 2xx with
 * an empty body (unless the sandbox is told to relax that rule); a failed push is listed by
 * v2.push.get_lost_push_message and re-sent on Shopee's schedule.
 */
export function shopeePushProfile(config: SandboxConfig): PushProfile {
  return {
    label: "shopee sandbox",
    envelope: ({ msgId, code, shopId, data, timestamp }) => JSON.stringify({ msg_id: msgId, data, shop_id: shopId, code, timestamp }),
    sign: (url, body) => ({ Authorization: pushAuthorization(config.pushKey, url, body) }),
    redeliverySeconds: config.pushRedeliverySeconds,
    requireEmptyBody: config.pushRequireEmptyBody,
    timeoutMs: config.pushTimeoutMs,
  }
}

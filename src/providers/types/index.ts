/**
 * The contract between the plugin's core and a marketplace provider, split by capability.
 *
 * The core (module, workflows, routes, jobs) only ever speaks these types. Everything platform-specific
 * (signing, hosts, payload shapes, status names, batch sizes, the words of its vocabulary) stays inside one
 * provider folder, which turns its platform's payloads into these shapes. Money is always an exact decimal
 * string such as "1234.50": never a float.
 */
export * from "./common"
export * from "./auth"
export * from "./webhooks"
export * from "./orders"
export * from "./logistics"
export * from "./returns"
export * from "./catalog"
export * from "./settlement"
export * from "./errors"
export * from "./vocabulary"
export * from "./provider"

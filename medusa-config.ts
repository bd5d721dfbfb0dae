import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * The development and test app of this repository. It loads the plugin straight from ./src: routes,
 * subscribers, jobs, workflows and links are picked up as the project's own, and the marketplace module is
 * registered below with its options. An app that installs the published plugin uses `plugins: [...]`
 * instead (see the README).
 */
const redisUrl = process.env.REDIS_URL

const providers: { resolve: string; id: string; options: Record<string, unknown> }[] = []
if (process.env.SHOPEE_PARTNER_ID && process.env.SHOPEE_PARTNER_KEY) {
  providers.push({
    resolve: "./src/providers/shopee",
    id: "shopee",
    options: {
      partnerId: process.env.SHOPEE_PARTNER_ID,
      partnerKey: process.env.SHOPEE_PARTNER_KEY,
      pushKey: process.env.SHOPEE_PUSH_KEY,
      baseUrl: process.env.SHOPEE_BASE_URL,
    },
  })
}
if (process.env.TIKTOK_SHOP_APP_KEY && process.env.TIKTOK_SHOP_APP_SECRET && process.env.TIKTOK_SHOP_SERVICE_ID) {
  providers.push({
    resolve: "./src/providers/tiktok-shop",
    id: "tiktok-shop",
    options: {
      appKey: process.env.TIKTOK_SHOP_APP_KEY,
      appSecret: process.env.TIKTOK_SHOP_APP_SECRET,
      serviceId: process.env.TIKTOK_SHOP_SERVICE_ID,
      baseUrl: process.env.TIKTOK_SHOP_BASE_URL,
      authBaseUrl: process.env.TIKTOK_SHOP_AUTH_URL,
      authorizeBaseUrl: process.env.TIKTOK_SHOP_AUTHORIZE_URL,
    },
  })
}

if (process.env.LAZADA_APP_KEY && process.env.LAZADA_APP_SECRET) {
  providers.push({
    resolve: "./src/providers/lazada",
    id: "lazada",
    options: {
      appKey: process.env.LAZADA_APP_KEY,
      appSecret: process.env.LAZADA_APP_SECRET,
      authUrl: process.env.LAZADA_AUTH_URL,
      apiUrlTemplate: process.env.LAZADA_API_URL_TEMPLATE,
    },
  })
}

const redisModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              // The plugin's Redis locking provider: sets of keys taken in one order, all or nothing (Medusa's
              // own takes them all at once and keeps the ones it got on a timeout: medusajs/medusa#16285).
              resolve: "./src/providers/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  admin: {
    // ADMIN_VITE_CACHE_DIR: a Vite dependency cache of this app's own (the browser suite gives each stack one).
    // Apps sharing one (worktrees whose node_modules links to another checkout's) re-optimize it under each
    // other, and a page then fails to load its chunks ("Outdated Optimize Dep").
    vite: () => (process.env.ADMIN_VITE_CACHE_DIR ? { cacheDir: process.env.ADMIN_VITE_CACHE_DIR } : {}),
  },
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server") || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  modules: [
    {
      resolve: "./src/modules/marketplace",
      options: {
        encryptionKey: process.env.MARKETPLACE_ENCRYPTION_KEY,
        previousEncryptionKeys: process.env.MARKETPLACE_PREVIOUS_ENCRYPTION_KEYS,
        publicUrl: process.env.MARKETPLACE_PUBLIC_URL,
        // Per-shop platform rate limits counted across all processes (in-process without Redis).
        redisUrl,
        providers,
      },
    },
    {
      // Medusa's fulfillment module with the manual provider and the plugin's marketplace logistics provider
      // (provider id "marketplace_marketplace"): each connection gets a shipping option on it.
      resolve: "@medusajs/medusa/fulfillment",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
          { resolve: "./src/providers/marketplace-fulfillment", id: "marketplace" },
        ],
      },
    },
    ...redisModules,
  ],
})

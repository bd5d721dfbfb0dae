import Medusa from "@medusajs/js-sdk"

/** The admin's own session (cookie) talks to the backend that serves the admin. */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: false,
  auth: { type: "session" },
})

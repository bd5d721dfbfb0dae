import { toast } from "@medusajs/ui"
import { errorMessage, useStartAuthorization } from "../lib/hooks"

/** Sends the browser to the marketplace's authorization page (OAuth with a single-use state). */
export const useAuthorizeRedirect = () => {
  const authorize = useStartAuthorization()
  const start = (platform: string) =>
    authorize.mutate(platform, {
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (error) => toast.error("Could not start the authorization", { description: errorMessage(error) }),
    })
  return { start, isPending: authorize.isPending, platform: authorize.variables }
}


import { ExclamationCircle, Spinner } from "@medusajs/icons"
import { Button, Container, Heading, Text, toast } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef, useState } from "react"
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom"
import { errorMessage, finishAuthorization, marketplaceKeys, type CallbackBody } from "../../../../lib/hooks"

/** The query string the marketplace sent back, as the callback route takes it. */
const callbackBody = (search: URLSearchParams): CallbackBody | null => {
  const all = Object.fromEntries(search.entries())
  const { state, code, shop_id, main_account_id } = all
  if (!state || !code) {
    return null
  }
  return {
    state,
    code,
    ...(shop_id ? { shop_id } : {}),
    ...(main_account_id ? { main_account_id } : {}),
    params: all,
  }
}

/**
 * Where the marketplace sends the merchant back after the authorization: finishes the connection (the state
 * is single use and bound to this admin user) and opens the new connection.
 */
const OAuthReturnPage = () => {
  const { platform = "" } = useParams()
  const [search] = useSearchParams()
  const navigate = useNavigate()
  const client = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const started = useRef(false)
  const body = callbackBody(search)
  const refused = search.get("error") ?? search.get("error_description")

  useEffect(() => {
    // Once: a state can be used only once, and React may mount, unmount and mount again in development
    // (so a plain call, not a mutation observer that the first unmount would detach).
    if (started.current || !body) return
    started.current = true
    finishAuthorization(platform, body)
      .then(({ connection }) => {
        void client.invalidateQueries({ queryKey: marketplaceKeys.all })
        toast.success(`${connection.name ?? connection.external_shop_id} is connected`)
        navigate(`/marketplaces/${connection.id}`, { replace: true })
      })
      .catch(setError)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const message = !body
    ? refused
      ? `The marketplace did not authorize the shop: ${refused}`
      : "The marketplace's answer is missing its state or code. Start again from “Connect shop”."
    : error
      ? errorMessage(error)
      : null

  return (
    <Container className="flex flex-col items-center gap-y-4 px-6 py-16 text-center">
      <Heading level="h1">Connecting your {platform} shop</Heading>
      {message ? (
        <div data-testid="oauth-error" role="alert" className="flex flex-col items-center gap-y-3">
          <div className="text-ui-fg-error flex items-center gap-x-2">
            <ExclamationCircle />
            <Text size="small" weight="plus">
              The shop could not be connected
            </Text>
          </div>
          <Text size="small" className="text-ui-fg-subtle max-w-[520px]" data-testid="oauth-error-message">
            {message}
          </Text>
          <Button size="small" variant="secondary" asChild>
            <Link to="/marketplaces" data-testid="oauth-back">
              Back to Marketplaces
            </Link>
          </Button>
        </div>
      ) : (
        <div data-testid="oauth-pending" role="status" className="text-ui-fg-subtle flex items-center gap-x-2">
          <Spinner className="animate-spin" />
          <Text size="small">Finishing the authorization…</Text>
        </div>
      )}
    </Container>
  )
}

export default OAuthReturnPage

import { ExclamationCircle, Spinner } from "@medusajs/icons"
import { Badge, Button, Checkbox, Container, Heading, Label, Text, toast } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useRef, useState } from "react"
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom"
import {
  connectGrantShops,
  errorMessage,
  finishAuthorization,
  marketplaceKeys,
  type CallbackBody,
} from "../../../../lib/hooks"
import type { Authorization } from "../../../../lib/types"

/**
 * The query string the marketplace sent back, passed through as it came: each platform names its
 * parameters its own way, and its provider on the server picks what it needs.
 */
const callbackBody = (search: URLSearchParams): CallbackBody | null => {
  const all = Object.fromEntries(search.entries())
  return Object.keys(all).length && !all.error ? all : null
}

/** The grant covers several shops: the merchant ticks the ones that become connections. */
const ShopChoice = ({ authorization, onConnected }: { authorization: Authorization; onConnected: (id: string) => void }) => {
  const [chosen, setChosen] = useState<Set<string>>(
    () => new Set(authorization.shops.filter((shop) => !shop.connection_id).map((shop) => shop.shop_id))
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const toggle = (shopId: string, on: boolean) =>
    setChosen((previous) => {
      const next = new Set(previous)
      if (on) next.add(shopId)
      else next.delete(shopId)
      return next
    })
  const submit = () => {
    setBusy(true)
    setError(null)
    connectGrantShops(authorization.id, [...chosen])
      .then(({ connections }) => {
        toast.success(`${connections.length} shop${connections.length === 1 ? "" : "s"} connected`)
        onConnected(connections.length === 1 ? connections[0].id : "")
      })
      .catch(setError)
      .finally(() => setBusy(false))
  }

  return (
    <div data-testid="oauth-shop-choice" className="flex w-full max-w-[520px] flex-col gap-y-4 text-left">
      <Text size="small" className="text-ui-fg-subtle">
        This authorization covers {authorization.shops.length} shops. Choose the ones to connect; shops already
        connected keep their connection and history.
      </Text>
      <div className="flex flex-col gap-y-2">
        {authorization.shops.map((shop) => (
          <div key={shop.shop_id} className="flex items-center gap-x-3" data-testid="oauth-shop" data-shop-id={shop.shop_id}>
            <Checkbox
              id={`shop-${shop.shop_id}`}
              checked={chosen.has(shop.shop_id)}
              onCheckedChange={(value) => toggle(shop.shop_id, value === true)}
            />
            <Label htmlFor={`shop-${shop.shop_id}`} className="flex flex-1 items-center gap-x-2">
              {shop.name ?? shop.shop_id}
              <Text size="xsmall" className="text-ui-fg-muted">
                {[shop.region, shop.currency_code?.toUpperCase()].filter(Boolean).join(" · ")}
              </Text>
            </Label>
            {shop.connection_id ? <Badge size="2xsmall">Connected</Badge> : null}
          </div>
        ))}
      </div>
      {error ? (
        <Text size="small" className="text-ui-fg-error" role="alert" data-testid="oauth-choice-error">
          {errorMessage(error)}
        </Text>
      ) : null}
      <div className="flex justify-end gap-x-2">
        <Button size="small" variant="secondary" asChild>
          <Link to="/marketplaces">Cancel</Link>
        </Button>
        <Button size="small" onClick={submit} isLoading={busy} disabled={!chosen.size} data-testid="oauth-connect-chosen">
          Connect {chosen.size || ""} shop{chosen.size === 1 ? "" : "s"}
        </Button>
      </div>
    </div>
  )
}

/**
 * Where the marketplace sends the merchant back after the authorization: finishes it (the state is single
 * use and bound to this admin user). A grant of one shop opens its connection at once; a grant of several
 * lets the merchant choose which shops to connect.
 */
const OAuthReturnPage = () => {
  const { platform = "" } = useParams()
  const [search] = useSearchParams()
  const navigate = useNavigate()
  const client = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const [grant, setGrant] = useState<Authorization | null>(null)
  const started = useRef(false)
  const body = callbackBody(search)
  const refused = search.get("error") ?? search.get("error_description")

  useEffect(() => {
    // Once: a state can be used only once, and React may mount, unmount and mount again in development
    // (so a plain call, not a mutation observer that the first unmount would detach).
    if (started.current || !body) return
    started.current = true
    finishAuthorization(platform, body)
      .then(({ connection, authorization }) => {
        void client.invalidateQueries({ queryKey: marketplaceKeys.all })
        if (!connection) {
          setGrant(authorization)
          return
        }
        toast.success(`${connection.name ?? connection.external_shop_id} is connected`)
        navigate(`/marketplaces/${connection.id}`, { replace: true })
      })
      .catch(setError)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const connected = (connectionId: string) => {
    void client.invalidateQueries({ queryKey: marketplaceKeys.all })
    navigate(connectionId ? `/marketplaces/${connectionId}` : "/marketplaces", { replace: true })
  }

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
      ) : grant ? (
        <ShopChoice authorization={grant} onConnected={connected} />
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

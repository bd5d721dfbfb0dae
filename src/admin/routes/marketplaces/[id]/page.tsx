import { ArrowPath, ExclamationCircle } from "@medusajs/icons"
import { Button, Container, Heading, Input, Label, Switch, Text, toast } from "@medusajs/ui"
import { useEffect, useState, type FormEvent, type ReactNode } from "react"
import { Link, useParams } from "react-router-dom"
import { useAuthorizeRedirect } from "../../../components/authorize"
import { NativeSelect } from "../../../components/native-select"
import { ErrorState, LoadingState } from "../../../components/states"
import { SetupNotices } from "../../../components/setup-notices"
import { Status } from "../../../components/status"
import { ScreenLinks } from "../../../components/screen-links"
import { SyncListingsButton } from "../../../components/sync-listings-button"
import { SyncRunsTable } from "../../../components/sync-runs-table"
import { formatDateTime, formatRelative, startOfLocalDay } from "../../../lib/format"
import {
  errorMessage,
  useConnection,
  useProviders,
  useSettingsOptions,
  useStartSync,
  useUpdateConnection,
  type ConnectionUpdate,
} from "../../../lib/hooks"
import type { Connection, VocabularyEntry } from "../../../lib/types"

const Field = ({ label, hint, htmlFor, children }: { label: string; hint?: string; htmlFor: string; children: ReactNode }) => (
  <div className="flex flex-col gap-y-1">
    <Label size="small" weight="plus" htmlFor={htmlFor}>
      {label}
    </Label>
    {children}
    {hint ? (
      <Text size="xsmall" className="text-ui-fg-subtle">
        {hint}
      </Text>
    ) : null}
  </div>
)

const Fact = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <div className="flex flex-col">
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small" leading="compact" data-testid={testId}>
      {children}
    </Text>
  </div>
)

const Header = ({ connection }: { connection: Connection }) => {
  const update = useUpdateConnection(connection.id)
  const sync = useStartSync(connection.id)
  const reconnect = useAuthorizeRedirect()
  const disabled = connection.status === "disabled"

  const setEnabled = (enabled: boolean) =>
    update.mutate(
      { enabled },
      {
        onSuccess: () => toast.success(enabled ? "The connection is enabled" : "The connection is disabled: nothing syncs"),
        onError: (e) => toast.error("Could not update the connection", { description: errorMessage(e) }),
      }
    )

  return (
    <div className="flex flex-col gap-y-4 px-6 py-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="flex flex-col gap-y-1">
          <Text size="xsmall" className="text-ui-fg-subtle">
            <Link to="/marketplaces" className="hover:text-ui-fg-base">
              Marketplaces
            </Link>{" "}
            / {connection.platform}
          </Text>
          <div className="flex items-center gap-x-2">
            <Heading level="h1" data-testid="connection-name">
              {connection.name ?? connection.external_shop_id}
            </Heading>
            <Status status={connection.status} testId="connection-status" />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {connection.status === "needs_reauth" ? (
            <Button
              size="small"
              data-testid="connection-reconnect"
              isLoading={reconnect.isPending}
              onClick={() => reconnect.start(connection.platform)}
            >
              Reconnect
            </Button>
          ) : null}
          <Button
            size="small"
            variant="secondary"
            data-testid="sync-now"
            disabled={connection.status !== "active"}
            isLoading={sync.isPending && !sync.variables?.from}
            onClick={() =>
              sync.mutate(
                {},
                {
                  onSuccess: () => toast.success("Sync started"),
                  onError: (e) => toast.error("Could not start the sync", { description: errorMessage(e) }),
                }
              )
            }
          >
            <ArrowPath />
            Sync now
          </Button>
          <SyncListingsButton connectionId={connection.id} disabled={connection.status !== "active"} />
          {disabled ? (
            <Button size="small" variant="secondary" data-testid="connection-enable" isLoading={update.isPending} onClick={() => setEnabled(true)}>
              Enable
            </Button>
          ) : (
            <Button size="small" variant="danger" data-testid="connection-disable" isLoading={update.isPending} onClick={() => setEnabled(false)}>
              Disable
            </Button>
          )}
        </div>
      </div>
      {connection.status === "needs_reauth" ? (
        <div className="bg-ui-bg-subtle text-ui-fg-subtle flex items-start gap-x-2 rounded-md border px-3 py-2" role="alert">
          <ExclamationCircle className="text-ui-fg-error mt-0.5 shrink-0" />
          <Text size="small">
            The marketplace no longer accepts this shop's authorization: nothing syncs until you reconnect.
          </Text>
        </div>
      ) : null}
      {connection.last_error ? (
        <Text size="small" className="text-ui-fg-error" data-testid="connection-last-error">
          {connection.last_error}
        </Text>
      ) : null}
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Fact label="Platform">{connection.platform}</Fact>
        <Fact label="Shop id">{connection.external_shop_id}</Fact>
        <Fact label="Region">{connection.shop_region ?? "-"}</Fact>
        <Fact label="Currency">{connection.currency_code?.toUpperCase() ?? "-"}</Fact>
        <Fact label="Token expires">
          <span title={formatDateTime(connection.authorization?.access_token_expires_at ?? null)}>
            {formatRelative(connection.authorization?.access_token_expires_at ?? null)}
          </span>
        </Fact>
        <Fact label="Last pull">
          <span title={formatDateTime(connection.last_pull_at)}>{formatRelative(connection.last_pull_at)}</span>
        </Fact>
        <Fact label="Orders today" testId="connection-orders-today">
          {connection.orders_today ?? 0}
        </Fact>
        <Fact label="Failures" testId="connection-failures">
          {connection.failures ?? 0}{" "}
          {connection.failures ? (
            <Link to={`/marketplaces/monitor?connection_id=${connection.id}`} className="text-ui-fg-interactive txt-compact-xsmall">
              see in monitor
            </Link>
          ) : null}
        </Fact>
      </div>
      <ScreenLinks connectionId={connection.id} />
    </div>
  )
}

/** A sales channel picker; "" is `none`. */
const SalesChannelSelect = (props: {
  id: string
  testId: string
  none: string
  channels: { id: string; name: string }[] | undefined
  value: string
  onChange: (id: string) => void
}) => (
  <NativeSelect id={props.id} data-testid={props.testId} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
    <option value="">{props.none}</option>
    {props.channels?.map((sc) => (
      <option key={sc.id} value={sc.id}>
        {sc.name}
      </option>
    ))}
  </NativeSelect>
)

type SettingsForm = {
  sales_channel_id: string
  stock_location_id: string
  region_id: string
  unpaid: "wait" | "import"
  pull_interval_minutes: string
  buffer: string
  percentage: string
  max: string
  sync_stock: boolean
  sync_price: boolean
  warehouses: { stock_location_id: string; external_warehouse_id: string }[]
  /** Order channel -> sales channel id ("" for the connection's sales channel). */
  channel_sales_channels: Record<string, string>
}

const formOf = (c: Connection): SettingsForm => ({
  sales_channel_id: c.sales_channel?.id ?? "",
  stock_location_id: c.stock_location?.id ?? "",
  region_id: c.region?.id ?? "",
  unpaid: c.settings?.import_unpaid ? "import" : "wait",
  pull_interval_minutes: String(c.settings?.pull_interval_minutes ?? 1),
  buffer: c.settings?.stock_rules?.buffer?.toString() ?? "",
  percentage: c.settings?.stock_rules?.percentage?.toString() ?? "",
  max: c.settings?.stock_rules?.max?.toString() ?? "",
  sync_stock: c.settings?.sync_stock !== false,
  sync_price: c.settings?.sync_price !== false,
  warehouses: (c.warehouses ?? []).map((w) => ({
    stock_location_id: w.stock_location_id,
    external_warehouse_id: w.external_warehouse_id ?? "",
  })),
  channel_sales_channels: { ...(c.settings?.channel_sales_channels ?? {}) },
})

/**
 * The form as the API takes it, or the first thing wrong with it. The order channels' sales channels are sent
 * (as a whole map, replacing the stored one) only when the provider declares order channels.
 */
const bodyOf = (f: SettingsForm, orderChannels: VocabularyEntry[]): ConnectionUpdate | string => {
  const interval = Number(f.pull_interval_minutes)
  if (!Number.isInteger(interval) || interval < 1 || interval > 1440) {
    return "The pull interval is a whole number of minutes between 1 and 1440"
  }
  const stock_rules: { buffer?: number; percentage?: number; max?: number } = {}
  for (const key of ["buffer", "percentage", "max"] as const) {
    if (f[key].trim() === "") continue
    const n = Number(f[key])
    if (!Number.isFinite(n) || n < 0 || (key !== "percentage" && !Number.isInteger(n)) || (key === "percentage" && n > 100)) {
      return key === "percentage" ? "The percentage is between 0 and 100" : `The ${key} is a whole number of units, 0 or more`
    }
    stock_rules[key] = n
  }
  const warehouses = f.warehouses.filter((w) => w.stock_location_id)
  const locations = warehouses.map((w) => w.stock_location_id)
  if (locations.some((id, i) => locations.indexOf(id) !== i)) {
    return "A stock location feeds one warehouse: remove the repeated one"
  }
  return {
    sales_channel_id: f.sales_channel_id || null,
    stock_location_id: f.stock_location_id || null,
    warehouses: warehouses.map((w) => ({
      stock_location_id: w.stock_location_id,
      external_warehouse_id: w.external_warehouse_id.trim() || null,
    })),
    region_id: f.region_id || null,
    settings: {
      import_unpaid: f.unpaid === "import",
      pull_interval_minutes: interval,
      stock_rules,
      sync_stock: f.sync_stock,
      sync_price: f.sync_price,
      ...(orderChannels.length
        ? {
            channel_sales_channels: Object.fromEntries(
              orderChannels.filter((c) => f.channel_sales_channels[c.id]).map((c) => [c.id, f.channel_sales_channels[c.id]])
            ),
          }
        : {}),
    },
  }
}

const SettingsSection = ({ connection }: { connection: Connection }) => {
  const [form, setForm] = useState(() => formOf(connection))
  const [dirty, setDirty] = useState(false)
  const update = useUpdateConnection(connection.id)
  const { salesChannels, stockLocations, regions } = useSettingsOptions()
  const providers = useProviders()
  // The channels other than the platform's own its orders may come through (Tokopedia on TikTok Shop, say).
  const orderChannels = providers.data?.providers.find((p) => p.id === connection.platform)?.vocabulary.order_channels ?? []

  // Follows the stored values until the merchant starts editing.
  useEffect(() => {
    if (!dirty) setForm(formOf(connection))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection])

  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => {
    setDirty(true)
    setForm((f) => ({ ...f, [key]: value }))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = bodyOf(form, orderChannels)
    if (typeof body === "string") {
      toast.error("Check the settings", { description: body })
      return
    }
    update.mutate(body, {
      onSuccess: ({ connection: saved }) => {
        setDirty(false)
        setForm(formOf(saved))
        toast.success("Settings saved")
      },
      onError: (err) => toast.error("Could not save the settings", { description: errorMessage(err) }),
    })
  }

  const optionsError = salesChannels.error ?? stockLocations.error ?? regions.error

  return (
    <form onSubmit={submit} className="divide-y" data-testid="connection-settings">
      <div className="flex items-center justify-between px-6 py-4">
        <div>
          <Heading level="h2">Settings</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Where this shop's orders go, how stock is published, and how often orders are pulled.
          </Text>
        </div>
        <Button size="small" type="submit" data-testid="connection-save" isLoading={update.isPending}>
          Save
        </Button>
      </div>
      {optionsError ? <ErrorState error={optionsError} /> : null}
      <div className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-3">
        <Field label="Sales channel" htmlFor="mp-sales-channel" hint="Imported orders are placed in this channel.">
          <SalesChannelSelect
            id="mp-sales-channel"
            testId="settings-sales-channel"
            none="None"
            channels={salesChannels.data?.sales_channels}
            value={form.sales_channel_id}
            onChange={(id) => set("sales_channel_id", id)}
          />
        </Field>
        {orderChannels.map((channel) => (
          <Field
            key={channel.id}
            label={`Sales channel for ${channel.label} orders`}
            htmlFor={`mp-channel-${channel.id}`}
            hint={`${channel.label} orders are placed in this channel (linked to the stock location when saved); none: the sales channel above.`}
          >
            <SalesChannelSelect
              id={`mp-channel-${channel.id}`}
              testId={`settings-channel-sales-channel-${channel.id}`}
              none="Same as the shop's"
              channels={salesChannels.data?.sales_channels}
              value={form.channel_sales_channels[channel.id] ?? ""}
              onChange={(id) => set("channel_sales_channels", { ...form.channel_sales_channels, [channel.id]: id })}
            />
          </Field>
        ))}
        <Field label="Stock location" htmlFor="mp-stock-location" hint="Reserved and published stock comes from here.">
          <NativeSelect
            id="mp-stock-location"
            data-testid="settings-stock-location"
            value={form.stock_location_id}
            onChange={(e) => set("stock_location_id", e.target.value)}
          >
            <option value="">None</option>
            {stockLocations.data?.stock_locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field label="Region" htmlFor="mp-region" hint="The region (and currency) of imported orders.">
          <NativeSelect id="mp-region" data-testid="settings-region" value={form.region_id} onChange={(e) => set("region_id", e.target.value)}>
            <option value="">None</option>
            {regions.data?.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.currency_code.toUpperCase()})
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field label="Unpaid orders" htmlFor="mp-unpaid" hint="Import them at once, or wait until the buyer has paid.">
          <NativeSelect
            id="mp-unpaid"
            data-testid="settings-unpaid"
            value={form.unpaid}
            onChange={(e) => set("unpaid", e.target.value as SettingsForm["unpaid"])}
          >
            <option value="wait">Wait until paid</option>
            <option value="import">Import unpaid orders</option>
          </NativeSelect>
        </Field>
        <Field label="Pull interval (minutes)" htmlFor="mp-interval" hint="Scheduled pulls catch what webhooks missed.">
          <Input
            id="mp-interval"
            data-testid="settings-pull-interval"
            type="number"
            min={1}
            max={1440}
            size="small"
            value={form.pull_interval_minutes}
            onChange={(e) => set("pull_interval_minutes", e.target.value)}
          />
        </Field>
        <div className="flex flex-col justify-center gap-y-2">
          <div className="flex items-center gap-x-2">
            <Switch id="mp-sync-stock" checked={form.sync_stock} onCheckedChange={(v) => set("sync_stock", v)} />
            <Label size="small" htmlFor="mp-sync-stock">
              Push stock to this shop
            </Label>
          </div>
          <div className="flex items-center gap-x-2">
            <Switch id="mp-sync-price" checked={form.sync_price} onCheckedChange={(v) => set("sync_price", v)} />
            <Label size="small" htmlFor="mp-sync-price">
              Push prices to this shop
            </Label>
          </div>
        </div>
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <div>
          <Text size="small" weight="plus">
            Stock rules
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            Published stock: keep the buffer back, publish the percentage of the rest (rounded down), never more than the maximum. Leave a field empty for no rule; a listing's own rules override these.
          </Text>
        </div>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <Field label="Buffer (units kept back)" htmlFor="mp-buffer">
            <Input id="mp-buffer" data-testid="settings-buffer" type="number" min={0} size="small" value={form.buffer} onChange={(e) => set("buffer", e.target.value)} />
          </Field>
          <Field label="Percentage published" htmlFor="mp-percentage">
            <Input id="mp-percentage" data-testid="settings-percentage" type="number" min={0} max={100} size="small" value={form.percentage} onChange={(e) => set("percentage", e.target.value)} />
          </Field>
          <Field label="Maximum published" htmlFor="mp-max">
            <Input id="mp-max" data-testid="settings-max" type="number" min={0} size="small" value={form.max} onChange={(e) => set("max", e.target.value)} />
          </Field>
        </div>
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="settings-warehouses">
        <div>
          <Text size="small" weight="plus">
            Warehouses
          </Text>
          <Text size="xsmall" className="text-ui-fg-subtle">
            The stock locations whose stock is published, and the marketplace warehouse each one counts into
            (leave the warehouse empty for the shop as a whole). Several locations of one warehouse are added up.
            With none listed, the stock location above is published.
          </Text>
        </div>
        {form.warehouses.map((row, i) => (
          <div key={i} className="grid grid-cols-1 items-end gap-4 md:grid-cols-[1fr_1fr_auto]" data-testid="settings-warehouse">
            <Field label="Stock location" htmlFor={`mp-wh-location-${i}`}>
              <NativeSelect
                id={`mp-wh-location-${i}`}
                value={row.stock_location_id}
                onChange={(e) =>
                  set("warehouses", form.warehouses.map((w, j) => (j === i ? { ...w, stock_location_id: e.target.value } : w)))
                }
              >
                <option value="">Choose a location</option>
                {stockLocations.data?.stock_locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field label="Marketplace warehouse id" htmlFor={`mp-wh-external-${i}`}>
              <Input
                id={`mp-wh-external-${i}`}
                size="small"
                placeholder="The shop"
                value={row.external_warehouse_id}
                onChange={(e) =>
                  set("warehouses", form.warehouses.map((w, j) => (j === i ? { ...w, external_warehouse_id: e.target.value } : w)))
                }
              />
            </Field>
            <Button
              size="small"
              variant="secondary"
              type="button"
              onClick={() => set("warehouses", form.warehouses.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          </div>
        ))}
        <div>
          <Button
            size="small"
            variant="secondary"
            type="button"
            data-testid="settings-warehouse-add"
            onClick={() => set("warehouses", [...form.warehouses, { stock_location_id: "", external_warehouse_id: "" }])}
          >
            Add a location
          </Button>
        </div>
      </div>
    </form>
  )
}

const isoDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`

const BackfillSection = ({ connection }: { connection: Connection }) => {
  const today = isoDate(new Date())
  const [from, setFrom] = useState(isoDate(new Date(Date.now() - 30 * 86400_000)))
  const [to, setTo] = useState(today)
  const sync = useStartSync(connection.id)
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!valid) {
      toast.error("Pick a range", { description: "“From” must be a date on or before “to” (YYYY-MM-DD)." })
      return
    }
    // Whole local days, the last one included, never past now.
    const end = new Date(Math.min(startOfLocalDay(to).getTime() + 86400_000, Date.now()))
    sync.mutate(
      { from: startOfLocalDay(from).toISOString(), to: end.toISOString() },
      {
        onSuccess: () => toast.success("Backfill started: its progress shows below"),
        onError: (err) => toast.error("Could not start the backfill", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-y-3 px-6 py-4" data-testid="backfill-form">
      <div>
        <Heading level="h2">Backfill</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Import every order created in a date range (already imported orders are updated, never duplicated).
        </Text>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="From" htmlFor="mp-backfill-from">
          <Input id="mp-backfill-from" data-testid="backfill-from" type="date" size="small" max={today} value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field label="To" htmlFor="mp-backfill-to">
          <Input id="mp-backfill-to" data-testid="backfill-to" type="date" size="small" max={today} value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button
          size="small"
          variant="secondary"
          type="submit"
          data-testid="backfill-start"
          disabled={connection.status !== "active"}
          isLoading={sync.isPending}
        >
          Start backfill
        </Button>
      </div>
    </form>
  )
}

const ConnectionDetailPage = () => {
  const { id = "" } = useParams()
  const connection = useConnection(id)

  if (connection.isLoading) {
    return (
      <Container className="p-0">
        <LoadingState label="Loading the connection…" />
      </Container>
    )
  }
  if (connection.isError || !connection.data) {
    return (
      <Container className="p-0">
        <ErrorState error={connection.error} onRetry={() => connection.refetch()} />
        <div className="flex justify-center pb-6">
          <Link to="/marketplaces" className="text-ui-fg-interactive txt-compact-small">
            Back to Marketplaces
          </Link>
        </div>
      </Container>
    )
  }
  const c = connection.data.connection
  return (
    <div className="flex flex-col gap-y-3" data-testid="connection-detail" data-connection-id={c.id}>
      <Container className="divide-y p-0">
        <Header connection={c} />
        <SetupNotices providers={false} />
      </Container>
      <Container className="divide-y p-0">
        <SettingsSection connection={c} />
      </Container>
      <Container className="divide-y p-0">
        <BackfillSection connection={c} />
        <SyncRunsTable connectionId={c.id} />
      </Container>
    </div>
  )
}

export default ConnectionDetailPage

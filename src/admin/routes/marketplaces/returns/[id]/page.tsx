import { Badge, Button, Heading, Input, Label, Table, Text, Textarea, toast, usePrompt } from "@medusajs/ui"
import { useState, type FormEvent } from "react"
import { Link, useParams } from "react-router-dom"
import { NativeSelect } from "../../../../components/native-select"
import { ScreenPage } from "../../../../components/screen-page"
import { ErrorState, LoadingState } from "../../../../components/states"
import { Status } from "../../../../components/status"
import { formatAmount, formatDateTime, humanize } from "../../../../lib/format"
import { errorMessage, useConnection, useProviders, useReturn, useReturnAction } from "../../../../lib/hooks"
import type { MarketplaceReturn, ProviderVocabulary } from "../../../../lib/types"

/** Statuses in which the seller may still answer the return on the marketplace. */
const OPEN = new Set(["requested", "processing"])

const Field = ({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) => (
  <div className="flex flex-col">
    <Text size="xsmall" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Text size="small" data-testid={testId}>
      {children}
    </Text>
  </div>
)

/** What happened to the return, oldest first, from the dates the plugin and Medusa keep. */
const timeline = (r: MarketplaceReturn) =>
  [
    { at: r.created_at, what: "Imported from the marketplace" },
    { at: r.external_updated_at, what: `Marketplace status: ${r.external_status}` },
    { at: r.return?.received_at ?? null, what: "Received in Medusa" },
    { at: r.return?.canceled_at ?? null, what: "Medusa return canceled" },
    { at: r.updated_at, what: `Last update (${r.status})` },
  ]
    .filter((e): e is { at: string; what: string } => !!e.at)
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())

/** Dispute with one of the platform's reasons: its declared entries, or an id its pattern accepts. */
const DisputeForm = ({ id, vocabulary }: { id: string; vocabulary: ProviderVocabulary | undefined }) => {
  const action = useReturnAction(id)
  const reasons = vocabulary?.dispute_reasons
  const [reason, setReason] = useState("")
  const [text, setText] = useState("")
  const pattern = reasons?.pattern ? new RegExp(reasons.pattern) : null
  const known = reasons?.entries.some((e) => e.id === reason) ?? false
  const valid = known || (!!pattern && pattern.test(reason))

  const submit = (e: FormEvent) => {
    e.preventDefault()
    action.mutate(
      { kind: "dispute", reason, text: text.trim() || undefined },
      {
        onSuccess: ({ import: imported }) =>
          toast.success("Dispute sent", { description: imported.error ? `Re-import: ${imported.error}` : undefined }),
        onError: (err) => toast.error("The marketplace refused the dispute", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-y-3" data-testid="dispute-form">
      <Heading level="h3">Dispute</Heading>
      {reasons?.entries.length ? (
        <div className="flex flex-col gap-y-1">
          <Label htmlFor="dispute-reason" size="small">
            Reason
          </Label>
          <NativeSelect id="dispute-reason" data-testid="dispute-reason" value={known ? reason : ""} onChange={(e) => setReason(e.target.value)}>
            <option value="">Choose a reason…</option>
            {reasons.entries.map((r) => (
              <option key={r.id} value={r.id} title={r.description}>
                {r.label}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
      {pattern ? (
        <div className="flex flex-col gap-y-1">
          <Label htmlFor="dispute-reason-id" size="small">
            {reasons?.entries.length ? "Or a reason id" : "Reason id"}
          </Label>
          <Input id="dispute-reason-id" data-testid="dispute-reason-id" value={known ? "" : reason} onChange={(e) => setReason(e.target.value.trim())} />
          <Text size="xsmall" className="text-ui-fg-subtle">
            {reasons?.hint}
          </Text>
        </div>
      ) : null}
      <div className="flex flex-col gap-y-1">
        <Label htmlFor="dispute-text" size="small">
          Explanation (optional)
        </Label>
        <Textarea id="dispute-text" data-testid="dispute-text" value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
      </div>
      <div>
        <Button size="small" variant="danger" type="submit" data-testid="return-dispute" disabled={!valid} isLoading={action.isPending && action.variables?.kind === "dispute"}>
          Dispute
        </Button>
      </div>
    </form>
  )
}

const ReturnDetail = ({ r }: { r: MarketplaceReturn }) => {
  const connection = useConnection(r.connection_id)
  const providers = useProviders()
  const platform = connection.data?.connection.platform
  const vocabulary = providers.data?.providers.find((p) => p.id === platform)?.vocabulary
  const solution = vocabulary?.return_solutions.find((s) => s.id === r.solution)
  const accept = useReturnAction(r.id)
  const prompt = usePrompt()

  const doAccept = async () => {
    const ok = await prompt({
      title: "Accept this return?",
      description: `The marketplace refunds ${formatAmount(r.refund_amount, r.currency_code)} to the buyer.`,
      confirmText: "Accept",
      cancelText: "Cancel",
    })
    if (!ok) return
    accept.mutate(
      { kind: "accept" },
      {
        onSuccess: () => toast.success("Return accepted"),
        onError: (err) => toast.error("The marketplace refused", { description: errorMessage(err) }),
      }
    )
  }

  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Heading level="h1">Return {r.external_return_id}</Heading>
            <Status status={r.status} testId="return-status" />
          </div>
        </div>
        {OPEN.has(r.status) ? (
          <Button size="small" data-testid="return-accept" isLoading={accept.isPending && accept.variables?.kind === "accept"} onClick={doAccept}>
            Accept
          </Button>
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-4 px-6 py-4 md:grid-cols-4">
        <Field label="Shop">{connection.data?.connection.name ?? r.connection_id}</Field>
        <Field label="Marketplace status" testId="return-external-status">
          {r.external_status}
        </Field>
        <Field label="Solution">{solution?.label ?? r.solution ?? "-"}</Field>
        <Field label="Order">
          {r.order_link?.order ? (
            <Link to={`/orders/${r.order_link.order.id}`}>#{r.order_link.order.display_id}</Link>
          ) : (
            `${r.external_order_id}${r.order_link_id ? "" : " (not imported)"}`
          )}
        </Field>
        <Field label="Refund" testId="return-refund">
          {formatAmount(r.refund_amount, r.currency_code)}
        </Field>
        <Field label="Refunded in Medusa">{formatAmount(r.refunded_amount, r.currency_code)}</Field>
        <Field label="Buyer's reason">{r.reason ?? "-"}</Field>
        <Field label="Medusa return">{r.return ? <Badge size="2xsmall">{r.return.status}</Badge> : "none"}</Field>
      </div>
      {r.note || r.last_error ? (
        <div className="flex flex-col gap-y-1 px-6 py-4">
          {r.note ? <Text size="small">{r.note}</Text> : null}
          {r.last_error ? (
            <Text size="small" className="text-ui-fg-error">
              {r.last_error}
            </Text>
          ) : null}
        </div>
      ) : null}
      <div className="px-6 py-4">
        <Heading level="h2" className="mb-2">
          Items
        </Heading>
        <Table data-testid="return-items">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>SKU</Table.HeaderCell>
              <Table.HeaderCell>Item / model</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Quantity</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Refund</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {(r.items ?? []).map((item, i) => (
              <Table.Row key={i}>
                <Table.Cell>{item.sku ?? "-"}</Table.Cell>
                <Table.Cell>
                  {item.external_item_id} / {item.external_model_id}
                </Table.Cell>
                <Table.Cell className="text-right tabular-nums">{item.quantity ?? "-"}</Table.Cell>
                <Table.Cell className="text-right tabular-nums">{formatAmount(item.refund_amount ?? null, r.currency_code)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </div>
      <div className="px-6 py-4">
        <Heading level="h2" className="mb-2">
          Timeline
        </Heading>
        <ol className="flex flex-col gap-y-1" data-testid="return-timeline">
          {timeline(r).map((e, i) => (
            <li key={i} className="flex gap-x-4">
              <Text size="small" className="text-ui-fg-subtle w-44 shrink-0">
                {formatDateTime(e.at)}
              </Text>
              <Text size="small">{e.what}</Text>
            </li>
          ))}
        </ol>
      </div>
      {OPEN.has(r.status) ? (
        <div className="px-6 py-4">
          <DisputeForm id={r.id} vocabulary={vocabulary} />
        </div>
      ) : (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            This return is {humanize(r.status).toLowerCase()}: nothing to answer on the marketplace.
          </Text>
        </div>
      )}
    </>
  )
}

const ReturnPage = () => {
  const { id } = useParams()
  const r = useReturn(id!)
  return (
    <ScreenPage crumbs={[{ label: "Returns", to: "/marketplaces/returns" }, r.data?.return.external_return_id ?? id!]} testId="return-page">
      {r.isLoading ? <LoadingState /> : r.isError || !r.data ? <ErrorState error={r.error} onRetry={() => r.refetch()} /> : <ReturnDetail r={r.data.return} />}
    </ScreenPage>
  )
}

export default ReturnPage

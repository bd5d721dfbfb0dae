import { ArrowPath } from "@medusajs/icons"
import { Button, toast } from "@medusajs/ui"
import { errorMessage, useSyncListings } from "../lib/hooks"

/** Pulls a shop's items and matches them by SKU now; disabled without one active shop. */
export const SyncListingsButton = ({ connectionId, disabled }: { connectionId: string | null; disabled?: boolean }) => {
  const sync = useSyncListings(connectionId ?? "")
  return (
    <Button
      size="small"
      variant="secondary"
      data-testid="sync-listings"
      disabled={!connectionId || disabled}
      title={connectionId ? undefined : "Filter by one shop to sync its listings"}
      isLoading={sync.isPending}
      onClick={() =>
        sync.mutate(undefined, {
          onSuccess: ({ summary }) =>
            toast.success("Listings synced", {
              description: `${summary.seen} listings: ${summary.matched} matched, ${summary.unmatched} unmatched, ${summary.ambiguous} ambiguous`,
            }),
          onError: (e) => toast.error("Could not sync the listings", { description: errorMessage(e) }),
        })
      }
    >
      <ArrowPath />
      Sync listings
    </Button>
  )
}

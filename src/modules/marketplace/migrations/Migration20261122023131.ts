import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122023131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_task" drop constraint if exists "marketplace_task_coalescing_key_unique";`);
    this.addSql(`alter table if exists "marketplace_return_link" drop constraint if exists "marketplace_return_link_connection_id_external_return_id_unique";`);
    this.addSql(`alter table if exists "marketplace_order_link" drop constraint if exists "marketplace_order_link_connection_id_external_order_id_unique";`);
    this.addSql(`alter table if exists "marketplace_oauth_state" drop constraint if exists "marketplace_oauth_state_state_hash_unique";`);
    this.addSql(`alter table if exists "marketplace_event" drop constraint if exists "marketplace_event_platform_idempotency_key_unique";`);
    this.addSql(`alter table if exists "marketplace_listing" drop constraint if exists "marketplace_listing_connection_id_external_item_id_external_model_id_unique";`);
    this.addSql(`alter table if exists "marketplace_cursor" drop constraint if exists "marketplace_cursor_connection_id_stream_unique";`);
    this.addSql(`alter table if exists "marketplace_connection_secret" drop constraint if exists "marketplace_connection_secret_connection_id_unique";`);
    this.addSql(`alter table if exists "marketplace_connection" drop constraint if exists "marketplace_connection_platform_external_shop_id_unique";`);
    this.addSql(`create table if not exists "marketplace_connection" ("id" text not null, "platform" text not null, "external_shop_id" text not null, "name" text null, "shop_region" text null, "currency_code" text null, "api_base_url" text null, "status" text check ("status" in ('active', 'needs_reauth', 'disabled')) not null default 'active', "access_token_expires_at" timestamptz null, "refresh_token_expires_at" timestamptz null, "authorized_at" timestamptz null, "last_pull_at" timestamptz null, "last_error" text null, "settings" jsonb null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_connection_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_deleted_at" ON "marketplace_connection" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_connection_platform_external_shop_id_unique" ON "marketplace_connection" ("platform", "external_shop_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_status" ON "marketplace_connection" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_connection_secret" ("id" text not null, "connection_id" text not null, "ciphertext" text not null, "key_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_connection_secret_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_secret_deleted_at" ON "marketplace_connection_secret" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_connection_secret_connection_id_unique" ON "marketplace_connection_secret" ("connection_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_cursor" ("id" text not null, "stream" text not null, "position" timestamptz not null, "last_run_at" timestamptz null, "connection_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_cursor_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_cursor_connection_id" ON "marketplace_cursor" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_cursor_deleted_at" ON "marketplace_cursor" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_cursor_connection_id_stream_unique" ON "marketplace_cursor" ("connection_id", "stream") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_listing" ("id" text not null, "external_item_id" text not null, "external_model_id" text not null, "sku" text null, "title" text null, "variant_title" text null, "match_status" text check ("match_status" in ('matched', 'unmatched', 'ambiguous')) not null default 'unmatched', "match_method" text check ("match_method" in ('sku', 'manual')) null, "external_price" numeric null, "external_stock" integer null, "last_pushed_stock" integer null, "last_pushed_price" numeric null, "last_pushed_at" timestamptz null, "stock_rules" jsonb null, "connection_id" text not null, "raw_external_price" jsonb null, "raw_last_pushed_price" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_listing_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_listing_connection_id" ON "marketplace_listing" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_listing_deleted_at" ON "marketplace_listing" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_listing_connection_id_external_item_id_external_model_id_unique" ON "marketplace_listing" ("connection_id", "external_item_id", "external_model_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_listing_connection_id_sku" ON "marketplace_listing" ("connection_id", "sku") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_listing_connection_id_match_status" ON "marketplace_listing" ("connection_id", "match_status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_event" ("id" text not null, "platform" text not null, "connection_id" text null, "external_shop_id" text null, "idempotency_key" text not null, "type" text not null, "external_type" text null, "external_order_id" text null, "external_return_id" text null, "status" text check ("status" in ('pending', 'processing', 'done', 'failed', 'dead', 'ignored')) not null default 'pending', "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "processing_started_at" timestamptz null, "processed_at" timestamptz null, "last_error" text null, "received_at" timestamptz not null, "payload" jsonb null, "raw_body" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_event_deleted_at" ON "marketplace_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_event_platform_idempotency_key_unique" ON "marketplace_event" ("platform", "idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_event_status_next_attempt_at" ON "marketplace_event" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_event_connection_id_received_at" ON "marketplace_event" ("connection_id", "received_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_oauth_state" ("id" text not null, "state_hash" text not null, "platform" text not null, "user_id" text not null, "redirect_url" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_oauth_state_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_oauth_state_deleted_at" ON "marketplace_oauth_state" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_oauth_state_state_hash_unique" ON "marketplace_oauth_state" ("state_hash") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_order_link" ("id" text not null, "external_order_id" text not null, "external_status" text not null, "status" text not null, "external_updated_at" timestamptz not null, "external_created_at" timestamptz null, "currency_code" text not null, "total" numeric null, "total_mismatch" jsonb null, "has_unmatched_items" boolean not null default false, "last_error" text null, "escrow_buyer_total" numeric null, "escrow_fees" jsonb null, "escrow_fee_total" numeric null, "escrow_adjustments" jsonb null, "escrow_net_payout" numeric null, "escrow_currency_code" text null, "escrow_payout_at" timestamptz null, "escrow_synced_at" timestamptz null, "escrow_raw" jsonb null, "connection_id" text not null, "raw_total" jsonb null, "raw_escrow_buyer_total" jsonb null, "raw_escrow_fee_total" jsonb null, "raw_escrow_net_payout" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_order_link_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_order_link_connection_id" ON "marketplace_order_link" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_order_link_deleted_at" ON "marketplace_order_link" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_order_link_connection_id_external_order_id_unique" ON "marketplace_order_link" ("connection_id", "external_order_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_order_link_connection_id_status" ON "marketplace_order_link" ("connection_id", "status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_return_link" ("id" text not null, "external_return_id" text not null, "external_status" text not null, "status" text not null, "solution" text null, "external_updated_at" timestamptz not null, "currency_code" text null, "refund_amount" numeric null, "items" jsonb null, "last_error" text null, "connection_id" text not null, "order_link_id" text null, "raw_refund_amount" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_return_link_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_return_link_connection_id" ON "marketplace_return_link" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_return_link_order_link_id" ON "marketplace_return_link" ("order_link_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_return_link_deleted_at" ON "marketplace_return_link" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_return_link_connection_id_external_return_id_unique" ON "marketplace_return_link" ("connection_id", "external_return_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_sync_run" ("id" text not null, "kind" text not null, "status" text check ("status" in ('pending', 'running', 'completed', 'failed', 'cancelled')) not null default 'pending', "range_from" timestamptz null, "range_to" timestamptz null, "resume_from" timestamptz null, "seen" integer not null default 0, "created" integer not null default 0, "updated" integer not null default 0, "unchanged" integer not null default 0, "skipped" integer not null default 0, "failed" integer not null default 0, "progress" real not null default 0, "cancel_requested" boolean not null default false, "error" text null, "started_at" timestamptz null, "finished_at" timestamptz null, "heartbeat_at" timestamptz null, "connection_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_sync_run_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_sync_run_connection_id" ON "marketplace_sync_run" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_sync_run_deleted_at" ON "marketplace_sync_run" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_sync_run_connection_id_created_at" ON "marketplace_sync_run" ("connection_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_sync_run_status" ON "marketplace_sync_run" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_task" ("id" text not null, "kind" text not null, "coalescing_key" text not null, "status" text check ("status" in ('pending', 'processing', 'done', 'failed', 'dead', 'held')) not null default 'pending', "payload" jsonb null, "listing_id" text null, "attempts" integer not null default 0, "next_attempt_at" timestamptz null, "processing_started_at" timestamptz null, "completed_at" timestamptz null, "last_error" text null, "result" jsonb null, "connection_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_task_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_task_connection_id" ON "marketplace_task" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_task_deleted_at" ON "marketplace_task" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_task_coalescing_key_unique" ON "marketplace_task" ("coalescing_key") WHERE status = 'pending' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_task_status_next_attempt_at" ON "marketplace_task" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_task_connection_id_status" ON "marketplace_task" ("connection_id", "status") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_task_listing_id_created_at" ON "marketplace_task" ("listing_id", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "marketplace_cursor" add constraint "marketplace_cursor_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);

    this.addSql(`alter table if exists "marketplace_listing" add constraint "marketplace_listing_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);

    this.addSql(`alter table if exists "marketplace_order_link" add constraint "marketplace_order_link_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);

    this.addSql(`alter table if exists "marketplace_return_link" add constraint "marketplace_return_link_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);
    this.addSql(`alter table if exists "marketplace_return_link" add constraint "marketplace_return_link_order_link_id_foreign" foreign key ("order_link_id") references "marketplace_order_link" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table if exists "marketplace_sync_run" add constraint "marketplace_sync_run_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);

    this.addSql(`alter table if exists "marketplace_task" add constraint "marketplace_task_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_cursor" drop constraint if exists "marketplace_cursor_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_listing" drop constraint if exists "marketplace_listing_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_order_link" drop constraint if exists "marketplace_order_link_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_return_link" drop constraint if exists "marketplace_return_link_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_sync_run" drop constraint if exists "marketplace_sync_run_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_task" drop constraint if exists "marketplace_task_connection_id_foreign";`);

    this.addSql(`alter table if exists "marketplace_return_link" drop constraint if exists "marketplace_return_link_order_link_id_foreign";`);

    this.addSql(`drop table if exists "marketplace_connection" cascade;`);

    this.addSql(`drop table if exists "marketplace_connection_secret" cascade;`);

    this.addSql(`drop table if exists "marketplace_cursor" cascade;`);

    this.addSql(`drop table if exists "marketplace_listing" cascade;`);

    this.addSql(`drop table if exists "marketplace_event" cascade;`);

    this.addSql(`drop table if exists "marketplace_oauth_state" cascade;`);

    this.addSql(`drop table if exists "marketplace_order_link" cascade;`);

    this.addSql(`drop table if exists "marketplace_return_link" cascade;`);

    this.addSql(`drop table if exists "marketplace_sync_run" cascade;`);

    this.addSql(`drop table if exists "marketplace_task" cascade;`);
  }

}

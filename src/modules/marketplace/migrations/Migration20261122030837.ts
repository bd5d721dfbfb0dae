import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122030837 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "marketplace_escrow_change" ("id" text not null, "order_link_id" text not null, "connection_id" text not null, "external_order_id" text not null, "changed_fields" jsonb not null, "previous" jsonb null, "current" jsonb not null, "net_payout" numeric not null, "net_payout_delta" numeric not null, "recorded_at" timestamptz not null, "raw_net_payout" jsonb not null, "raw_net_payout_delta" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_escrow_change_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_escrow_change_deleted_at" ON "marketplace_escrow_change" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_escrow_change_order_link_id_recorded_at" ON "marketplace_escrow_change" ("order_link_id", "recorded_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_escrow_change_connection_id_recorded_at" ON "marketplace_escrow_change" ("connection_id", "recorded_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_reconciliation_report" ("id" text not null, "connection_id" text not null, "trigger" text check ("trigger" in ('manual', 'scheduled')) not null default 'manual', "status" text check ("status" in ('running', 'completed', 'failed')) not null default 'running', "range_from" timestamptz not null, "range_to" timestamptz not null, "summary" jsonb null, "fee_totals" jsonb null, "payout_by_day" jsonb null, "rows" jsonb null, "currency_code" text null, "error" text null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_reconciliation_report_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_reconciliation_report_deleted_at" ON "marketplace_reconciliation_report" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_reconciliation_report_connection_id_created_at" ON "marketplace_reconciliation_report" ("connection_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_reconciliation_report_connection_id_trigger_status" ON "marketplace_reconciliation_report" ("connection_id", "trigger", "status") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "marketplace_escrow_change" cascade;`);

    this.addSql(`drop table if exists "marketplace_reconciliation_report" cascade;`);
  }

}

import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261202110608 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_analytics_stale" drop constraint if exists "marketplace_analytics_stale_connection_id_day_unique";`);
    this.addSql(`create table if not exists "marketplace_analytics_stale" ("id" text not null, "connection_id" text not null, "day" text not null, "generation" integer not null default 0, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_analytics_stale_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_analytics_stale_deleted_at" ON "marketplace_analytics_stale" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_analytics_stale_connection_id_day_unique" ON "marketplace_analytics_stale" ("connection_id", "day") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "marketplace_analytics_stale" cascade;`);
  }

}

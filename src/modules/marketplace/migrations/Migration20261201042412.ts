import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201042412 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_connection_warehouse" drop constraint if exists "marketplace_connection_warehouse_connection_id_stock_location_id_unique";`);
    this.addSql(`create table if not exists "marketplace_connection_warehouse" ("id" text not null, "connection_id" text not null, "stock_location_id" text not null, "external_warehouse_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_connection_warehouse_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_warehouse_connection_id" ON "marketplace_connection_warehouse" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_warehouse_deleted_at" ON "marketplace_connection_warehouse" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_connection_warehouse_connection_id_stock_location_id_unique" ON "marketplace_connection_warehouse" ("connection_id", "stock_location_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "marketplace_connection_warehouse" add constraint "marketplace_connection_warehouse_connection_id_foreign" foreign key ("connection_id") references "marketplace_connection" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "marketplace_connection_warehouse" cascade;`);
  }

}

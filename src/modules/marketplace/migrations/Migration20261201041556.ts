import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201041556 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_order_link" add column if not exists "tracking_number" text null, add column if not exists "carrier" text null, add column if not exists "shipment_note" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_order_link" drop column if exists "tracking_number", drop column if exists "carrier", drop column if exists "shipment_note";`);
  }

}

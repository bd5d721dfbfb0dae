import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261201070546 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_order_link_connection_id_external_created_at" ON "marketplace_order_link" ("connection_id", "external_created_at") WHERE deleted_at IS NULL AND external_created_at IS NOT NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_marketplace_order_link_connection_id_external_created_at";`);
  }

}

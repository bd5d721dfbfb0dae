import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Authorizations own tokens: each connection's sealed token pair and expiry times become an authorization
 * (one grant, one shop) that the connection points to. The ciphertext cannot be re-sealed in SQL, so a
 * moved pair stays bound to its former connection's id (`sealed_for`) until its next refresh or a key
 * rotation seals it for the authorization. A migrated authorization's id is derived from its connection's.
 */
export class Migration20261201034940 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_authorization_secret" drop constraint if exists "marketplace_authorization_secret_authorization_id_unique";`);
    this.addSql(`create table if not exists "marketplace_authorization" ("id" text not null, "platform" text not null, "external_seller_id" text null, "status" text check ("status" in ('active', 'needs_reauth')) not null default 'active', "access_token_expires_at" timestamptz null, "refresh_token_expires_at" timestamptz null, "authorized_at" timestamptz null, "last_error" text null, "shops" jsonb null, "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_authorization_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_authorization_deleted_at" ON "marketplace_authorization" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_authorization_platform_external_seller_id" ON "marketplace_authorization" ("platform", "external_seller_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_authorization_status" ON "marketplace_authorization" ("status") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "marketplace_authorization_secret" ("id" text not null, "authorization_id" text not null, "ciphertext" text not null, "key_id" text not null, "sealed_for" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_authorization_secret_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_authorization_secret_deleted_at" ON "marketplace_authorization_secret" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_authorization_secret_authorization_id_unique" ON "marketplace_authorization_secret" ("authorization_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "marketplace_connection" add column if not exists "authorization_id" text null;`);
    this.addSql(`alter table if exists "marketplace_connection" add constraint "marketplace_connection_authorization_id_foreign" foreign key ("authorization_id") references "marketplace_authorization" ("id") on update cascade on delete set null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_authorization_id" ON "marketplace_connection" ("authorization_id") WHERE deleted_at IS NULL;`);

    // Data: one authorization per connection that has stored tokens, carrying its expiry times, status and
    // shop; then the sealed pair, still bound to the connection's id; then the connection points to it.
    this.addSql(`insert into "marketplace_authorization" ("id", "platform", "status", "access_token_expires_at", "refresh_token_expires_at", "authorized_at", "last_error", "shops", "created_at", "updated_at", "deleted_at")
      select 'mpauth_' || substr(c."id", strpos(c."id", '_') + 1), c."platform",
        case when c."status" = 'needs_reauth' then 'needs_reauth' else 'active' end,
        c."access_token_expires_at", c."refresh_token_expires_at", c."authorized_at",
        case when c."status" = 'needs_reauth' then c."last_error" else null end,
        jsonb_build_array(jsonb_build_object('shop_id', c."external_shop_id", 'name', c."name", 'region', c."shop_region", 'currency_code', c."currency_code", 'metadata', c."metadata")),
        s."created_at", s."updated_at", c."deleted_at"
      from "marketplace_connection" c
      join "marketplace_connection_secret" s on s."connection_id" = c."id" and s."deleted_at" is null;`);
    this.addSql(`insert into "marketplace_authorization_secret" ("id", "authorization_id", "ciphertext", "key_id", "sealed_for", "created_at", "updated_at")
      select s."id", 'mpauth_' || substr(c."id", strpos(c."id", '_') + 1), s."ciphertext", s."key_id", c."id", s."created_at", s."updated_at"
      from "marketplace_connection_secret" s
      join "marketplace_connection" c on c."id" = s."connection_id"
      where s."deleted_at" is null;`);
    this.addSql(`update "marketplace_connection" c set "authorization_id" = a."id"
      from "marketplace_authorization" a
      where a."id" = 'mpauth_' || substr(c."id", strpos(c."id", '_') + 1);`);

    this.addSql(`drop table if exists "marketplace_connection_secret" cascade;`);

    this.addSql(`alter table if exists "marketplace_connection" drop column if exists "access_token_expires_at", drop column if exists "refresh_token_expires_at";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "marketplace_connection" drop constraint if exists "marketplace_connection_authorization_id_foreign";`);

    this.addSql(`create table if not exists "marketplace_connection_secret" ("id" text not null, "connection_id" text not null, "ciphertext" text not null, "key_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "marketplace_connection_secret_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_marketplace_connection_secret_deleted_at" ON "marketplace_connection_secret" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_marketplace_connection_secret_connection_id_unique" ON "marketplace_connection_secret" ("connection_id") WHERE deleted_at IS NULL;`);
    this.addSql(`alter table if exists "marketplace_connection" add column if not exists "access_token_expires_at" timestamptz null, add column if not exists "refresh_token_expires_at" timestamptz null;`);

    // Only a pair still sealed for its connection can go back: one sealed for an authorization does not
    // open under a connection's id, and that shop must be authorized again after the downgrade.
    this.addSql(`insert into "marketplace_connection_secret" ("id", "connection_id", "ciphertext", "key_id", "created_at", "updated_at")
      select s."id", c."id", s."ciphertext", s."key_id", s."created_at", s."updated_at"
      from "marketplace_authorization_secret" s
      join "marketplace_connection" c on c."authorization_id" = s."authorization_id" and c."id" = s."sealed_for"
      where s."deleted_at" is null;`);
    this.addSql(`update "marketplace_connection" c set "access_token_expires_at" = a."access_token_expires_at", "refresh_token_expires_at" = a."refresh_token_expires_at"
      from "marketplace_authorization" a where a."id" = c."authorization_id";`);

    this.addSql(`drop table if exists "marketplace_authorization" cascade;`);

    this.addSql(`drop table if exists "marketplace_authorization_secret" cascade;`);

    this.addSql(`drop index if exists "IDX_marketplace_connection_authorization_id";`);
    this.addSql(`alter table if exists "marketplace_connection" drop column if exists "authorization_id";`);
  }

}

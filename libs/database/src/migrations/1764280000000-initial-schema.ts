/**
 * The walking skeleton's schema. Postgres is the source of truth: every stage writes its result
 * and a timeline event here; Redis only carries work that the outbox and the reconciler can rebuild.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764280000000 implements MigrationInterface {
  name = 'InitialSchema1764280000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- An API key is "<key_id>.<secret>"; only a SHA-256 of the secret is stored.
      CREATE TABLE partner_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
        key_id text NOT NULL UNIQUE,
        secret_sha256 bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX partner_key_partner_idx ON partner_key(partner_id);

      CREATE TABLE story (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES partner(id),
        external_id text NOT NULL,
        latest_version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (partner_id, external_id)
      );

      CREATE TABLE story_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        story_id uuid NOT NULL REFERENCES story(id),
        version int NOT NULL CHECK (version > 0),
        received_at timestamptz NOT NULL DEFAULT now(),
        format text NOT NULL,
        content_type text NOT NULL,
        raw_payload text NOT NULL,
        raw_sha256 bytea NOT NULL,
        headline text NOT NULL,
        dateline text,
        story_date date,
        paragraphs jsonb NOT NULL,
        language text NOT NULL,
        language_confidence real NOT NULL DEFAULT 0,
        removed_spans jsonb NOT NULL DEFAULT '[]',
        stage text NOT NULL DEFAULT 'intake',
        translate_status text NOT NULL DEFAULT 'pending',
        tag_status text NOT NULL DEFAULT 'pending',
        routed_at timestamptz,
        UNIQUE (story_id, version)
      );

      -- Append-only timeline: "where is story X?" is answered from Postgres alone.
      CREATE TABLE stage_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        story_version_id uuid NOT NULL REFERENCES story_version(id),
        stage text NOT NULL,
        status text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX stage_event_version_idx ON stage_event(story_version_id, id);

      CREATE TABLE translation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        story_version_id uuid NOT NULL REFERENCES story_version(id),
        language text NOT NULL,
        status text NOT NULL CHECK (status IN ('done', 'unsupported', 'failed')),
        provider text,
        headline text,
        paragraphs jsonb,
        unknown_word_ratio real,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (story_version_id, language)
      );

      CREATE TABLE tag (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        story_version_id uuid NOT NULL REFERENCES story_version(id),
        kind text NOT NULL CHECK (kind IN ('person', 'organisation', 'place', 'topic', 'keyword')),
        code text NOT NULL,
        label text NOT NULL,
        score real NOT NULL DEFAULT 1,
        source text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        UNIQUE (story_version_id, kind, code)
      );

      CREATE TABLE channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        kind text NOT NULL,
        name text NOT NULL,
        config jsonb NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- A route sends matching stories to one channel in the listed languages. NULL matchers match all.
      -- 'source' in languages means the story's own language.
      CREATE TABLE route (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        partner_id uuid REFERENCES partner(id),
        source_languages text[],
        channel_id uuid NOT NULL REFERENCES channel(id),
        languages text[] NOT NULL CHECK (cardinality(languages) > 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- The delivery ledger: one row per story version x channel x language. A publish job claims
      -- its row (pending|retry -> sending) before the side effect, so a redelivered job never
      -- publishes twice.
      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        story_version_id uuid NOT NULL REFERENCES story_version(id),
        channel_id uuid NOT NULL REFERENCES channel(id),
        language text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        external_id text,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_at timestamptz,
        delivered_at timestamptz,
        UNIQUE (story_version_id, channel_id, language)
      );
      CREATE INDEX delivery_channel_delivered_idx ON delivery(channel_id, delivered_at DESC) WHERE status = 'delivered';
      CREATE INDEX delivery_open_idx ON delivery(created_at) WHERE status IN ('pending', 'retry', 'sending');

      -- Transactional outbox: intake and stage transitions write here in the same transaction as
      -- their state change; the relay moves rows onto BullMQ.
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        job text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz
      );
      CREATE INDEX outbox_pending_idx ON outbox(id) WHERE dispatched_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox, delivery, route, channel, tag, translation, stage_event, story_version, story,
        partner_key, partner;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A channel's operating state, with why and since when: operators pause and resume it, and the
 * publisher moves it to rate_limited / credentials_broken / circuit_open / endpoint_gone when the
 * endpoint says so. `active` stays as the routing switch it already is (false = paused) and is
 * kept equal to `state <> 'paused'` by the functions in channel-state.ts.
 */
export class ChannelState1764360000002 implements MigrationInterface {
  name = 'ChannelState1764360000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE channel
        ADD COLUMN state text NOT NULL DEFAULT 'active'
          CHECK (state IN ('active', 'paused', 'rate_limited', 'credentials_broken', 'circuit_open', 'endpoint_gone')),
        ADD COLUMN state_reason text,
        ADD COLUMN state_since timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN state_until timestamptz;
      UPDATE channel SET state = 'paused', state_reason = 'inactive before channel states existed' WHERE NOT active;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel DROP COLUMN state, DROP COLUMN state_reason, DROP COLUMN state_since, DROP COLUMN state_until`);
  }
}

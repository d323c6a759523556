/** Channel state transitions keep the routing switch (`active`) in step (real Postgres). */
import { createDataSource, getChannelState, setChannelState } from '@syndication/database';
import type { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../support/env';

describe('channel state', () => {
  let db: DataSource;
  let id: string;
  beforeAll(async () => {
    db = await createDataSource(TEST_DATABASE_URL, 2).initialize();
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO channel (slug, kind, name, config) VALUES ($1, 'feed', 'state test', '{}') RETURNING id`,
      [`state-${Date.now()}`],
    );
    id = rows[0]!.id;
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('pauses, refuses a resume from the wrong state, resumes, and times a rate limit', async () => {
    const paused = await setChannelState(db, id, 'paused', { reason: 'maintenance' });
    expect(paused).toMatchObject({ state: 'paused', state_reason: 'maintenance' });
    expect((await db.query('SELECT active FROM channel WHERE id = $1', [id]))[0].active).toBe(false);
    expect(await setChannelState(db, id, 'active', { expect: ['endpoint_gone'] })).toBeNull();
    expect(await setChannelState(db, id, 'active', { expect: ['paused'] })).toMatchObject({ state: 'active', state_reason: null });
    expect((await db.query('SELECT active FROM channel WHERE id = $1', [id]))[0].active).toBe(true);
    const limited = await setChannelState(db, id, 'rate_limited', { reason: '429', untilMs: 60_000 });
    expect(limited!.state_until).not.toBeNull();
    expect(new Date(limited!.state_until!).getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect((await getChannelState(db, id))!.state).toBe('rate_limited');
  });
});

/**
 * Public feeds: RSS 2.0, Atom 1.0 and JSON Feed per feed channel, rendered on read from the
 * delivery ledger (a feed delivery is "published" once its row is delivered). Each story appears
 * once per language, at its latest delivered version. Conditional GET via ETag.
 *
 * A story leaves the feed on the next read once it is withdrawn or withheld, or its expiry has
 * passed (Postgres time, so every feed-server process agrees); the ETag changes with it.
 */
import { Controller, Get, Headers, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { renderFeed, type FeedFormat } from '@syndication/channels';
import { loadPublishable } from '@syndication/database';

const EXTENSIONS: Record<string, FeedFormat> = { rss: 'rss', xml: 'rss', atom: 'atom', json: 'json' };
const FEED_SIZE = 50;

@Controller('feeds')
export class FeedsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':file')
  async feed(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const m = /^([a-z0-9][a-z0-9-]{0,62})(?:\.(rss|xml|atom|json))?$/.exec(file);
    if (!m?.[1]) throw new NotFoundException();
    const slug = m[1];
    const format = EXTENSIONS[m[2] ?? 'rss'] ?? 'rss';
    const channels: Array<{ id: string; name: string; config: Record<string, unknown> }> = await this.db.query(
      `SELECT id, name, config FROM channel WHERE slug = $1 AND kind = 'feed' AND active`,
      [slug],
    );
    const channel = channels[0];
    if (!channel) throw new NotFoundException();
    const latest: Array<{ id: string; delivered_at: Date }> = await this.db.query(
      `SELECT id, delivered_at FROM (
         SELECT DISTINCT ON (v.story_id, d.language) d.id, d.delivered_at
           FROM delivery d JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
          WHERE d.channel_id = $1 AND d.status = 'delivered' AND d.kind = 'publish'
            AND s.pubstatus = 'usable' AND (s.expires_at IS NULL OR s.expires_at > now())
          ORDER BY v.story_id, d.language, v.version DESC
       ) x ORDER BY delivered_at DESC LIMIT $2`,
      [channel.id, FEED_SIZE],
    );
    const etag = `"${createHash('sha256').update(latest.map((r) => `${r.id}@${r.delivered_at.toISOString()}`).join(',')).digest('base64url').slice(0, 27)}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=30');
    if (ifNoneMatch === etag) {
      res.status(304).end();
      return;
    }
    const items = await loadPublishable(this.db.manager, latest.map((r) => r.id));
    const base = this.config.feeds.publicUrl;
    const title = typeof channel.config['title'] === 'string' ? channel.config['title'] : channel.name;
    const description = typeof channel.config['description'] === 'string' ? channel.config['description'] : undefined;
    const rendered = renderFeed(
      format,
      { title, description, selfUrl: `${base}/feeds/${slug}.${format}`, siteUrl: `${base}/feeds/${slug}`, updated: latest[0]?.delivered_at },
      items,
    );
    res.status(200).setHeader('Content-Type', rendered.contentType).send(rendered.body);
  }
}

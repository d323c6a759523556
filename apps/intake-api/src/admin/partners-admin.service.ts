/**
 * Partner configuration for operators: partners, their ninjs version and signature policy, and
 * their keys. Secrets are generated here and returned once; only digests, sealed values or public
 * keys are stored (see @syndication/database provision.ts and secrets.ts).
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import {
  type CreatedPartnerKey,
  KeyMaterialError,
  type NewPartnerKey,
  type PartnerKeyKind,
  TooManyActiveKeysError,
  createPartnerKey,
  queryRows,
} from '@syndication/database';
import { ProblemError } from '../http/problem';

export interface PartnerKeyView {
  key_id: string;
  kind: PartnerKeyKind;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PartnerView {
  slug: string;
  name: string;
  ninjs_version: string | null;
  require_signature: boolean;
  /** `dialects`: named producer dialects are read (with warnings) when no ninjs version is declared; `strict`: standards only. */
  format_mode: 'strict' | 'dialects';
  created_at: string;
  keys: PartnerKeyView[];
}

export interface PartnerChanges {
  name?: string;
  ninjs_version?: string | null;
  require_signature?: boolean;
  format_mode?: 'strict' | 'dialects';
}

interface KeyRow {
  key_id: string;
  kind: PartnerKeyKind;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const keyView = (k: KeyRow): PartnerKeyView => ({
  key_id: k.key_id,
  kind: k.kind,
  created_at: k.created_at.toISOString(),
  last_used_at: iso(k.last_used_at),
  revoked_at: iso(k.revoked_at),
});

const notFound = (slug: string) => new ProblemError(404, 'partner_not_found', 'Not found', `No partner ${slug.slice(0, 64)}`);

@Injectable()
export class PartnersAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<PartnerView[]> {
    const rows: Array<{ slug: string }> = await this.db.query('SELECT slug FROM partner ORDER BY slug');
    return Promise.all(rows.map(async (r) => (await this.get(r.slug))!));
  }

  async get(slug: string, m: EntityManager = this.db.manager): Promise<PartnerView | null> {
    const rows: Array<{ id: string; slug: string; name: string; ninjs_version: string | null; require_signature: boolean; format_mode: 'strict' | 'dialects'; created_at: Date }> =
      await m.query('SELECT id, slug, name, ninjs_version, require_signature, format_mode, created_at FROM partner WHERE slug = $1', [slug]);
    const p = rows[0];
    if (!p) return null;
    const keys: KeyRow[] = await m.query(
      'SELECT key_id, kind, created_at, last_used_at, revoked_at FROM partner_key WHERE partner_id = $1 ORDER BY created_at, key_id',
      [p.id],
    );
    return {
      slug: p.slug,
      name: p.name,
      ninjs_version: p.ninjs_version,
      require_signature: p.require_signature,
      format_mode: p.format_mode,
      created_at: p.created_at.toISOString(),
      keys: keys.map(keyView),
    };
  }

  async create(input: { slug: string; name: string } & PartnerChanges): Promise<PartnerView> {
    return this.db.transaction(async (m) => {
      const rows: Array<{ id: string }> = await m.query(
        `INSERT INTO partner (slug, name, ninjs_version, require_signature, format_mode) VALUES ($1, $2, $3, $4, COALESCE($5, 'dialects'))
         ON CONFLICT (slug) DO NOTHING RETURNING id`,
        [input.slug, input.name, input.ninjs_version ?? null, input.require_signature ?? false, input.format_mode ?? null],
      );
      if (!rows[0]) throw new ProblemError(409, 'partner_exists', 'Conflict', `Partner ${input.slug} already exists`);
      return (await this.get(input.slug, m))!;
    });
  }

  async update(slug: string, changes: PartnerChanges): Promise<PartnerView> {
    return this.db.transaction(async (m) => {
      const rows = await queryRows<{ id: string }>(
        m,
        `UPDATE partner SET
            name = CASE WHEN $2::boolean THEN $3 ELSE name END,
            ninjs_version = CASE WHEN $4::boolean THEN $5 ELSE ninjs_version END,
            require_signature = COALESCE($6, require_signature),
            format_mode = COALESCE($7, format_mode)
          WHERE slug = $1 RETURNING id`,
        [
          slug,
          changes.name !== undefined,
          changes.name ?? null,
          changes.ninjs_version !== undefined,
          changes.ninjs_version ?? null,
          changes.require_signature ?? null,
          changes.format_mode ?? null,
        ],
      );
      if (!rows[0]) throw notFound(slug);
      return (await this.get(slug, m))!;
    });
  }

  async addKey(slug: string, spec: NewPartnerKey): Promise<CreatedPartnerKey> {
    return this.db.transaction(async (m) => {
      const partner: Array<{ id: string }> = await m.query('SELECT id FROM partner WHERE slug = $1', [slug]);
      if (!partner[0]) throw notFound(slug);
      try {
        return await createPartnerKey(m, partner[0].id, spec, this.config.auth.secretsKey);
      } catch (err) {
        if (err instanceof TooManyActiveKeysError) throw new ProblemError(409, 'too_many_active_keys', 'Conflict', err.message);
        if (err instanceof KeyMaterialError) {
          throw new ProblemError(422, 'invalid_public_key', 'Unprocessable content', err.message, [
            { pointer: '/public_key', code: 'invalid_public_key', message: err.message },
          ]);
        }
        throw err;
      }
    });
  }

  /** Idempotent: revoking a revoked key answers it unchanged. */
  async revokeKey(slug: string, keyId: string): Promise<PartnerKeyView> {
    const rows = await queryRows<KeyRow>(
      this.db,
      `UPDATE partner_key k SET revoked_at = COALESCE(k.revoked_at, now())
         FROM partner p
        WHERE p.id = k.partner_id AND p.slug = $1 AND k.key_id = $2
        RETURNING k.key_id, k.kind, k.created_at, k.last_used_at, k.revoked_at`,
      [slug, keyId],
    );
    if (!rows[0]) throw new ProblemError(404, 'key_not_found', 'Not found', `Partner ${slug.slice(0, 64)} has no key ${keyId.slice(0, 64)}`);
    return keyView(rows[0]);
  }
}

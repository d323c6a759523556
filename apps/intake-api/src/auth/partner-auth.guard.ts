/**
 * Partner authentication, two ways:
 * - a signed request (`X-Signature-*` headers, see request-signature.ts): HMAC-SHA256 with a
 *   secret we hold sealed, or Ed25519 with a public key the partner registered. The timestamp
 *   must be inside SIGNATURE_WINDOW_SECONDS and the nonce new, so a byte-identical replay inside
 *   the window is refused (`replayed_request`) before anything is written;
 * - a bearer API key, `Authorization: Bearer <key_id>.<secret>`, compared as a SHA-256 digest in
 *   constant time (unknown ids take the same path against a dummy digest), unless the partner is
 *   configured to require signatures.
 * When both are present the signature decides. Every refusal is a 401 problem with a stable code.
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { openSecret, type PartnerKeyKind } from '@syndication/database';
import { PartnerRateLimiter } from './partner-rate-limit';
import { AuthFailureLimiter } from './auth-failure-limit';
import { ProblemError, type ProblemField } from '../http/problem';
import {
  SIGNATURE_HEADERS,
  SIGNED_HEADERS,
  hasSignatureHeaders,
  readSignatureHeaders,
  signingInput,
  verifyEd25519,
  verifyHmac,
} from './request-signature';

export interface AuthenticatedPartner {
  id: string;
  slug: string;
}

export interface RequestCredentials {
  /** How this request proved who it is. */
  method: PartnerKeyKind;
  keyId: string;
}

export type PartnerRequest = Request & { partner: AuthenticatedPartner; credentials?: RequestCredentials };

const DUMMY_DIGEST = createHash('sha256').update('no such key').digest();
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="syndication", Signature realm="syndication", scheme="v1"' };

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function refuse(code: string, detail: string, errors?: ProblemField[]): ProblemError {
  return new ProblemError(401, code, 'Unauthorized', detail, errors, CHALLENGE);
}

interface KeyRow {
  partner_id: string;
  slug: string;
  require_signature: boolean;
  kind: PartnerKeyKind;
  secret_sha256: Buffer | null;
  secret_sealed: Buffer | null;
  public_key: Buffer | null;
  revoked: boolean;
}

const LIMITERS = new WeakMap<AppConfig, { rate: PartnerRateLimiter; failures: AuthFailureLimiter }>();

/**
 * How long past the signature window a nonce is kept. A replay is refused by the nonce table as
 * long as its timestamp is inside the window, so the row must outlive the window; the margin
 * covers the time between the window check and the insert.
 */
export const NONCE_MARGIN_SECONDS = 60;

/** The key id a request claims (cheap, no lookup), so failures can be counted per key id. */
function claimedKeyId(req: Request): string {
  const signed = req.headers[SIGNATURE_HEADERS.keyId];
  if (typeof signed === 'string') return signed.trim().slice(0, 64);
  const m = /^\s*Bearer\s+([^.\s]{1,64})\./.exec(req.headers.authorization ?? '');
  return m?.[1] ?? '';
}

@Injectable()
export class PartnerAuthGuard implements CanActivate {
  private readonly logger = new Logger('PartnerAuth');
  private readonly limiter: PartnerRateLimiter;
  private readonly failures: AuthFailureLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // One bucket set per app, however many guard instances Nest makes (one per controller is possible).
    let limiters = LIMITERS.get(config);
    if (!limiters) {
      limiters = {
        rate: new PartnerRateLimiter(config.intake.partnerRateLimit.rps, config.intake.partnerRateLimit.burst),
        failures: new AuthFailureLimiter(config.auth.failureLimitPerMinute),
      };
      LIMITERS.set(config, limiters);
    }
    this.limiter = limiters.rate;
    this.failures = limiters.failures;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    // Before any database work: a client that keeps failing with one key id is refused outright.
    const ip = req.socket.remoteAddress ?? '';
    const keyId = claimedKeyId(req);
    const cooldown = this.failures.retryAfter(ip, keyId);
    if (cooldown > 0) {
      throw new ProblemError(429, 'auth_rate_limited', 'Too many requests', `Too many refused credentials from this client; retry after ${cooldown} s`, undefined, {
        'Retry-After': String(cooldown),
      });
    }
    try {
      if (hasSignatureHeaders(req.headers)) await this.verifySigned(req);
      else await this.verifyBearer(req);
    } catch (err) {
      // Only refusals that named a key: those are the guesses, and the ones that cost a lookup.
      if (err instanceof ProblemError && err.status === 401 && keyId !== '') this.failures.fail(ip, keyId);
      throw err;
    }
    // After authentication, so the bucket is the partner's own and an unknown caller cannot drain it.
    const wait = this.limiter.take(req.partner.id);
    if (wait > 0) {
      throw new ProblemError(429, 'rate_limited', 'Too many requests', `Over ${this.config.intake.partnerRateLimit.rps} requests per second; retry after ${wait} s`, undefined, {
        'Retry-After': String(wait),
      });
    }
    return true;
  }

  private async findKey(keyId: string): Promise<KeyRow | undefined> {
    const rows: KeyRow[] = await this.db.query(
      `SELECT k.partner_id, p.slug, p.require_signature, k.kind, k.secret_sha256, k.secret_sealed, k.public_key,
              k.revoked_at IS NOT NULL AS revoked
         FROM partner_key k JOIN partner p ON p.id = k.partner_id
        WHERE k.key_id = $1`,
      [keyId],
    );
    return rows[0];
  }

  /** Rotation needs to know whether the old key is still in use; a minute's precision is enough. */
  private async touch(keyId: string): Promise<void> {
    await this.db.query(
      `UPDATE partner_key SET last_used_at = now()
        WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [keyId],
    );
  }

  private async verifyBearer(req: PartnerRequest): Promise<void> {
    const header = req.headers.authorization;
    if (!header) throw refuse('missing_credentials', 'An API key (Authorization: Bearer <key_id>.<secret>) or a request signature is required');
    const m = /^Bearer\s+([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_.~+/=-]{1,256})$/.exec(header.trim());
    if (!m?.[1] || !m[2]) throw refuse('invalid_credentials', 'Malformed API key');
    const row = await this.findKey(m[1]);
    const digest = row?.kind === 'api_key' && row.secret_sha256 ? row.secret_sha256 : DUMMY_DIGEST;
    const ok = timingSafeEqual(hashSecret(m[2]), digest) && digest !== DUMMY_DIGEST;
    if (!ok || !row) throw refuse('invalid_credentials', 'Unknown or invalid API key');
    // Only the holder of the secret learns that the key was revoked.
    if (row.revoked) throw refuse('revoked_key', `API key ${m[1]} has been revoked`);
    if (row.require_signature) {
      throw refuse('signature_required', 'This partner must sign its requests (X-Signature headers); API keys are not accepted');
    }
    await this.touch(m[1]);
    req.partner = { id: row.partner_id, slug: row.slug };
    req.credentials = { method: 'api_key', keyId: m[1] };
  }

  private async verifySigned(req: PartnerRequest): Promise<void> {
    const parsed = readSignatureHeaders(req.headers);
    if ('code' in parsed) {
      throw refuse(parsed.code, parsed.message, [{ pointer: `/headers/${parsed.header}`, code: parsed.code, message: parsed.message }]);
    }
    const window = this.config.auth.signatureWindowSeconds;
    // The one clock every decision about this request's timestamp and nonce is made on: the
    // window check here, and the nonce's expiry and pruning below (never the database's now()).
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - parsed.timestamp) > window) {
      const message = `must be within ${window} s of the server's clock (server time ${now})`;
      throw refuse('stale_timestamp', `The request timestamp ${parsed.timestamp} is outside the accepted window`, [
        { pointer: '/headers/x-signature-timestamp', code: 'stale_timestamp', message },
      ]);
    }
    const row = await this.findKey(parsed.keyId);
    if (!row) throw refuse('unknown_key', `No signing key ${parsed.keyId}`);
    if (row.kind === 'api_key') throw refuse('unknown_key', `${parsed.keyId} is an API key, not a signing key; send it as Authorization: Bearer`);

    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const input = signingInput({
      method: req.method,
      target: req.originalUrl,
      timestamp: parsed.timestamp,
      nonce: parsed.nonce,
      headers: Object.fromEntries(SIGNED_HEADERS.map((h) => [h, req.headers[h] as string | undefined])),
      body,
    });
    let valid: boolean;
    if (row.kind === 'hmac') {
      let secret: string;
      try {
        secret = openSecret(this.config.auth.secretsKeys, row.secret_sealed!, parsed.keyId);
      } catch (err) {
        // SECRETS_KEY changed or the row was tampered with: the operator must fix it, not the partner.
        this.logger.error(`signing key ${parsed.keyId}: ${(err as Error).message}`);
        throw new ProblemError(500, 'signing_key_unusable', 'Internal error', 'This signing key cannot be used; ask the operator to issue a new one');
      }
      valid = verifyHmac(secret, input, parsed.signature);
    } else {
      valid = verifyEd25519(row.public_key!, input, parsed.signature);
    }
    if (!valid) {
      throw refuse('invalid_signature', 'The signature does not match the request (method, path, timestamp, nonce, bound headers and body)', [
        { pointer: '/headers/x-signature', code: 'invalid_signature', message: 'does not verify with this key' },
      ]);
    }
    if (row.revoked) throw refuse('revoked_key', `Signing key ${parsed.keyId} has been revoked`);

    // The nonce is remembered until its timestamp has left the window by a margin; after that
    // the timestamp check refuses the request on its own. Expiry and pruning are both measured
    // on `now` (the clock the window was checked on): a replay accepted by the window check
    // (now <= ts + window) always finds its nonce, which lives until ts + window + margin. The
    // primary key makes concurrent replays lose.
    await this.db.query('DELETE FROM request_nonce WHERE partner_id = $1 AND expires_at < to_timestamp($2)', [row.partner_id, now]);
    const fresh: unknown[] = await this.db.query(
      `INSERT INTO request_nonce (partner_id, nonce, key_id, expires_at)
       VALUES ($1, $2, $3, to_timestamp($4))
       ON CONFLICT (partner_id, nonce) DO NOTHING RETURNING nonce`,
      [row.partner_id, parsed.nonce, parsed.keyId, parsed.timestamp + window + NONCE_MARGIN_SECONDS],
    );
    if (fresh.length === 0) {
      throw refuse('replayed_request', 'This nonce was already used: sign every request (and every retry) with a new nonce and timestamp', [
        { pointer: '/headers/x-signature-nonce', code: 'replayed_request', message: 'already used inside the window' },
      ]);
    }
    await this.touch(parsed.keyId);
    req.partner = { id: row.partner_id, slug: row.slug };
    req.credentials = { method: row.kind, keyId: parsed.keyId };
  }
}

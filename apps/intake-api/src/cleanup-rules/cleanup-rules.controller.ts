/**
 * A partner's own clean-up rules: `GET /v1/cleanup-rules`, `POST /v1/cleanup-rules`,
 * `DELETE /v1/cleanup-rules/:id` (disables; rules are never deleted, so removed spans keep
 * pointing at the rule that removed them). Scoped to the authenticated partner; an operator
 * (admin) surface can reuse `CleanupRulesService` once admin auth exists. Every pattern passes
 * `validateCleanupPattern` before it is stored.
 */
import { Controller, Delete, Get, HttpCode, Injectable, Param, Post, Req, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isUuid, queryRows } from '@syndication/database';
import {
  CLEANUP_RULE_KINDS,
  CLEANUP_RULES_PER_PARTNER,
  UnsafePatternError,
  validateCleanupPattern,
  type CleanupRuleKind,
} from '@syndication/language';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { readJsonObject, rejectUnknown } from '../http/json-body';
import { ProblemError } from '../http/problem';

export interface CleanupRuleView {
  id: string;
  kind: CleanupRuleKind;
  pattern: string;
  reason: string;
  enabled: boolean;
  created_at: string;
}

export interface NewCleanupRule {
  kind: CleanupRuleKind;
  pattern: string;
  reason: string;
}

const REASON = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const COLUMNS = 'id, kind, pattern, reason, enabled, created_at';

function view(r: Omit<CleanupRuleView, 'created_at'> & { created_at: Date }): CleanupRuleView {
  return { ...r, created_at: r.created_at.toISOString() };
}

function invalid(pointer: string, code: string, message: string): ProblemError {
  return new ProblemError(422, code, 'Unprocessable content', message, [{ pointer, code, message }]);
}

/** Checks a rule as sent; what it returns is safe to store. */
export function checkNewRule(body: Record<string, unknown>): NewCleanupRule {
  rejectUnknown(body, ['kind', 'pattern', 'reason']);
  const { kind, pattern, reason } = body;
  if (typeof kind !== 'string' || !(CLEANUP_RULE_KINDS as readonly string[]).includes(kind)) {
    throw invalid('/kind', 'invalid_kind', `kind must be one of ${CLEANUP_RULE_KINDS.join(', ')}`);
  }
  if (typeof reason !== 'string' || !REASON.test(reason)) {
    throw invalid('/reason', 'invalid_reason', 'reason must be 1-64 characters of a-z, 0-9, _ and -, e.g. "agency_footer"');
  }
  if (typeof pattern !== 'string') throw invalid('/pattern', 'invalid_pattern', 'pattern must be a string');
  try {
    validateCleanupPattern(pattern);
  } catch (err) {
    if (err instanceof UnsafePatternError) throw invalid('/pattern', 'unsafe_pattern', err.message);
    throw err;
  }
  return { kind: kind as CleanupRuleKind, pattern, reason };
}

@Injectable()
export class CleanupRulesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(partnerId: string): Promise<CleanupRuleView[]> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM partner_cleanup_rule WHERE partner_id = $1 ORDER BY created_at, id`, [partnerId]);
    return (rows as Parameters<typeof view>[0][]).map(view);
  }

  /** Also the provisioning entry point (tests, an operator script): validation is not optional. */
  async create(partnerId: string, rule: NewCleanupRule, m: EntityManager = this.db.manager): Promise<CleanupRuleView> {
    validateCleanupPattern(rule.pattern);
    return m.transaction(async (tx) => {
      // Serialises one partner's creates, so the per-partner limit holds under concurrency.
      await tx.query('SELECT 1 FROM partner WHERE id = $1 FOR UPDATE', [partnerId]);
      const count: Array<{ n: number }> = await tx.query('SELECT count(*)::int AS n FROM partner_cleanup_rule WHERE partner_id = $1 AND enabled', [partnerId]);
      if ((count[0]?.n ?? 0) >= CLEANUP_RULES_PER_PARTNER) {
        throw new ProblemError(422, 'too_many_rules', 'Unprocessable content', `At most ${CLEANUP_RULES_PER_PARTNER} enabled rules per partner`);
      }
      const rows = await tx.query(
        `INSERT INTO partner_cleanup_rule (partner_id, kind, pattern, reason) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [partnerId, rule.kind, rule.pattern, rule.reason],
      );
      return view((rows as Parameters<typeof view>[0][])[0]!);
    });
  }

  async disable(partnerId: string, id: string): Promise<CleanupRuleView | null> {
    if (!isUuid(id)) return null;
    const rows = await queryRows<Parameters<typeof view>[0]>(
      this.db,
      `UPDATE partner_cleanup_rule SET enabled = false WHERE id = $1 AND partner_id = $2 RETURNING ${COLUMNS}`,
      [id, partnerId],
    );
    return rows[0] ? view(rows[0]) : null;
  }
}

@Controller('v1/cleanup-rules')
@UseGuards(PartnerAuthGuard)
export class CleanupRulesController {
  constructor(private readonly rules: CleanupRulesService) {}

  @Get()
  async list(@Req() req: PartnerRequest): Promise<{ rules: CleanupRuleView[] }> {
    return { rules: await this.rules.list(req.partner.id) };
  }

  /** `{"kind": "paragraph|line|prefix|suffix", "pattern": "...", "reason": "agency_footer"}` -> 201 with the rule. */
  @Post()
  @HttpCode(201)
  async create(@Req() req: PartnerRequest): Promise<CleanupRuleView> {
    return this.rules.create(req.partner.id, checkNewRule(readJsonObject(req.body)));
  }

  @Delete(':id')
  async disable(@Req() req: PartnerRequest, @Param('id') id: string): Promise<CleanupRuleView> {
    const rule = await this.rules.disable(req.partner.id, id);
    if (!rule) throw new ProblemError(404, 'not_found', 'Not found', 'No such clean-up rule');
    return rule;
  }
}

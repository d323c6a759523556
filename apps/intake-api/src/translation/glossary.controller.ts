/**
 * `/v1/glossary`: the calling partner's own glossary, per language pair. Terms are enforced in
 * every translation of the partner's next stories (a partner's term beats a global one for the
 * same text). Global terms are provisioned (provisionGlobalGlossary), not managed here.
 *
 *   GET    /v1/glossary[?source=ru&target=en]       the partner's terms
 *   PUT    /v1/glossary/:source/:target              replace the pair's list: {"terms": [{term, translation}]}
 *   PUT    /v1/glossary/:source/:target/:term        create or change one term: {"translation": "..."}
 *   DELETE /v1/glossary/:source/:target[/:term]      remove one term, or the pair's list
 */
import { Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { isLanguageCode, LANGUAGES } from '@syndication/contracts';
import { deleteGlossary, listGlossary, replaceGlossary, upsertGlossaryTerm, type GlossaryTermRow } from '@syndication/database';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { readJsonObject } from '../http/json-body';
import { ProblemError, safeEcho, type ProblemField } from '../http/problem';

const MAX_TERMS = 5000;
const text = z.string().trim().min(1, 'must not be empty').max(200, 'max 200 characters');
const termSchema = z.object({ term: text, translation: text }).strict();
const listSchema = z.object({ terms: z.array(termSchema).max(MAX_TERMS, `at most ${MAX_TERMS} terms`) }).strict();
const oneSchema = z.object({ translation: text }).strict();

function pair(source: string, target: string, where = 'path'): { source: string; target: string } {
  const errors: ProblemField[] = [];
  const bad = (pointer: string, value: string) =>
    errors.push({ pointer, code: 'unsupported_language', message: `${safeEcho(value, 16)} is not one of ${LANGUAGES.join(', ')}` });
  if (!isLanguageCode(source)) bad(`/${where}/source`, source);
  if (!isLanguageCode(target)) bad(`/${where}/target`, target);
  if (!errors.length && source === target) errors.push({ pointer: '/path/target', code: 'same_language', message: 'source and target must differ' });
  if (errors.length) throw new ProblemError(400, errors[0]!.code, 'Bad request', errors[0]!.message, errors);
  return { source, target };
}

// A full list: MAX_TERMS objects of two strings, plus the wrapper.
const GLOSSARY_BODY = { maxDepth: 4, maxValues: MAX_TERMS * 3 + 10 };

function jsonBody<T>(req: PartnerRequest, schema: z.ZodType<T>): T {
  // The intake's strict parser (duplicate and `__proto__` keys refused), like every other endpoint.
  const result = schema.safeParse(readJsonObject(req.body, false, GLOSSARY_BODY));
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({ pointer: `/${i.path.join('/')}`, code: 'invalid_field', message: i.message }));
  throw new ProblemError(422, 'invalid_glossary', 'Unprocessable content', errors[0]?.message, errors);
}

const view = (r: GlossaryTermRow) => ({
  source_language: r.source_language,
  target_language: r.target_language,
  term: r.term,
  translation: r.translation,
  updated_at: r.updated_at.toISOString(),
});

@Controller('v1/glossary')
@UseGuards(PartnerAuthGuard)
export class GlossaryController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  async list(@Req() req: PartnerRequest, @Query('source') source?: string, @Query('target') target?: string) {
    if ((source !== undefined && !isLanguageCode(source)) || (target !== undefined && !isLanguageCode(target))) {
      pair(source ?? 'ru', target ?? 'en', 'query');
    }
    const rows = await listGlossary(this.db.manager, req.partner.id, { ...(source ? { source } : {}), ...(target ? { target } : {}) });
    return { terms: rows.map(view) };
  }

  @Put(':source/:target')
  async replace(@Req() req: PartnerRequest, @Param('source') source: string, @Param('target') target: string) {
    const p = pair(source, target);
    const body = jsonBody(req, listSchema);
    const lower = body.terms.map((t) => t.term.toLocaleLowerCase());
    const dup = lower.findIndex((t, i) => lower.indexOf(t) !== i);
    if (dup >= 0) {
      throw new ProblemError(422, 'duplicate_term', 'Unprocessable content', `"${safeEcho(body.terms[dup]!.term)}" is listed twice`, [
        { pointer: `/terms/${dup}/term`, code: 'duplicate_term', message: 'listed twice (terms match regardless of case)' },
      ]);
    }
    const rows = await this.db.transaction(async (m) => {
      await replaceGlossary(m, req.partner.id, p.source, p.target, body.terms);
      return listGlossary(m, req.partner.id, p);
    });
    return { source_language: p.source, target_language: p.target, terms: rows.map(view) };
  }

  @Put(':source/:target/:term')
  async upsert(
    @Req() req: PartnerRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('source') source: string,
    @Param('target') target: string,
    @Param('term') term: string,
  ) {
    const p = pair(source, target);
    const checked = text.safeParse(term);
    if (!checked.success) throw new ProblemError(400, 'invalid_term', 'Bad request', `term ${checked.error.issues[0]?.message ?? 'is invalid'}`);
    const body = jsonBody(req, oneSchema);
    const created = await upsertGlossaryTerm(this.db.manager, req.partner.id, p.source, p.target, { term: checked.data, translation: body.translation });
    res.status(created ? 201 : 200);
    const rows = await listGlossary(this.db.manager, req.partner.id, p);
    const row = rows.find((r) => r.term.toLocaleLowerCase() === checked.data.toLocaleLowerCase());
    return row ? view(row) : { source_language: p.source, target_language: p.target, term: checked.data, translation: body.translation };
  }

  @Delete(':source/:target')
  @HttpCode(204)
  async removePair(@Req() req: PartnerRequest, @Param('source') source: string, @Param('target') target: string): Promise<void> {
    const p = pair(source, target);
    await deleteGlossary(this.db.manager, req.partner.id, p.source, p.target);
  }

  @Delete(':source/:target/:term')
  @HttpCode(204)
  async remove(@Req() req: PartnerRequest, @Param('source') source: string, @Param('target') target: string, @Param('term') term: string): Promise<void> {
    const p = pair(source, target);
    const n = await deleteGlossary(this.db.manager, req.partner.id, p.source, p.target, term);
    if (!n) throw new ProblemError(404, 'glossary_term_not_found', 'Not found', `No term "${safeEcho(term)}" for ${p.source} -> ${p.target}`);
  }
}

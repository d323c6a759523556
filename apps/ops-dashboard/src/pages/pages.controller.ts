/**
 * The dashboard's HTML: full pages, the fragments their live regions re-fetch, and the form
 * actions (htmx posts) that answer with a flash message. Every read and action goes through
 * OpsService, exactly as the JSON API does.
 */
import { Body, Controller, Get, Header, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { deliveriesByIds } from '@syndication/database';
import { html, type Html } from '../http/html';
import { NeedsRole } from '../auth/ops-auth.guard';
import type { OpsRequest } from '../auth/ops-auth';
import { actorOf, OpsService, readReason } from '../ops/ops.service';
import { badge } from './format';
import {
  auditTable,
  channelsFragment,
  deliveriesStatusFragment,
  failuresFragment,
  feedsTable,
  inDoubtFragment,
  layout,
  liveRegion,
  overviewFragment,
  partnersTable,
  providersPage,
  replayConfirm,
  replayDone,
  routesTable,
  storiesForm,
  storiesFragment,
  storyActions,
  storyFragment,
} from './views';

type Json = Record<string, unknown>;
type Q = Record<string, string | undefined>;

const HTML = 'text/html; charset=utf-8';

@Controller()
export class PagesController {
  constructor(private readonly ops: OpsService) {}

  @Get()
  root(@Res() res: Response) {
    res.redirect(302, '/ops');
  }

  @Get('ops')
  @Header('content-type', HTML)
  async overview(@Req() req: OpsRequest) {
    const d = await this.ops.overview();
    return layout('Pipeline overview', req.ops!, '/ops', liveRegion('overview', '/ops/fragments/overview', overviewFragment(d)));
  }

  @Get('ops/fragments/overview')
  @Header('content-type', HTML)
  async overviewFragment() {
    return overviewFragment(await this.ops.overview()).value;
  }

  @Get('ops/stories')
  @Header('content-type', HTML)
  async stories(@Req() req: OpsRequest, @Query() q: Q) {
    const r = await this.ops.stories(q);
    return layout('Stories', req.ops!, '/ops/stories', html`${storiesForm(q)}<div id="stories">${storiesFragment(r.items, r.next_cursor, q)}</div>`);
  }

  @Get('ops/fragments/stories')
  @Header('content-type', HTML)
  async storiesFragment(@Query() q: Q) {
    const r = await this.ops.stories(q);
    return storiesFragment(r.items, r.next_cursor, q).value;
  }

  @Get('ops/stories/:id')
  @Header('content-type', HTML)
  async story(@Req() req: OpsRequest, @Param('id') id: string) {
    const s = await this.ops.story(id);
    const p = req.ops!;
    const headline = s.versions[0]?.headline ?? id;
    return layout(`Story: ${headline.length > 90 ? `${headline.slice(0, 89)}…` : headline}`, p, '/ops/stories',
      html`${liveRegion('story', `/ops/fragments/stories/${id}`, storyFragment(p, s))}${storyActions(p, s)}`);
  }

  @Get('ops/fragments/stories/:id')
  @Header('content-type', HTML)
  async storyFragment(@Req() req: OpsRequest, @Param('id') id: string) {
    return storyFragment(req.ops!, await this.ops.story(id)).value;
  }

  @Get('ops/failures')
  @Header('content-type', HTML)
  async failures(@Req() req: OpsRequest) {
    const p = req.ops!;
    return layout('Failures', p, '/ops/failures', html`<p class="muted">Grouped by stage, channel and cause (the channel's error code); counts over 1 h / 24 h / 7 d. A replay sends failed deliveries again; delivered ones never are.</p>
      ${liveRegion('failures', '/ops/fragments/failures', failuresFragment(p, await this.ops.failures()))}`);
  }

  @Get('ops/fragments/failures')
  @Header('content-type', HTML)
  async failuresFragment(@Req() req: OpsRequest) {
    return failuresFragment(req.ops!, await this.ops.failures()).value;
  }

  @Get('ops/fragments/deliveries')
  @Header('content-type', HTML)
  async deliveriesFragment(@Query('ids') ids = '') {
    return deliveriesStatusFragment(await deliveriesByIds(this.ops.db, ids.split(','))).value;
  }

  @Get('ops/in-doubt')
  @Header('content-type', HTML)
  async inDoubt(@Req() req: OpsRequest) {
    const p = req.ops!;
    return layout('In-doubt deliveries', p, '/ops/in-doubt', html`<p class="muted">The channel may or may not have received these (e.g. the connection broke after sending). Check the channel, then mark delivered or resend.</p>
      ${liveRegion('in-doubt', '/ops/fragments/in-doubt', inDoubtFragment(p, await this.ops.inDoubt()))}`);
  }

  @Get('ops/fragments/in-doubt')
  @Header('content-type', HTML)
  async inDoubtFragment(@Req() req: OpsRequest) {
    return inDoubtFragment(req.ops!, await this.ops.inDoubt()).value;
  }

  @Get('ops/channels')
  @Header('content-type', HTML)
  async channels(@Req() req: OpsRequest) {
    const p = req.ops!;
    return layout('Channels', p, '/ops/channels', liveRegion('channels', '/ops/fragments/channels', channelsFragment(p, await this.ops.channels())));
  }

  @Get('ops/fragments/channels')
  @Header('content-type', HTML)
  async channelsFragment(@Req() req: OpsRequest) {
    return channelsFragment(req.ops!, await this.ops.channels()).value;
  }

  @Get('ops/partners')
  @Header('content-type', HTML)
  async partners(@Req() req: OpsRequest) {
    return layout('Partners', req.ops!, '/ops/partners', partnersTable(await this.ops.partners()));
  }

  @Get('ops/routing')
  @Header('content-type', HTML)
  async routing(@Req() req: OpsRequest) {
    return layout('Routing', req.ops!, '/ops/routing', routesTable(await this.ops.routes()));
  }

  @Get('ops/providers')
  @Header('content-type', HTML)
  async providers(@Req() req: OpsRequest) {
    const r = await this.ops.providers();
    return layout('Translation providers and cost', req.ops!, '/ops/providers', providersPage(r.providers, r.cost));
  }

  @Get('ops/feeds')
  @Header('content-type', HTML)
  async feeds(@Req() req: OpsRequest) {
    return layout('Polled feeds', req.ops!, '/ops/feeds', feedsTable(await this.ops.feeds()));
  }

  @Get('ops/audit')
  @Header('content-type', HTML)
  async audit(@Req() req: OpsRequest, @Query('before') before?: string) {
    return layout('Audit log', req.ops!, '/ops/audit', auditTable(await this.ops.audit(before)));
  }

  @Get('ops/queues')
  queues(@Req() req: OpsRequest, @Res() res: Response) {
    res.redirect(302, req.ops!.role === 'viewer' ? '/ops/queues/view' : '/ops/queues/manage');
  }

  // ---------------- form actions (htmx), answered with a flash fragment ----------------

  private who(req: OpsRequest, body: Json) {
    return actorOf(req.ops!, readReason(body), req);
  }

  @Post('ops/actions/deliveries/:id/retry')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async retry(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    await this.ops.retryDelivery(id, this.who(req, body));
    return replayDone(1, [id]).value;
  }

  @Post('ops/actions/deliveries/:id/resolve')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async resolve(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    const r = await this.ops.resolveInDoubt(id, body, this.who(req, body));
    return flash(html`Delivery <span class="mono">${id.slice(0, 8)}</span> resolved: ${badge(r.status)}`);
  }

  @Post('ops/actions/stories/:id/replay')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async replay(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    const who = this.who(req, body);
    const r = await this.ops.replay({ ...body, story_ids: [id] }, who);
    if (r.dryRun) return replayConfirm(req.ops!, `/ops/actions/stories/${id}/replay`, r.count, {}, who.reason).value;
    return replayDone(r.count, r.deliveryIds).value;
  }

  @Post('ops/actions/failures/replay')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async replayFailures(@Req() req: OpsRequest, @Body() body: Json) {
    const who = this.who(req, body);
    const r = await this.ops.replayFailures(body, who);
    const fields = { stage: 'publish', channel: String(body['channel'] ?? ''), error_code: String(body['error_code'] ?? '') };
    if (r.dryRun) return replayConfirm(req.ops!, '/ops/actions/failures/replay', r.count, fields, who.reason).value;
    return replayDone(r.count, r.deliveryIds).value;
  }

  @Post('ops/actions/stories/:id/cancel')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async cancel(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    const r = await this.ops.cancel(id, this.who(req, body));
    return flash(html`Canceled ${r.canceled} pending ${r.canceled === 1 ? 'delivery' : 'deliveries'}.`);
  }

  @Post('ops/actions/stories/:id/withdraw')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async withdraw(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    const r = await this.ops.withdraw(id, this.who(req, body));
    return flash(html`Story ${r.status === 'withdrawn' ? 'withdrawn' : 'was withdrawn already'} (version ${r.version}).`);
  }

  @Post('ops/actions/channels/:id/:action')
  @NeedsRole('operator')
  @Header('content-type', HTML)
  async channel(@Req() req: OpsRequest, @Param('id') id: string, @Param('action') action: string, @Body() body: Json) {
    if (action !== 'pause' && action !== 'resume') return flash(html`Unknown action`);
    const r = await this.ops.setChannel(id, action, this.who(req, body));
    return flash(html`Channel <b>${r.slug}</b> is now ${badge(r.state)}.`);
  }
}

function flash(inner: Html): string {
  return html`<div class="flash ok">${inner}</div>`.value;
}

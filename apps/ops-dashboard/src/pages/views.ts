/**
 * Page templates. Each page is a layout around one or more regions; a region marked `live`
 * re-fetches its fragment (same template, same service call) when the server reports a change
 * over SSE. Action forms appear only for roles that may act; the API refuses them anyway.
 */
import type {
  AuditRow,
  ChannelOps,
  CostRow,
  FailureGroup,
  FeedOps,
  InDoubtDelivery,
  PartnerOps,
  ProviderOps,
  RouteOps,
  StageSummary,
  StoryDetail,
  StoryRow,
  RecentStory,
} from '@syndication/database';
import { OPS_STORY_STATUSES, roleAtLeast } from '@syndication/database';
import { html, type Html } from '../http/html';
import type { OpsPrincipal } from '../auth/ops-auth';
import type { QueueCounts } from '../ops/ops.service';
import { ago, badge, chips, dur, num, storyLink, when } from './format';
import { timelineSvg } from './timeline';

export const NAV: Array<[string, string]> = [
  ['/ops', 'Overview'],
  ['/ops/stories', 'Stories'],
  ['/ops/failures', 'Failures'],
  ['/ops/in-doubt', 'In doubt'],
  ['/ops/channels', 'Channels'],
  ['/ops/partners', 'Partners'],
  ['/ops/routing', 'Routing'],
  ['/ops/providers', 'Translation'],
  ['/ops/feeds', 'Polled feeds'],
  ['/ops/audit', 'Audit log'],
  ['/ops/queues', 'Queues (raw)'],
];

export function layout(title: string, p: OpsPrincipal, active: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${p.csrfToken ?? ''}">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}'>
<title>${title} · Ops</title>
<link rel="stylesheet" href="/ops/assets/app.css">
<script src="/ops/assets/htmx.min.js" defer></script>
<script src="/ops/assets/app.js" defer></script>
</head>
<body>
<header class="top">
  <a class="brand" href="/ops">Syndication <span>ops</span></a>
  <nav>${NAV.map(([href, label]) => html`<a href="${href}" class="${href === active ? 'active' : ''}">${label}</a>`)}</nav>
  <div class="who"><span class="live-dot" id="live-dot" title="live updates"></span> ${p.actor} <span class="badge role">${p.role}</span>
    <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}"><button class="link">Log out</button></form></div>
</header>
<main>
<h1>${title}</h1>
<div id="flash" aria-live="polite"></div>
${body}
</main>
</body>
</html>`.value;
}

export function loginPage(opts: { error?: string; next: string; csrf: string; username?: string }): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Ops</title><link rel="stylesheet" href="/ops/assets/app.css"></head>
<body class="login"><main class="login-box">
<h1>Syndication <span>ops</span></h1>
${opts.error ? html`<div class="flash error" role="alert">${opts.error}</div>` : ''}
<form method="post" action="/login">
  <input type="hidden" name="_csrf" value="${opts.csrf}"><input type="hidden" name="next" value="${opts.next}">
  <label>User name <input name="username" autocomplete="username" required value="${opts.username ?? ''}" autofocus></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit" class="primary">Log in</button>
</form>
<p class="muted small">Accounts are created with <code>npm run -s ops -- create-user &lt;name&gt; --role admin</code>.</p>
</main></body></html>`.value;
}

/** A live region: its content is re-fetched from `src` whenever the server reports a change. */
export function liveRegion(id: string, src: string, inner: Html): Html {
  return html`<div id="${id}" class="live" data-live hx-get="${src}" hx-trigger="ops-change from:body" hx-swap="innerHTML">${inner}</div>`;
}

const canAct = (p: OpsPrincipal) => roleAtLeast(p.role, 'operator');

function actionForm(p: OpsPrincipal, action: string, label: string, extra: Html | string = '', cls = ''): Html {
  if (!canAct(p)) return html``;
  return html`<form class="act ${cls}" hx-post="${action}" hx-target="#flash" hx-swap="innerHTML">
    <input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}">${extra}
    <input name="reason" required minlength="3" maxlength="500" placeholder="reason (required)" aria-label="reason">
    <button type="submit">${label}</button></form>`;
}

// ---------------- overview ----------------

export interface OverviewData {
  stages: StageSummary[];
  queues: QueueCounts[];
  top_failures: FailureGroup[];
  recent_stories: RecentStory[];
  in_doubt: number;
}

export function overviewFragment(d: OverviewData): Html {
  const q = new Map(d.queues.map((x) => [x.queue, x]));
  return html`<section class="tiles">${d.stages.map((s) => {
    const qc = q.get(s.stage);
    return html`<div class="tile ${s.failed_1h > 0 ? 'has-bad' : ''}" data-stage="${s.stage}">
      <h3>${s.stage}</h3>
      <dl>
        <dt>done 5 min / 1 h</dt><dd><b>${num(s.done_5m)}</b> / ${num(s.done_1h)}</dd>
        <dt>backlog</dt><dd>${num(s.backlog)}${qc ? html` <span class="muted small">(queue ${qc.waiting} waiting · ${qc.active} active · ${qc.delayed} delayed)</span>` : ''}</dd>
        <dt>oldest waiting</dt><dd>${s.oldest_waiting_seconds === null ? '—' : dur(s.oldest_waiting_seconds * 1000)}</dd>
        <dt>p95 (1 h)</dt><dd>${dur(s.p95_ms)}</dd>
        <dt>failed / retries 1 h</dt><dd class="${s.failed_1h ? 'bad' : ''}">${num(s.failed_1h)} / ${num(s.retries_1h)}</dd>
      </dl></div>`;
  })}</section>
  <div class="cols">
    <section class="card grow"><h2>Latest stories</h2>
      <table class="grid"><thead><tr><th>Story</th><th>Partner</th><th>Headline</th><th>Stage</th><th>Deliveries</th><th>Updated</th></tr></thead><tbody>
      ${d.recent_stories.map((s) => html`<tr data-story="${s.id}"><td>${storyLink(s.id)}</td><td>${s.partner_slug}</td><td class="headline"><a href="/ops/stories/${s.id}">${s.headline}</a></td>
        <td>${badge(s.stage)}</td><td class="deliveries">${chips(s.deliveries)}</td><td>${when(s.created_at)}</td></tr>`)}
      ${d.recent_stories.length ? '' : html`<tr><td colspan="6" class="muted">No stories yet. Push one: <code>npm run -s cli -- push tests/fixtures/seed/centralasia-2026-02-07-ru.txt</code></td></tr>`}
      </tbody></table></section>
    <section class="card side"><h2>Top failing causes</h2>
      ${d.top_failures.length ? html`<ul class="causes">${d.top_failures.map((f) => html`<li>${badge(f.error_class)} <b>${f.stage}${f.channel ? ` · ${f.channel}` : ''}</b> <code>${f.error_code}</code> ×${f.last_24h}
        <br><span class="muted small">${f.sample_error ?? ''}</span> ${storyLink(f.sample_story_id, 'sample story')}</li>`)}</ul>
        <p><a href="/ops/failures">All failures →</a></p>` : html`<p class="muted">Nothing failing in the last 7 days.</p>`}
      <h2>In doubt</h2><p>${d.in_doubt ? html`<a href="/ops/in-doubt" class="bad">${d.in_doubt} deliveries need a decision</a>` : html`<span class="muted">none</span>`}</p>
      <h2>Queues</h2><table class="grid small"><thead><tr><th>queue</th><th>wait</th><th>active</th><th>delayed</th><th>failed</th></tr></thead><tbody>
      ${d.queues.map((x) => html`<tr><td>${x.queue}</td><td>${x.waiting}</td><td>${x.active}</td><td>${x.delayed}</td><td class="${x.failed ? 'bad' : ''}">${x.failed}</td></tr>`)}</tbody></table>
    </section>
  </div>`;
}

// ---------------- stories ----------------

export function storiesForm(q: Record<string, string | undefined>): Html {
  return html`<form class="search" method="get" action="/ops/stories" hx-get="/ops/fragments/stories" hx-target="#stories" hx-push-url="true">
    <input name="q" value="${q['q'] ?? ''}" placeholder="story / version / delivery id, partner's id or uri, headline words" class="wide" aria-label="search">
    <input name="partner" value="${q['partner'] ?? ''}" placeholder="partner slug" aria-label="partner">
    <select name="status" aria-label="status"><option value="">any status</option>${OPS_STORY_STATUSES.map((s) => html`<option value="${s}" ${q['status'] === s ? html`selected` : ''}>${s.replace(/_/g, ' ')}</option>`)}</select>
    <label class="small">from <input type="datetime-local" name="from" value="${q['from'] ?? ''}"></label>
    <label class="small">to <input type="datetime-local" name="to" value="${q['to'] ?? ''}"></label>
    <button type="submit" class="primary">Search</button></form>`;
}

export function storiesFragment(items: StoryRow[], next: string | null, q: Record<string, string | undefined>): Html {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => !!e[1] && e[0] !== 'cursor'));
  if (next) params.set('cursor', next);
  return html`<table class="grid"><thead><tr><th>Story</th><th>Partner</th><th>Partner's id</th><th>Headline</th><th>Lang</th><th>Status</th><th>Deliveries</th><th>Received</th></tr></thead><tbody>
    ${items.map((s) => html`<tr><td>${storyLink(s.id)}</td><td>${s.partner_slug}</td><td class="mono small clip">${s.external_id}</td><td class="headline"><a href="/ops/stories/${s.id}">${s.headline}</a></td>
      <td>${s.language}</td><td>${badge(s.status)}</td><td>${chips(s.deliveries)}</td><td>${when(s.created_at)}</td></tr>`)}
    ${items.length ? '' : html`<tr><td colspan="8" class="muted">No story matches.</td></tr>`}
  </tbody></table>
  ${next ? html`<p><a href="/ops/stories?${params.toString()}" hx-get="/ops/fragments/stories?${params.toString()}" hx-target="#stories" hx-push-url="/ops/stories?${params.toString()}">Older stories →</a></p>` : ''}`;
}

// ---------------- story timeline ----------------

export function storyActions(p: OpsPrincipal, s: StoryDetail): Html {
  if (!canAct(p)) return html``;
  const failed = s.versions[0]?.deliveries.filter((d) => d.status === 'failed').length ?? 0;
  return html`<section class="card actions"><h2>Actions</h2>
    <div class="action-row">
      <div><h4>Replay failed deliveries</h4><p class="small muted">${failed} failed on the latest version; delivered ones are never sent again.</p>
        ${actionForm(p, `/ops/actions/stories/${s.id}/replay`, 'Dry run', html`<input type="hidden" name="dry_run" value="1">`)}</div>
      <div><h4>Cancel pending deliveries</h4><p class="small muted">Nothing not yet sent goes out.</p>${actionForm(p, `/ops/actions/stories/${s.id}/cancel`, 'Cancel', '', 'danger')}</div>
      <div><h4>Withdraw (kill)</h4><p class="small muted">Takes it off feeds, sends withdrawal notices.</p>${actionForm(p, `/ops/actions/stories/${s.id}/withdraw`, 'Withdraw', '', 'danger')}</div>
    </div></section>`;
}

export function storyFragment(p: OpsPrincipal, s: StoryDetail): Html {
  return html`<section class="card"><div class="story-head">
      <div><span class="muted small">story</span> <span class="mono">${s.id}</span></div>
      <div>${badge(s.status)} ${s.pubstatus !== 'usable' ? badge(s.pubstatus) : ''}</div>
    </div>
    <dl class="facts"><dt>partner</dt><dd>${s.partner_slug} <span class="muted">(${s.partner_name})</span></dd>
      <dt>partner's id</dt><dd class="mono small">${s.external_id}</dd><dt>first received</dt><dd>${when(s.created_at)}</dd>
      ${s.embargo_until ? html`<dt>embargo</dt><dd>${s.embargo_until}</dd>` : ''}${s.expires_at ? html`<dt>expires</dt><dd>${s.expires_at}</dd>` : ''}
      ${s.pubstatus_reason ? html`<dt>reason</dt><dd>${s.pubstatus_reason}</dd>` : ''}</dl></section>
  ${s.versions.map((v) => html`<section class="card version" data-version="${v.id}">
    <h2>Version ${v.version} <span class="muted small">${v.format} · ${v.language} · ${v.stage}</span></h2>
    <p class="headline big">${v.headline}</p>
    <div class="legend small"><span class="sw s-done"></span>done/delivered <span class="sw s-retry"></span>retry <span class="sw s-failed"></span>failed <span class="sw s-running"></span>running <span class="sw s-in_doubt"></span>in doubt <span class="sw s-canceled"></span>skipped/canceled ◆ replayed</div>
    ${timelineSvg(v)}
    <h3>Deliveries</h3>
    <table class="grid"><thead><tr><th>Channel</th><th>Lang</th><th>Kind</th><th>Status</th><th>Attempts</th><th>External id</th><th>Last error</th><th>Delivered</th><th></th></tr></thead><tbody>
    ${v.deliveries.map((d) => html`<tr data-delivery="${d.id}" data-status="${d.status}"><td>${d.channel_slug} <span class="muted small">${d.channel_kind}</span></td><td>${d.language}</td><td>${d.kind}</td>
      <td class="status">${badge(d.status)}</td><td>${d.attempts}</td><td class="mono small clip">${d.external_id ?? '—'}</td><td class="small err">${d.last_error ?? ''}</td><td>${when(d.delivered_at)}</td>
      <td>${d.status === 'failed' || d.status === 'retry' ? actionForm(p, `/ops/actions/deliveries/${d.id}/retry`, 'Retry now', '', 'compact') : ''}
          ${d.status === 'in_doubt' && canAct(p) ? html`<a href="/ops/in-doubt">resolve →</a>` : ''}</td></tr>`)}
    ${v.deliveries.length ? '' : html`<tr><td colspan="9" class="muted">No deliveries (yet).</td></tr>`}
    </tbody></table>
    <div class="cols">
      <div class="grow"><h3>Translations</h3>
        <table class="grid small"><thead><tr><th>Lang</th><th>Status</th><th>Provider</th><th>Chars sent / reused</th><th>Headline</th></tr></thead><tbody>
        ${v.translations.map((t) => html`<tr><td>${t.language}</td><td>${badge(t.status)}</td><td>${t.provider ?? '—'}</td><td>${num(t.chars_sent)} / ${num(t.chars_reused)}</td><td>${t.headline ?? t.error ?? ''}</td></tr>`)}
        ${v.translations.length ? '' : html`<tr><td colspan="5" class="muted">none</td></tr>`}</tbody></table></div>
      <div class="grow"><h3>Removed boilerplate</h3>
        ${v.removed_spans.length ? html`<ul class="removed">${v.removed_spans.map((r) => html`<li>${badge(r.reason)} <span class="small">${r.text.length > 160 ? `${r.text.slice(0, 160)}…` : r.text}</span></li>`)}</ul>` : html`<p class="muted small">nothing removed</p>`}</div>
    </div>
    <details><summary>Stage events (${v.events.length})</summary>
      <table class="grid small"><thead><tr><th>#</th><th>At</th><th>Stage</th><th>Status</th><th>Detail</th></tr></thead><tbody>
      ${v.events.map((e) => html`<tr><td>${e.id}</td><td class="mono">${new Date(e.at).toISOString().slice(11, 23)}</td><td>${e.stage}</td><td>${badge(e.status)}</td><td class="mono small">${JSON.stringify(e.detail)}</td></tr>`)}
      </tbody></table></details>
  </section>`)}`;
}

// ---------------- failures ----------------

export function failuresFragment(p: OpsPrincipal, groups: FailureGroup[]): Html {
  if (!groups.length) return html`<p class="card muted">Nothing failing in the last 7 days.</p>`;
  return html`<table class="grid"><thead><tr><th>Stage</th><th>Channel</th><th>Status</th><th>Cause</th><th>Class</th><th>1 h</th><th>24 h</th><th>7 d</th><th>First / last seen</th><th>Sample</th><th>Replay</th></tr></thead><tbody>
  ${groups.map((g) => html`<tr class="group" data-channel="${g.channel ?? ''}" data-code="${g.error_code}" data-status="${g.status}">
    <td>${g.stage}</td><td>${g.channel ?? '—'}</td><td>${badge(g.status)}</td><td><code>${g.error_code}</code><br><span class="small err">${g.sample_error ?? ''}</span></td><td>${badge(g.error_class)}</td>
    <td>${g.last_1h}</td><td>${g.last_24h}</td><td>${g.last_7d}</td><td class="small">${ago(g.first_seen)}<br>${ago(g.last_seen)}</td>
    <td>${storyLink(g.sample_story_id, 'story →')}</td>
    <td>${g.stage === 'publish' && g.replayable > 0
      ? actionForm(p, '/ops/actions/failures/replay', `Dry run (${g.replayable})`, html`<input type="hidden" name="stage" value="publish"><input type="hidden" name="channel" value="${g.channel ?? ''}"><input type="hidden" name="error_code" value="${g.error_code}"><input type="hidden" name="dry_run" value="1">`, 'compact')
      : html`<span class="muted small">${g.status === 'retry' ? 'retrying' : g.status === 'in_doubt' ? html`<a href="/ops/in-doubt">resolve</a>` : '—'}</span>`}</td></tr>`)}
  </tbody></table>`;
}

/** After a dry run: the count and a confirm form carrying the same selection. */
export function replayConfirm(p: OpsPrincipal, action: string, count: number, fields: Record<string, string>, reason: string): Html {
  if (count === 0) return html`<div class="flash">Nothing to replay: no failed delivery matches (any longer).</div>`;
  return html`<div class="flash confirm"><b>Dry run:</b> ${count} failed ${count === 1 ? 'delivery' : 'deliveries'} would be sent again (delivered ones never are).
    <form class="act" hx-post="${action}" hx-target="#flash" hx-swap="innerHTML"><input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}">
    ${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
    <input name="reason" required minlength="3" maxlength="500" value="${reason}" aria-label="reason"><button type="submit" class="primary">Replay ${count}</button></form></div>`;
}

export function replayDone(count: number, ids: string[]): Html {
  return html`<div class="flash ok"><b>Replayed ${count}.</b> Their status updates here live:
    <div class="live" data-live hx-get="/ops/fragments/deliveries?ids=${ids.slice(0, 50).join(',')}" hx-trigger="load, ops-change from:body" hx-swap="innerHTML"></div></div>`;
}

export function deliveriesStatusFragment(rows: Array<{ id: string; story_id: string; channel_slug: string; language: string; status: string; last_error: string | null }>): Html {
  return html`<ul class="replayed">${rows.map((r) => html`<li data-delivery="${r.id}" data-status="${r.status}">${storyLink(r.story_id)} ${r.channel_slug} · ${r.language} ${badge(r.status)} <span class="small err">${r.status === 'delivered' ? '' : r.last_error ?? ''}</span></li>`)}</ul>`;
}

// ---------------- in doubt ----------------

export function inDoubtFragment(p: OpsPrincipal, items: InDoubtDelivery[]): Html {
  if (!items.length) return html`<p class="card muted">No delivery is in doubt.</p>`;
  return html`<table class="grid"><thead><tr><th>Story</th><th>Partner</th><th>Channel</th><th>Lang</th><th>Attempts</th><th>Claimed</th><th>Last error / evidence</th><th>Resolve</th></tr></thead><tbody>
  ${items.map((d) => html`<tr data-delivery="${d.id}"><td>${storyLink(d.story_id)}<br><span class="small">${d.headline}</span></td><td>${d.partner_slug}</td><td>${d.channel_slug} <span class="muted small">${d.channel_kind}</span></td>
    <td>${d.language}</td><td>${d.attempts}</td><td>${when(d.claimed_at)}</td><td class="small"><span class="err">${d.last_error ?? ''}</span><br><code>${JSON.stringify(d.evidence)}</code></td>
    <td>${canAct(p) ? html`<form class="act" hx-post="/ops/actions/deliveries/${d.id}/resolve" hx-target="#flash" hx-swap="innerHTML">
        <input type="hidden" name="_csrf" value="${p.csrfToken ?? ''}">
        <select name="action" aria-label="resolution"><option value="mark_delivered">it arrived: mark delivered</option><option value="resend">it did not: resend</option></select>
        <input name="external_id" placeholder="external id (optional)" aria-label="external id">
        <input name="reason" required minlength="3" maxlength="500" placeholder="reason (required)" aria-label="reason"><button type="submit">Resolve</button></form>` : html`<span class="muted small">operators resolve</span>`}</td></tr>`)}
  </tbody></table>`;
}

// ---------------- channels, partners, routing, providers, feeds, audit ----------------

export function channelsFragment(p: OpsPrincipal, items: ChannelOps[]): Html {
  return html`<table class="grid"><thead><tr><th>Channel</th><th>Kind</th><th>State</th><th>Since / until</th><th>Backlog</th><th>Delivered / failed 1 h</th><th>Last delivered</th><th>Last error</th><th>Routes</th><th></th></tr></thead><tbody>
  ${items.map((c) => html`<tr data-channel="${c.slug}" data-state="${c.state}"><td><b>${c.slug}</b><br><span class="muted small">${c.name}</span></td><td>${c.kind}</td><td>${badge(c.state)}${c.state_reason ? html`<br><span class="small">${c.state_reason}</span>` : ''}</td>
    <td class="small">${ago(c.state_since)}${c.state_until ? html`<br>until ${ago(c.state_until)}` : ''}</td><td>${c.backlog}</td><td>${c.delivered_1h} / <span class="${c.failed_1h ? 'bad' : ''}">${c.failed_1h}</span></td>
    <td>${when(c.last_delivered_at)}</td><td class="small">${c.last_error ? html`<span class="err">${c.last_error}</span> ${c.last_error_story_id ? storyLink(c.last_error_story_id, 'story →') : ''}` : html`<span class="muted">—</span>`}</td><td>${c.routes}</td>
    <td>${c.state === 'active' ? actionForm(p, `/ops/actions/channels/${c.slug}/pause`, 'Pause', '', 'compact') : actionForm(p, `/ops/actions/channels/${c.slug}/resume`, 'Resume', '', 'compact')}</td></tr>`)}
  </tbody></table>`;
}

export function partnersTable(items: PartnerOps[]): Html {
  return html`<table class="grid"><thead><tr><th>Partner</th><th>Stories 24 h / 7 d</th><th>Last push</th><th>Deliveries 24 h</th><th>Success</th><th>Failed</th><th>Feed rejections (last poll)</th><th>Keys</th><th>Signed only</th></tr></thead><tbody>
  ${items.map((x) => html`<tr><td><b>${x.slug}</b><br><span class="muted small">${x.name}</span></td><td>${x.stories_24h} / ${x.stories_7d}</td><td>${when(x.last_push_at)}</td><td>${x.deliveries_24h}</td>
    <td>${x.deliveries_24h ? `${Math.round((100 * x.delivered_24h) / x.deliveries_24h)} %` : '—'}</td><td class="${x.failed_24h ? 'bad' : ''}">${x.failed_24h}</td>
    <td class="small">${Object.keys(x.feed_rejections).length ? Object.entries(x.feed_rejections).map(([k, n]) => html`<code>${k}</code> ×${n} `) : html`<span class="muted">—</span>`}</td><td>${x.active_keys}</td><td>${x.require_signature ? 'yes' : 'no'}</td></tr>`)}
  </tbody></table><p class="muted small">Pushes refused over HTTP are answered with problem+json and not stored, so only polled-feed refusals are counted here.</p>`;
}

const list = (v: string[] | null) => (v?.length ? v.join(', ') : html`<span class="muted">any</span>`);

export function routesTable(items: RouteOps[]): Html {
  return html`<table class="grid"><thead><tr><th>Route</th><th>Partner</th><th>Source languages</th><th>Topics / entities</th><th>→ Channel</th><th>Languages</th><th>Translation</th><th>Active</th></tr></thead><tbody>
  ${items.map((r) => html`<tr><td>${r.name}</td><td>${r.partner_slug ?? html`<span class="muted">any</span>`}</td><td>${list(r.source_languages)}</td><td class="small">${list(r.topics)}<br>${list(r.entities)}</td>
    <td><b>${r.channel_slug}</b> <span class="muted small">${r.channel_kind}</span></td><td>${r.languages.join(', ')}</td>
    <td class="small">${r.translation_policy}${r.translation_wait_seconds !== null ? ` (${r.translation_wait_seconds} s)` : ''}${r.translation_providers ? html`<br>${r.translation_providers.join(' → ')}` : ''}</td><td>${r.active ? 'yes' : badge('paused')}</td></tr>`)}
  </tbody></table><p class="muted small">Read-only here. Partners preview where a story would go with <code>POST /v1/routes/preview</code> on the intake API.</p>`;
}

export function providersPage(providers: ProviderOps[], cost: CostRow[]): Html {
  return html`<section class="card"><h2>Providers</h2><table class="grid"><thead><tr><th>Provider</th><th>Status</th><th>Paused until</th><th>Reason</th><th>Done / failed 24 h</th><th>Chars sent (all time)</th><th>Chars from memory</th></tr></thead><tbody>
  ${providers.map((x) => html`<tr><td><b>${x.provider}</b></td><td>${badge(x.status)}</td><td>${when(x.paused_until)}</td><td class="small">${x.reason ?? ''}</td><td>${x.translations_24h} / ${x.failed_24h}</td><td>${num(x.chars_sent_total)}</td><td>${num(x.chars_reused_total)}</td></tr>`)}
  ${providers.length ? '' : html`<tr><td colspan="7" class="muted">No translations yet.</td></tr>`}</tbody></table></section>
  <section class="card"><h2>Cost by partner (view <code>translation_cost</code>)</h2><table class="grid"><thead><tr><th>Partner</th><th>Provider</th><th>Language</th><th>Translations</th><th>Chars sent</th><th>Chars reused</th></tr></thead><tbody>
  ${cost.map((c) => html`<tr><td>${c.partner_slug}</td><td>${c.provider ?? '—'}</td><td>${c.language}</td><td>${c.translations}</td><td>${num(c.chars_sent)}</td><td>${num(c.chars_reused)}</td></tr>`)}
  ${cost.length ? '' : html`<tr><td colspan="6" class="muted">No translations yet.</td></tr>`}</tbody></table></section>`;
}

export function feedsTable(items: FeedOps[]): Html {
  return html`<table class="grid"><thead><tr><th>Partner</th><th>URL</th><th>Every</th><th>Enabled</th><th>Last poll</th><th>Outcome</th><th>Failures in a row</th><th>Next poll</th></tr></thead><tbody>
  ${items.map((f) => html`<tr><td>${f.partner_slug}</td><td class="mono small clip">${f.url}</td><td>${dur(f.interval_seconds * 1000)}</td><td>${f.enabled ? 'yes' : 'no'}</td><td>${when(f.last_polled_at)}</td>
    <td>${badge(f.last_status ?? 'never')} <span class="small err">${f.last_error ?? ''}</span>${f.last_result ? html`<br><code class="small">${JSON.stringify(f.last_result).slice(0, 200)}</code>` : ''}</td><td class="${f.consecutive_failures ? 'bad' : ''}">${f.consecutive_failures}</td><td>${when(f.next_poll_at)}</td></tr>`)}
  ${items.length ? '' : html`<tr><td colspan="8" class="muted">No partner feed is polled.</td></tr>`}</tbody></table>`;
}

export function auditTable(items: AuditRow[]): Html {
  const link = (a: AuditRow) => (a.target_type === 'story' && a.target_id ? storyLink(a.target_id) : html`<span class="mono small">${a.target_id ?? ''}</span>`);
  const last = items[items.length - 1];
  return html`<table class="grid"><thead><tr><th>#</th><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Reason</th><th>Detail</th></tr></thead><tbody>
  ${items.map((a) => html`<tr><td>${a.id}</td><td>${when(a.at)}</td><td>${a.actor} <span class="muted small">${a.actor_type}</span></td><td><code>${a.action}</code></td><td>${a.target_type ?? ''} ${link(a)}</td><td>${a.reason ?? ''}</td><td class="mono small">${JSON.stringify(a.detail)}</td></tr>`)}
  ${items.length ? '' : html`<tr><td colspan="7" class="muted">No privileged action yet.</td></tr>`}</tbody></table>
  ${last && items.length >= 100 ? html`<p><a href="/ops/audit?before=${last.id}">Older →</a></p>` : ''}
  <p class="muted small">Append-only and hash-chained (each row carries the previous row's hash).</p>`;
}

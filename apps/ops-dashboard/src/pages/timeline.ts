/**
 * A version's history as Temporal-style lanes: intake, translation, tagging, routing, then one lane
 * per delivery (channel / language / kind). Each attempt is a span coloured by its outcome, built
 * from stage_event rows (workers record the stage's own duration as `ms`; a publish attempt runs
 * from the previous attempt, or from routing, to its outcome). Rendered as inline SVG: geometry
 * goes in SVG attributes, colours in the stylesheet, so the strict CSP needs no inline styles.
 */
import type { VersionDetail } from '@syndication/database';
import { html, type Html } from '../http/html';
import { dur } from './format';

export interface Span {
  lane: string;
  start: number;
  end: number;
  status: string;
  attempt?: number;
  title: string;
}

const OPEN = new Set(['pending', 'retry', 'sending', 'waiting']);

export function buildSpans(v: VersionDetail, now = Date.now()): { lanes: string[]; spans: Span[]; t0: number; t1: number } {
  const t0 = new Date(v.received_at).getTime();
  const spans: Span[] = [];
  const laneEnd = new Map<string, number>();
  const stageEnd: Record<string, number> = {};
  const deliveryLane = new Map(v.deliveries.map((d) => [d.id, `${d.channel_slug} · ${d.language}${d.kind === 'withdraw' ? ' · withdraw' : ''}`]));
  const lanes: string[] = [];
  const lane = (name: string) => {
    if (!lanes.includes(name)) lanes.push(name);
    return name;
  };
  for (const e of v.events) {
    const at = new Date(e.at).getTime();
    const d = e.detail ?? {};
    const ms = typeof d['ms'] === 'number' ? (d['ms'] as number) : undefined;
    if (e.stage === 'publish') {
      const id = typeof d['deliveryId'] === 'string' ? (d['deliveryId'] as string) : '';
      const name = lane(deliveryLane.get(id) ?? `publish ${String(d['channel'] ?? '?')} · ${String(d['language'] ?? '?')}`);
      const start = laneEnd.get(name) ?? stageEnd['route'] ?? t0;
      const attempt = typeof d['attempt'] === 'number' ? (d['attempt'] as number) : undefined;
      const err = typeof d['error'] === 'string' ? ` — ${d['error'] as string}` : '';
      const ext = typeof d['externalId'] === 'string' ? ` — id ${d['externalId'] as string}` : '';
      const by = typeof d['by'] === 'string' ? ` by ${d['by'] as string}: ${String(d['reason'] ?? '')}` : typeof d['resolvedBy'] === 'string' ? ` (resolved by ${d['resolvedBy'] as string})` : '';
      spans.push({ lane: name, start: e.status === 'replayed' ? at : start, end: at, status: e.status, ...(attempt ? { attempt } : {}),
        title: `${name}: ${e.status}${attempt ? ` (attempt ${attempt})` : ''}${err}${ext}${by} · ${dur(at - start)}` });
      laneEnd.set(name, at);
      continue;
    }
    const name = lane(e.stage);
    let start: number;
    if (ms !== undefined) start = at - ms;
    else if (e.stage === 'route') start = Math.max(stageEnd['translate'] ?? t0, stageEnd['tag'] ?? t0);
    else if (e.stage === 'intake') start = t0;
    else start = stageEnd['intake'] ?? t0;
    const err = typeof d['error'] === 'string' ? ` — ${d['error'] as string}` : '';
    spans.push({ lane: name, start, end: at, status: e.status, title: `${e.stage}: ${e.status}${err} · ${dur(at - start)}` });
    stageEnd[e.stage] = at;
  }
  // Work still under way shows as an open span up to now.
  for (const d of v.deliveries) {
    if (!OPEN.has(d.status)) continue;
    const name = lane(deliveryLane.get(d.id)!);
    const start = laneEnd.get(name) ?? stageEnd['route'] ?? t0;
    spans.push({ lane: name, start, end: now, status: d.status === 'retry' ? 'retry-wait' : 'running', title: `${name}: ${d.status} (attempts so far ${d.attempts})` });
  }
  const t1 = Math.max(t0 + 1, ...spans.map((s) => s.end));
  return { lanes, spans, t0, t1 };
}

export function timelineSvg(v: VersionDetail, now = Date.now()): Html {
  const { lanes, spans, t0, t1 } = buildSpans(v, now);
  if (!lanes.length) return html`<p class="muted">No stage events yet.</p>`;
  const W = 1100;
  const L = 230;
  const R = 20;
  const row = 28;
  const top = 22;
  const H = top + lanes.length * row + 8;
  const x = (t: number) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => ({ f, label: `+${dur(f * (t1 - t0))}` }));
  return html`<svg class="timeline" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Timeline of version ${v.version}">
    ${ticks.map((t) => html`<line class="tick" x1="${x(t0 + t.f * (t1 - t0))}" x2="${x(t0 + t.f * (t1 - t0))}" y1="14" y2="${H}"></line>
      <text class="ticklabel" x="${x(t0 + t.f * (t1 - t0))}" y="11" text-anchor="${t.f === 1 ? 'end' : t.f === 0 ? 'start' : 'middle'}">${t.label}</text>`)}
    ${lanes.map((name, i) => html`<rect class="lane ${i % 2 ? 'odd' : ''}" x="0" y="${top + i * row}" width="${W}" height="${row}"></rect>
      <text class="lanelabel" x="8" y="${top + i * row + 18}">${name.length > 34 ? `${name.slice(0, 33)}…` : name}</text>`)}
    ${spans.map((s) => {
      const i = lanes.indexOf(s.lane);
      const sx = x(s.start);
      const w = Math.max(6, x(s.end) - sx);
      const marker = s.status === 'replayed';
      return html`<g class="span s-${s.status}"><title>${s.title}</title>${
        marker
          ? html`<path d="M${sx} ${top + i * row + 4} l6 10 l-6 10 l-6 -10 z"></path>`
          : html`<rect x="${sx}" y="${top + i * row + 5}" width="${w}" height="${row - 10}" rx="4"></rect>${
              s.attempt ? html`<text class="attempt" x="${sx + 4}" y="${top + i * row + 18}">↻${s.attempt}</text>` : ''
            }`
      }</g>`;
    })}
  </svg>`;
}

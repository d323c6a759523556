/** Small display helpers shared by the page templates. */
import { html, type Html } from '../http/html';

export function ago(at: string | null | undefined, now = Date.now()): string {
  if (!at) return '—';
  const s = Math.round((now - new Date(at).getTime()) / 1000);
  if (s < 0) return `in ${dur(-s * 1000)}`;
  if (s < 2) return 'just now';
  return `${dur(s * 1000)} ago`;
}

export function dur(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.round((s % 86400) / 3600)} h`;
}

export function when(at: string | null | undefined): Html {
  if (!at) return html`<span class="muted">—</span>`;
  const iso = new Date(at).toISOString();
  return html`<time datetime="${iso}" title="${iso}">${ago(at)}</time>`;
}

const TONE: Record<string, string> = {
  delivered: 'ok', done: 'ok', published: 'ok', active: 'ok', ok: 'ok', not_modified: 'ok',
  retry: 'warn', retrying: 'warn', rate_limited: 'warn', processing: 'info', pending: 'info', sending: 'info', waiting: 'info', running: 'info', enriching: 'info', publish: 'info',
  partially_published: 'warn', circuit_open: 'warn', partial: 'warn', held: 'warn',
  failed: 'bad', error: 'bad', credentials_broken: 'bad', endpoint_gone: 'bad', auth: 'bad', permanent: 'bad',
  in_doubt: 'doubt', paused: 'muted', skipped: 'muted', canceled: 'muted', withdrawn: 'muted', withheld: 'muted', not_routed: 'muted', transient: 'warn', replayed: 'info',
};

export function badge(status: string | null | undefined): Html {
  const s = status ?? 'unknown';
  return html`<span class="badge ${TONE[s] ?? 'muted'}">${s.replace(/_/g, ' ')}</span>`;
}

export function storyLink(id: string, text?: string): Html {
  return html`<a href="/ops/stories/${id}" class="mono">${text ?? id.slice(0, 8)}</a>`;
}

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en');
}

/** Delivery status chips: "2 delivered · 1 failed". */
export function chips(counts: Record<string, number>): Html {
  const order = ['delivered', 'failed', 'in_doubt', 'retry', 'sending', 'pending', 'waiting', 'skipped', 'canceled'];
  const keys = Object.keys(counts).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (!keys.length) return html`<span class="muted">no deliveries</span>`;
  return html`${keys.map((k) => html`<span class="chip ${TONE[k] ?? 'muted'}">${counts[k]} ${k.replace(/_/g, ' ')}</span> `)}`;
}

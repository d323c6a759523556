/**
 * The partner side: pushes stories through the real HTTP intake and appends every 2xx (with the
 * story id it was given) to its own log, which is what the checker holds the product to. Other
 * answers are counted, never logged as accepted.
 */
import { appendFileSync, writeFileSync } from 'node:fs';

export interface AcceptedStory {
  at: number;
  storyId: string;
  versionId?: string;
  uri: string;
  status: number;
}

export interface PushResult {
  status: number | 'network_error';
  storyId?: string;
  ms: number;
  retryAfter?: string | null;
  contentType?: string | null;
  code?: string;
}

export class PartnerClient {
  readonly statuses = new Map<string, number>();
  attempted = 0;

  constructor(
    private readonly intakeUrl: string,
    private readonly apiKey: string,
    readonly acceptedLog: string,
  ) {
    writeFileSync(acceptedLog, '');
  }

  static storyBody(uri: string, headline: string): string {
    return JSON.stringify({
      uri,
      version: '1',
      headline,
      body_text: `${headline}. The regional council met on Tuesday to discuss the budget.\n\nDelegates agreed to meet again next month.`,
      language: 'en',
    });
  }

  /** One POST; `timeoutMs` bounds it (a hung intake is a failed push, not a hung test). */
  async push(uri: string, headline: string, timeoutMs = 10_000): Promise<PushResult> {
    this.attempted += 1;
    const t0 = Date.now();
    try {
      const res = await fetch(`${this.intakeUrl}/v1/stories`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
        body: PartnerClient.storyBody(uri, headline),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let body: { id?: string; version_id?: string; code?: string } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // Not JSON: counted by status only.
      }
      this.count(String(res.status));
      if (res.status >= 200 && res.status < 300 && body.id) {
        const entry: AcceptedStory = { at: Date.now(), storyId: body.id, uri, status: res.status, ...(body.version_id ? { versionId: body.version_id } : {}) };
        appendFileSync(this.acceptedLog, `${JSON.stringify(entry)}\n`);
      }
      return {
        status: res.status,
        ms: Date.now() - t0,
        retryAfter: res.headers.get('retry-after'),
        contentType: res.headers.get('content-type'),
        ...(body.id ? { storyId: body.id } : {}),
        ...(body.code ? { code: body.code } : {}),
      };
    } catch (err) {
      // Counted by cause (timeout, refused, reset), so a run's figures say which it was.
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as { name?: string }).name ?? 'unknown';
      this.count(`network_error:${cause}`);
      return { status: 'network_error', ms: Date.now() - t0 };
    }
  }

  private count(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }
}

/** Partner setup through the admin API, and requests signed the way a partner signs them. */
import type { RunningSystem } from './system';
import { signatureHeaders, type SigningKey } from '../../apps/partner-cli/src/sign';

export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

async function read(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}

/** An admin API call with the system's ADMIN_TOKEN (or the given authorization header). */
export async function admin(system: RunningSystem, method: string, path: string, body?: unknown, authorization?: string | null): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  const auth = authorization === undefined ? `Bearer ${system.config.auth.adminToken}` : authorization;
  if (auth) headers['authorization'] = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${system.intakeUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return read(res);
}

export interface SignedRequest {
  method?: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Override what is signed (tampering tests): the body or headers sent differ from those signed. */
  sendBody?: string | Buffer;
  timestamp?: number;
  nonce?: string;
}

/** Signs and sends; returns the response and the exact headers sent (to replay them). */
export async function signedRequest(system: RunningSystem, key: SigningKey, r: SignedRequest): Promise<HttpResult & { sent: Record<string, string> }> {
  const method = r.method ?? (r.body !== undefined ? 'POST' : 'GET');
  const sig = signatureHeaders(key, {
    method,
    target: r.path,
    headers: r.headers ?? {},
    ...(r.body !== undefined ? { body: r.body } : {}),
    ...(r.timestamp !== undefined ? { timestamp: r.timestamp } : {}),
    ...(r.nonce !== undefined ? { nonce: r.nonce } : {}),
  });
  const sent = { ...(r.headers ?? {}), ...sig };
  const body = r.sendBody ?? r.body;
  return { ...(await send(system, method, r.path, sent, body)), sent };
}

/** Sends exactly these headers and body (a replay). */
export async function send(system: RunningSystem, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<HttpResult> {
  return read(await fetch(`${system.intakeUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }));
}

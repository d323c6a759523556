/**
 * A local Telegram Bot API server speaking the real protocol (https://core.telegram.org/bots/api):
 * `POST /bot<token>/<method>` with a JSON body, answers `{ok:true,result}` or
 * `{ok:false,error_code,description,parameters}` with the matching HTTP status. It keeps each
 * chat's messages, so a test sees what a chat shows after sends, edits and deletes, and checks
 * what Telegram checks: the token, the HTML tag subset and the 4096-character limit.
 * Scripted faults (`failNext`) model a 429 with retry_after, a hang, or an answer lost after the
 * message was posted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTelegramMessage {
  message_id: number;
  chat_id: string;
  text: string;
  parse_mode?: string;
  edits: number;
  deleted: boolean;
}

export interface FakeTelegramCall {
  method: string;
  token: string;
  body: Record<string, unknown>;
}

export type FakeTelegramFault =
  | { kind: 'error'; code: number; description: string; retryAfter?: number }
  /** Holds the request open for `ms` without answering. */
  | { kind: 'hang'; ms: number }
  /** Performs the call, then drops the connection: the message exists, the answer is lost. */
  | { kind: 'lose_answer' };

export interface FakeTelegram {
  /** The `api_root` to configure. */
  apiRoot: string;
  calls: FakeTelegramCall[];
  /** Every message ever posted, deleted ones included (flagged). */
  messages: FakeTelegramMessage[];
  /** What a chat shows now. */
  visible(chatId: string): FakeTelegramMessage[];
  /** Faults for the next calls, in order (any method). */
  failNext(...faults: FakeTelegramFault[]): void;
  stop(): Promise<void>;
}

const TELEGRAM_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

export async function startFakeTelegram(opts: { tokens: string[] }): Promise<FakeTelegram> {
  const calls: FakeTelegramCall[] = [];
  const messages: FakeTelegramMessage[] = [];
  const faults: FakeTelegramFault[] = [];
  let nextId = 1;
  const timers = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const fail = (code: number, description: string, parameters?: Record<string, unknown>) =>
        answer(code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });
      if (!m || req.method !== 'POST') return fail(404, 'Not Found');
      const [, token, method] = m as unknown as [string, string, string];
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return fail(400, 'Bad Request: invalid JSON');
      }
      calls.push({ method, token, body });
      if (!opts.tokens.includes(token)) return fail(401, 'Unauthorized');
      const fault = faults.shift();
      if (fault?.kind === 'error') return fail(fault.code, fault.description, fault.retryAfter === undefined ? undefined : { retry_after: fault.retryAfter });
      if (fault?.kind === 'hang') {
        const t = setTimeout(() => {
          timers.delete(t);
          res.destroy();
        }, fault.ms);
        timers.add(t);
        return;
      }
      const result = perform(method, body);
      if (fault?.kind === 'lose_answer') return void res.destroy();
      if ('error' in result) return fail(result.error, result.description);
      answer(200, { ok: true, result: result.ok });
    });
  });

  function perform(method: string, body: Record<string, unknown>): { ok: unknown } | { error: number; description: string } {
    const chat = body['chat_id'] === undefined ? '' : String(body['chat_id']);
    const find = () => messages.find((x) => x.chat_id === chat && x.message_id === Number(body['message_id']) && !x.deleted);
    switch (method) {
      case 'getMe':
        return { ok: { id: 1, is_bot: true, first_name: 'fake', username: 'fake_bot' } };
      case 'sendMessage': {
        const text = String(body['text'] ?? '');
        const invalid = checkText(text, body['parse_mode']);
        if (invalid) return { error: 400, description: invalid };
        const msg: FakeTelegramMessage = { message_id: nextId++, chat_id: chat, text, edits: 0, deleted: false, ...(body['parse_mode'] ? { parse_mode: String(body['parse_mode']) } : {}) };
        messages.push(msg);
        return { ok: { message_id: msg.message_id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat) || 0, type: 'channel' }, text } };
      }
      case 'editMessageText': {
        const msg = find();
        if (!msg) return { error: 400, description: 'Bad Request: message to edit not found' };
        const text = String(body['text'] ?? '');
        const invalid = checkText(text, body['parse_mode']);
        if (invalid) return { error: 400, description: invalid };
        if (text === msg.text) return { error: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message' };
        msg.text = text;
        msg.edits++;
        return { ok: { message_id: msg.message_id, chat: { id: Number(chat) || 0, type: 'channel' }, text } };
      }
      case 'deleteMessage': {
        const msg = find();
        if (!msg) return { error: 400, description: 'Bad Request: message to delete not found' };
        msg.deleted = true;
        return { ok: true };
      }
      default:
        return { error: 404, description: 'Not Found: method not found' };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    messages,
    visible: (chatId) => messages.filter((x) => x.chat_id === chatId && !x.deleted),
    failNext: (...f) => void faults.push(...f),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What Telegram refuses in a message text: unknown tags in HTML mode, and more than 4096 characters of text. */
function checkText(text: string, parseMode: unknown): string | undefined {
  let visible = text;
  if (parseMode === 'HTML') {
    for (const tag of text.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
      if (!TELEGRAM_TAGS.has(tag[1]!.toLowerCase())) return `Bad Request: can't parse entities: Unsupported start tag "${tag[1]}"`;
      if (/\son\w+\s*=/i.test(tag[2] ?? '')) return `Bad Request: can't parse entities: Unsupported attribute`;
    }
    visible = text
      .replace(/<[^>]*>/g, '')
      .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '_');
  }
  if (visible.trim() === '') return 'Bad Request: message text is empty';
  if (visible.length > 4096) return 'Bad Request: message is too long';
  return undefined;
}

/**
 * The `telegram` channel kind: one Bot API message per story in one chat, through grammY with a
 * configurable API root (a local Bot API server, or the fake in tests) and every request through
 * the outbound SSRF guard. A correction edits the message the chat already shows
 * (editMessageText, using the external id `<chat_id>/<message_id>` of the earlier delivery); a
 * kill deletes it (deleteMessage), or, when Telegram no longer allows that (messages older than
 * 48 h), replaces its text with the withdrawal notice.
 *
 * Not resend-safe: Telegram has no idempotency key, so a send whose answer was lost (timeout
 * after the request left, connection reset) is reported `inDoubt` and never repeated.
 * A 429 holds every call of the bot (all chats, all processes: the CooldownStore) for
 * `retry_after` seconds; `ok:false` answers are classified by `error_code`.
 */
import { createHash } from 'node:crypto';

import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { DENY_PRIVATE, type OutboundPolicy } from '@syndication/net';
import { Api, GrammyError, HttpError } from 'grammy';

import { ChannelConfigError, ChannelDeliveryError, type ChannelAdapter, type DeliveryOutcome, type PublishContext } from '../channel';
import { configObject, optionalString, rejectUnknownFields, requiredString } from '../config-fields';
import { MemoryCooldownStore, type CooldownStore } from '../cooldown';
import { guardedFetch } from '../guarded-fetch';
import { storyLink } from '../text';
import { classifyFetchError } from '../webhook/webhook.channel';
import { renderTelegramMessage, renderTelegramWithdrawal } from './telegram.render';

export const TELEGRAM_API_ROOT = 'https://api.telegram.org';

export interface TelegramConfig {
  bot_token: string;
  /** A numeric chat id (`-100…` for channels and supergroups) or `@channelusername`. */
  chat_id: string;
  api_root?: string;
  link_template?: string;
}

const TOKEN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;
const CHAT = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

export class TelegramChannel implements ChannelAdapter<TelegramConfig> {
  readonly kind = 'telegram' as const;
  /** No idempotency key in the Bot API: a lost answer means a possible duplicate message. */
  readonly resendSafe = false;

  constructor(
    private readonly timeoutMs = 30_000,
    private readonly outbound: OutboundPolicy = DENY_PRIVATE,
    private readonly cooldown: CooldownStore = new MemoryCooldownStore(),
  ) {}

  parseConfig(raw: unknown): TelegramConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['bot_token', 'chat_id', 'api_root', 'link_template']);
    const token = requiredString(obj, 'bot_token');
    if (!TOKEN.test(token)) throw new ChannelConfigError('bot_token', 'is not a Bot API token (<digits>:<secret>)');
    const chat = typeof obj['chat_id'] === 'number' ? String(obj['chat_id']) : requiredString(obj, 'chat_id');
    if (!CHAT.test(chat)) throw new ChannelConfigError('chat_id', 'must be a numeric chat id or @channelusername');
    const apiRoot = optionalString(obj, 'api_root');
    if (apiRoot !== undefined && !/^https?:\/\/[^/]+(\/.*)?$/.test(apiRoot)) throw new ChannelConfigError('api_root', 'must be an http(s) URL');
    const link = optionalString(obj, 'link_template');
    return {
      bot_token: token,
      chat_id: chat,
      ...(apiRoot ? { api_root: apiRoot.replace(/\/+$/, '') } : {}),
      ...(link ? { link_template: link } : {}),
    };
  }

  async publish(config: TelegramConfig, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const link = storyLink(config.link_template, story);
    const previous = parseMessageRef(ctx.previousExternalId, config.chat_id);
    return this.call(config, async (bot) => {
      if (previous) {
        const text = renderTelegramMessage(story, { correction: true, ...(link ? { link } : {}) });
        const edited = await this.edit(bot, previous, text);
        if (edited) return { externalId: ref(previous), detail: { chat_id: previous.chat, message_id: previous.message, edited: true } };
        // The earlier message is gone (deleted by a chat admin): the correction is a new message.
      }
      const text = renderTelegramMessage(story, link ? { link } : {});
      const sent = await bot.sendMessage(config.chat_id, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: !link } });
      const chat = String(sent.chat.id);
      return { externalId: `${chat}/${sent.message_id}`, detail: { chat_id: chat, message_id: sent.message_id } };
    });
  }

  async withdraw(config: TelegramConfig, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    const previous = parseMessageRef(ctx.previousExternalId, config.chat_id);
    if (!previous) return { detail: { nothing_to_withdraw: true } };
    return this.call(config, async (bot) => {
      try {
        await bot.deleteMessage(previous.chat, previous.message);
        return { externalId: ref(previous), detail: { deleted: true } };
      } catch (err) {
        if (isBadRequest(err, /message to delete not found/i)) return { externalId: ref(previous), detail: { deleted: true, already: true } };
        if (!isBadRequest(err, /can't be deleted|cannot be deleted/i)) throw err;
      }
      await this.edit(bot, previous, renderTelegramWithdrawal(notice));
      return { externalId: ref(previous), detail: { replaced: true } };
    });
  }

  /** True when the message now shows `text`; false when it no longer exists. */
  private async edit(bot: Api, msg: MessageRef, text: string): Promise<boolean> {
    try {
      await bot.editMessageText(msg.chat, msg.message, text, { parse_mode: 'HTML' });
      return true;
    } catch (err) {
      if (isBadRequest(err, /message is not modified/i)) return true;
      if (isBadRequest(err, /message to edit not found|message can't be edited/i)) return false;
      throw err;
    }
  }

  private async call(config: TelegramConfig, run: (bot: Api) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    const botKey = `telegram-bot:${createHash('sha256').update(config.bot_token).digest('hex').slice(0, 32)}`;
    const quiet = await this.cooldown.left(botKey);
    if (quiet > 0) {
      throw new ChannelDeliveryError('the bot is rate-limited by Telegram', { code: 'rate_limited', retryable: true, retryAfterMs: quiet, detail: { shared: true } });
    }
    const bot = new Api(config.bot_token, {
      apiRoot: config.api_root ?? TELEGRAM_API_ROOT,
      // Our own timeout (the guarded fetch) classifies a lost answer; grammY's must never fire first.
      timeoutSeconds: Math.ceil(this.timeoutMs / 1000) + 30,
      fetch: guardedFetch({ policy: this.outbound, timeoutMs: this.timeoutMs, connectTimeoutMs: 5_000, maxResponseBytes: 1 << 20 }) as never,
    });
    try {
      return await run(bot);
    } catch (err) {
      const classified = classifyTelegramError(err);
      if (classified.code === 'rate_limited' && classified.retryAfterMs) await this.cooldown.hold(botKey, classified.retryAfterMs);
      throw classified;
    }
  }
}

interface MessageRef {
  chat: string;
  message: number;
}

function ref(m: MessageRef): string {
  return `${m.chat}/${m.message}`;
}

/** The earlier delivery's message, when it was in the chat this channel still posts to. */
function parseMessageRef(externalId: string | undefined, chat: string): MessageRef | undefined {
  const m = externalId ? /^(-?\d+|@\w+)\/(\d+)$/.exec(externalId) : null;
  if (!m) return undefined;
  // A channel re-pointed at another chat cannot edit what the old chat shows.
  if (/^-?\d+$/.test(chat) && m[1] !== chat) return undefined;
  return { chat: m[1]!, message: Number(m[2]) };
}

function isBadRequest(err: unknown, description: RegExp): boolean {
  return err instanceof GrammyError && err.error_code === 400 && description.test(err.description);
}

export function classifyTelegramError(err: unknown): ChannelDeliveryError {
  if (err instanceof ChannelDeliveryError) return err;
  if (err instanceof GrammyError) {
    const detail: Record<string, unknown> = { error_code: err.error_code, description: err.description.slice(0, 300) };
    const fail = (code: string, retryable: boolean, extra: { retryAfterMs?: number } = {}) =>
      new ChannelDeliveryError(`Telegram answered ${err.error_code}: ${err.description.slice(0, 200)}`, { code, retryable, detail, ...extra });
    switch (err.error_code) {
      case 429: {
        const seconds = err.parameters.retry_after;
        return fail('rate_limited', true, seconds === undefined ? {} : { retryAfterMs: seconds * 1000 });
      }
      case 401:
        return fail('auth_rejected', false);
      case 403:
        // Bot removed from the chat or blocked: an operator has to fix the chat.
        return fail('forbidden', false);
      case 400:
        if (err.parameters.migrate_to_chat_id !== undefined) detail['migrate_to_chat_id'] = err.parameters.migrate_to_chat_id;
        return fail(/chat not found/i.test(err.description) ? 'chat_not_found' : 'bad_request', false);
      default:
        return fail(err.error_code >= 500 ? 'server_error' : 'client_error', err.error_code >= 500);
    }
  }
  if (err instanceof HttpError) return classifyFetchError(err.error, 'Telegram Bot API');
  return classifyFetchError(err, 'Telegram Bot API');
}

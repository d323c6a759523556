/**
 * The `email` channel kind: each story as one multipart mail (text + HTML) over SMTP with
 * nodemailer, to the channel's list of recipients. The Message-ID is derived from the delivery
 * id and is the external id; a correction is a follow-up mail ("Correction: …") and a kill a
 * retraction mail, both threaded with In-Reply-To/References on the first mail's Message-ID, since
 * a sent mail cannot be changed. `List-Unsubscribe` (with One-Click for https) when configured.
 *
 * The SMTP host is operator input: it is resolved and checked against the outbound policy (libs/net)
 * and the connection goes to the checked address (SNI keeps the name). Not resend-safe: SMTP has
 * no idempotency, so a connection lost after the message data left is `inDoubt`, never resent.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { checkAddress, DENY_PRIVATE, type OutboundPolicy } from '@syndication/net';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

import { ChannelConfigError, ChannelDeliveryError, type ChannelAdapter, type DeliveryOutcome, type PublishContext } from '../channel';
import { configObject, optionalInteger, optionalString, rejectUnknownFields, requiredString } from '../config-fields';
import { storyLink } from '../text';
import { renderEmail, renderWithdrawalEmail, type RenderedEmail } from './email.render';

export interface EmailConfig {
  host: string;
  port: number;
  /** implicit: TLS from the first byte (465); starttls: upgrade required (587); none: plain (local sinks only). */
  tls: 'implicit' | 'starttls' | 'none';
  username?: string;
  password?: string;
  from: string;
  to: string[];
  unsubscribe_url?: string;
  link_template?: string;
}

const ADDRESS = /^[^\s@<>()",;:\\]+@[A-Za-z0-9.-]+\.?[A-Za-z0-9-]*$/;
/**
 * Failures known to happen before the message data left. nodemailer tags a socket timeout at any
 * later point with command "CONN" too, so only its connect and greeting timeouts (by message)
 * count as not sent; any other timeout is in doubt, which for a channel that cannot dedupe is the
 * safe side (an operator looks, nothing is sent twice).
 */
const NOT_SENT_COMMANDS = /^(API|EHLO|HELO|LHLO|STARTTLS|AUTH|MAIL FROM|RCPT TO|RSET)/;
const NOT_SENT_MESSAGES = /^(Connection timeout|Greeting never received)/;

export class EmailChannel implements ChannelAdapter<EmailConfig> {
  readonly kind = 'email' as const;
  /** SMTP has no idempotency key: a resend after a lost answer is a second mail. */
  readonly resendSafe = false;

  constructor(
    private readonly timeoutMs = 30_000,
    private readonly outbound: OutboundPolicy = DENY_PRIVATE,
  ) {}

  parseConfig(raw: unknown): EmailConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['host', 'port', 'tls', 'username', 'password', 'from', 'to', 'unsubscribe_url', 'link_template']);
    const host = requiredString(obj, 'host');
    if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new ChannelConfigError('host', 'must be a host name or an IP address');
    const tls = optionalString(obj, 'tls') ?? 'starttls';
    if (tls !== 'implicit' && tls !== 'starttls' && tls !== 'none') throw new ChannelConfigError('tls', 'must be implicit, starttls or none');
    const port = optionalInteger(obj, 'port', { min: 1, max: 65535 }) ?? (tls === 'implicit' ? 465 : 587);
    const username = optionalString(obj, 'username');
    const password = optionalString(obj, 'password');
    if ((username === undefined) !== (password === undefined)) throw new ChannelConfigError(username ? 'password' : 'username', 'username and password go together');
    const from = address(requiredString(obj, 'from'), 'from');
    const toRaw = obj['to'];
    if (!Array.isArray(toRaw) || toRaw.length === 0 || toRaw.length > 100) throw new ChannelConfigError('to', 'must be a list of 1 to 100 addresses');
    const to = toRaw.map((a, i) => address(typeof a === 'string' ? a : '', `to/${i}`));
    const unsubscribe = optionalString(obj, 'unsubscribe_url');
    if (unsubscribe !== undefined && !/^(https:\/\/|mailto:)\S+$/.test(unsubscribe)) throw new ChannelConfigError('unsubscribe_url', 'must be an https: or mailto: URL');
    const link = optionalString(obj, 'link_template');
    return {
      host,
      port,
      tls,
      from,
      to,
      ...(username && password ? { username, password } : {}),
      ...(unsubscribe ? { unsubscribe_url: unsubscribe } : {}),
      ...(link ? { link_template: link } : {}),
    };
  }

  async publish(config: EmailConfig, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const link = storyLink(config.link_template, story);
    const mail = renderEmail(story, {
      correction: ctx.previousExternalId !== undefined,
      ...(link ? { link } : {}),
      ...(config.unsubscribe_url ? { unsubscribeUrl: config.unsubscribe_url } : {}),
    });
    return this.send(config, mail, ctx, story.language);
  }

  async withdraw(config: EmailConfig, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    if (!ctx.previousExternalId) return { detail: { nothing_to_withdraw: true } };
    return this.send(config, renderWithdrawalEmail(notice, undefined), ctx, notice.language);
  }

  private async send(config: EmailConfig, mail: RenderedEmail, ctx: PublishContext, language: string): Promise<DeliveryOutcome> {
    const messageId = `<${ctx.deliveryId}@${config.from.split('@')[1]}>`;
    const address = await this.resolve(config.host);
    const transport = nodemailer.createTransport({
      host: address,
      port: config.port,
      secure: config.tls === 'implicit',
      requireTLS: config.tls === 'starttls',
      ignoreTLS: config.tls === 'none',
      ...(isIP(config.host) ? {} : { tls: { servername: config.host } }),
      ...(config.username && config.password ? { auth: { user: config.username, pass: config.password } } : {}),
      connectionTimeout: Math.min(5_000, this.timeoutMs),
      greetingTimeout: Math.min(10_000, this.timeoutMs),
      socketTimeout: this.timeoutMs,
    });
    const message: Mail.Options = {
      from: config.from,
      to: config.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      headers: {
        'Content-Language': language.replace(/[^A-Za-z0-9-]/g, ''),
        // RFC 8058 one-click unsubscribe, which large mailbox providers expect from bulk senders.
        ...(config.unsubscribe_url?.startsWith('https:') ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
      },
      ...(ctx.previousExternalId ? { inReplyTo: ctx.previousExternalId, references: [ctx.previousExternalId] } : {}),
      ...(config.unsubscribe_url ? { list: { unsubscribe: config.unsubscribe_url } } : {}),
    };
    try {
      const info = await transport.sendMail(message);
      return { externalId: messageId, detail: { accepted: info.accepted.length, rejected: info.rejected.length, response: String(info.response).slice(0, 200) } };
    } catch (err) {
      throw classifySmtpError(err);
    } finally {
      transport.close();
    }
  }

  private async resolve(host: string): Promise<string> {
    let addresses: Array<{ address: string }>;
    try {
      addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
    } catch (err) {
      throw new ChannelDeliveryError(`could not resolve SMTP host ${host}`, { code: 'dns_failed', retryable: true, cause: err });
    }
    for (const a of addresses) {
      const verdict = checkAddress(this.outbound, a.address, host);
      if (!verdict.allowed) {
        throw new ChannelDeliveryError(`SMTP host ${host} (${a.address}) refused by the outbound policy: ${verdict.reason}`, { code: 'destination_forbidden', retryable: false });
      }
    }
    const first = addresses[0];
    if (!first) throw new ChannelDeliveryError(`no addresses for SMTP host ${host}`, { code: 'dns_failed', retryable: true });
    return first.address;
  }
}

function address(value: string, field: string): string {
  const v = value.trim();
  if (!ADDRESS.test(v) || v.length > 254) throw new ChannelConfigError(field, 'must be a plain email address (local@domain)');
  return v;
}

export function classifySmtpError(err: unknown): ChannelDeliveryError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: string; command?: string; responseCode?: number; message?: string };
  const message = `SMTP: ${(e.message ?? String(err)).slice(0, 300)}`;
  const detail: Record<string, unknown> = { ...(e.code ? { smtp_code: e.code } : {}), ...(e.command ? { command: e.command } : {}), ...(e.responseCode ? { response_code: e.responseCode } : {}) };
  if (e.code === 'EAUTH') return new ChannelDeliveryError(message, { code: 'auth_rejected', retryable: false, detail, cause: err });
  if (e.responseCode) {
    // The server answered: nothing is in doubt. 4xx is a temporary refusal, 5xx a permanent one.
    const temporary = e.responseCode >= 400 && e.responseCode < 500;
    return new ChannelDeliveryError(message, { code: temporary ? 'smtp_temporary' : 'smtp_rejected', retryable: temporary, detail, cause: err });
  }
  const notSent =
    e.code === 'ECONNECTION' ||
    e.code === 'EDNS' ||
    e.code === 'ETLS' ||
    NOT_SENT_MESSAGES.test(e.message ?? '') ||
    (e.command !== undefined && NOT_SENT_COMMANDS.test(e.command));
  if (notSent) return new ChannelDeliveryError(message, { code: 'connect_failed', retryable: true, inDoubt: false, detail, cause: err });
  // Lost during or after the message data: the server may have queued it.
  return new ChannelDeliveryError(message, { code: e.code === 'ETIMEDOUT' ? 'timeout' : 'network_error', retryable: true, inDoubt: true, detail, cause: err });
}

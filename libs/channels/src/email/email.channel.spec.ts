/** The email adapter against an in-process SMTP server; messages checked with mailparser. */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { DENY_PRIVATE, outboundPolicy } from '@syndication/net';
import { startSmtpSink, type SmtpSink } from '@syndication/testing';
import { simpleParser } from 'mailparser';

import { ChannelConfigError } from '../channel';
import { EmailChannel, type EmailConfig } from './email.channel';

const loopback = outboundPolicy({ allowlist: ['127.0.0.0/8'] });

function story(overrides: Partial<PublishableStory> = {}): PublishableStory {
  return {
    storyId: 'story-1',
    versionId: 'v1',
    version: 1,
    deliveryId: 'd1',
    partner: 'p',
    uri: 'urn:p:1',
    language: 'en',
    sourceLanguage: 'en',
    machineTranslated: false,
    headline: 'Minerals deal\r\nBcc: victim@example.org',
    paragraphs: ['First paragraph.', '<img src=x onerror=alert(1)> Second.'],
    receivedAt: '2026-02-07T10:00:00.000Z',
    tags: { entities: [], topics: [], keywords: [] },
    ...overrides,
  };
}

const notice: WithdrawalNotice = {
  deliveryId: 'w1',
  storyId: 'story-1',
  uri: 'urn:p:1',
  partner: 'p',
  language: 'en',
  pubStatus: 'canceled',
  version: 3,
  reason: 'Forged document',
  at: '2026-02-07T12:00:00.000Z',
};

describe('EmailChannel', () => {
  let sink: SmtpSink;
  let channel: EmailChannel;
  let config: EmailConfig;
  beforeEach(async () => {
    sink = await startSmtpSink({ auth: { username: 'wire', password: 's3cret' } });
    channel = new EmailChannel(1_500, loopback);
    config = channel.parseConfig({
      host: sink.host,
      port: sink.port,
      tls: 'none',
      username: 'wire',
      password: 's3cret',
      from: 'wire@news.example',
      to: ['desk@paper.example', 'night@paper.example'],
      unsubscribe_url: 'https://news.example/unsubscribe?c=1',
    });
  });
  afterEach(() => sink.stop());

  it('validates its config strictly', () => {
    expect(() => channel.parseConfig({ ...config, to: [] })).toThrow(ChannelConfigError);
    expect(() => channel.parseConfig({ ...config, from: 'a@b.example\r\nBcc: x@y.example' })).toThrow(/from/);
    expect(() => channel.parseConfig({ ...config, password: undefined })).toThrow(/username and password/);
    expect(() => channel.parseConfig({ ...config, unsubscribe_url: 'javascript:alert(1)' })).toThrow(/unsubscribe_url/);
    expect(channel.resendSafe).toBe(false);
  });

  it('sends multipart text + HTML with safe headers and List-Unsubscribe; correction and kill are threaded follow-ups', async () => {
    const first = await channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 });
    expect(first.externalId).toBe('<d1@news.example>');
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.to).toEqual(['desk@paper.example', 'night@paper.example']);
    const mail = await simpleParser(sink.messages[0]!.raw);
    expect(mail.messageId).toBe('<d1@news.example>');
    expect(mail.subject).toBe('Minerals deal Bcc: victim@example.org');
    expect(mail.text).toContain('First paragraph.');
    expect(mail.html).toContain('<p>First paragraph.</p>');
    expect(mail.html).not.toMatch(/<img/);
    expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt; Second.");
    const raw = sink.messages[0]!.raw.toString('utf8');
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(raw).toContain('List-Unsubscribe: <https://news.example/unsubscribe?c=1>\r\n');
    expect(raw).not.toMatch(/^Bcc:/im);

    await channel.publish(config, story({ version: 2, headline: 'Minerals deal signed' }), { deliveryId: 'd2', attempt: 1, previousExternalId: first.externalId! });
    const correction = await simpleParser(sink.messages[1]!.raw);
    expect(correction.subject).toBe('Correction: Minerals deal signed');
    expect(correction.inReplyTo).toBe('<d1@news.example>');
    expect(correction.references).toBe('<d1@news.example>');

    await channel.withdraw(config, notice, { deliveryId: 'w1', attempt: 1, previousExternalId: first.externalId! });
    const kill = await simpleParser(sink.messages[2]!.raw);
    expect(kill.subject).toBe('Withdrawn: urn:p:1');
    expect(kill.text).toContain('Forged document');
    expect(kill.inReplyTo).toBe('<d1@news.example>');
  });

  it('classifies SMTP outcomes: bad login permanent, 4xx retryable, 5xx permanent, lost answer in doubt', async () => {
    await expect(channel.publish({ ...config, password: 'wrong' }, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'auth_rejected', retryable: false });
    sink.failNext({ kind: 'reject', code: 451, message: 'Try again later' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'smtp_temporary', retryable: true, inDoubt: false });
    sink.failNext({ kind: 'reject', code: 554, message: 'Rejected' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'smtp_rejected', retryable: false });
    sink.failNext({ kind: 'swallow' });
    await expect(channel.publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ inDoubt: true });
    expect(sink.messages).toHaveLength(1);
  });

  it('refuses an SMTP host the outbound policy forbids', async () => {
    await expect(new EmailChannel(1_500, DENY_PRIVATE).publish(config, story(), { deliveryId: 'd1', attempt: 1 })).rejects.toMatchObject({ code: 'destination_forbidden' });
    expect(sink.messages).toHaveLength(0);
  });
});

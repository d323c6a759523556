import { generateKeyPairSync } from 'node:crypto';
import { signatureHeaders } from '../../../partner-cli/src/sign';
import { readSignatureHeaders, signingInput, verifyEd25519, verifyHmac, type SignatureHeaders } from './request-signature';

describe('request signature v1', () => {
  const body = Buffer.from('date 2026-02-07 Заголовок\n\nТекст.', 'utf8');
  const req = { method: 'POST', target: '/v1/stories', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Story-Id': 's-1' }, body };

  function serverInput(h: SignatureHeaders, over: Partial<{ method: string; target: string; body: Buffer; headers: Record<string, string> }> = {}) {
    return signingInput({
      method: over.method ?? 'POST',
      target: over.target ?? '/v1/stories',
      timestamp: h.timestamp,
      nonce: h.nonce,
      headers: over.headers ?? { 'content-type': 'text/plain; charset=utf-8', 'x-story-id': 's-1' },
      body: over.body ?? body,
    });
  }

  it('lays out the signing input exactly as documented', () => {
    const input = signingInput({ method: 'post', target: '/v1/stories?a=1', timestamp: 1764320000, nonce: 'n'.repeat(16), headers: { 'content-type': 'text/plain' }, body: Buffer.from('B') });
    expect(input.toString('utf8')).toBe(`v1\nPOST\n/v1/stories?a=1\n1764320000\n${'n'.repeat(16)}\ntext/plain\n\n\n\nB`);
  });

  it('verifies what the partner CLI signs with HMAC, and nothing altered', () => {
    const h = readSignatureHeaders(signatureHeaders({ keyId: 'hk_1', hmacSecret: 'hsec_secret' }, req)) as SignatureHeaders;
    expect(h.keyId).toBe('hk_1');
    expect(verifyHmac('hsec_secret', serverInput(h), h.signature)).toBe(true);
    expect(verifyHmac('hsec_other', serverInput(h), h.signature)).toBe(false);
    expect(verifyHmac('hsec_secret', serverInput(h, { body: Buffer.concat([body, Buffer.from(' ')]) }), h.signature)).toBe(false);
    expect(verifyHmac('hsec_secret', serverInput(h, { target: '/v1/routes/preview' }), h.signature)).toBe(false);
    expect(verifyHmac('hsec_secret', serverInput(h, { method: 'PUT' }), h.signature)).toBe(false);
    expect(verifyHmac('hsec_secret', serverInput(h, { headers: { 'content-type': 'text/plain; charset=utf-8', 'x-story-id': 's-2' } }), h.signature)).toBe(false);
    expect(verifyHmac('hsec_secret', serverInput(h), h.signature.subarray(0, 31))).toBe(false);
  });

  it('verifies Ed25519 signatures with the public key only', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const h = readSignatureHeaders(signatureHeaders({ keyId: 'ek_1', privateKey }, req)) as SignatureHeaders;
    expect(verifyEd25519(der, serverInput(h), h.signature)).toBe(true);
    expect(verifyEd25519(der, serverInput(h, { body: Buffer.from('x') }), h.signature)).toBe(false);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(verifyEd25519(other, serverInput(h), h.signature)).toBe(false);
  });

  it.each([
    [{}, 'missing_signature', 'x-signature-key-id'],
    [{ 'x-signature-key-id': 'k', 'x-signature-timestamp': '1', 'x-signature-nonce': 'n'.repeat(16) }, 'missing_signature', 'x-signature'],
    [{ 'x-signature-key-id': 'k', 'x-signature-timestamp': '1.5', 'x-signature-nonce': 'n'.repeat(16), 'x-signature': `v1=${'A'.repeat(44)}` }, 'invalid_signature', 'x-signature-timestamp'],
    [{ 'x-signature-key-id': 'k', 'x-signature-timestamp': '1', 'x-signature-nonce': 'short', 'x-signature': `v1=${'A'.repeat(44)}` }, 'invalid_signature', 'x-signature-nonce'],
    [{ 'x-signature-key-id': 'k', 'x-signature-timestamp': '1', 'x-signature-nonce': 'n'.repeat(16), 'x-signature': `sha256=${'A'.repeat(44)}` }, 'invalid_signature', 'x-signature'],
    [{ 'x-signature-key-id': 'k k', 'x-signature-timestamp': '1', 'x-signature-nonce': 'n'.repeat(16), 'x-signature': `v1=${'A'.repeat(44)}` }, 'invalid_signature', 'x-signature-key-id'],
  ])('names the bad header: %j', (headers, code, header) => {
    expect(readSignatureHeaders(headers)).toEqual(expect.objectContaining({ code, header }));
  });
});

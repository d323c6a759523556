import { DENY_PRIVATE, OutboundPolicyError, addressRange, checkAddress, checkHostName, outboundPolicy } from './address-policy';

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['[::ffff:a9fe:a9fe]', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['8.8.8.8', 'unicast'],
    ['2001:4860:4860::8888', 'unicast'],
  ])('%s is %s', (address, range) => {
    expect(addressRange(address).range).toBe(range);
  });

  it.each(['127.0.0.1', '10.0.0.1', '172.31.255.255', '192.168.0.10', '169.254.169.254', '100.100.100.200', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:192.168.0.1', 'fd00:ec2::254', '168.63.129.16', 'not-an-ip'])(
    'the default policy refuses %s',
    (address) => {
      expect(checkAddress(DENY_PRIVATE, address).allowed).toBe(false);
    },
  );

  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::6810:84e5'])('the default policy allows public %s', (address) => {
    expect(checkAddress(DENY_PRIVATE, address)).toEqual({ allowed: true });
  });

  it('names the reason', () => {
    expect(checkAddress(DENY_PRIVATE, '10.0.0.1')).toEqual({ allowed: false, reason: 'private address' });
    expect(checkAddress(DENY_PRIVATE, '169.254.169.254')).toEqual({ allowed: false, reason: 'cloud metadata address' });
  });

  it('an allowlisted CIDR opens only that range', () => {
    const p = outboundPolicy({ allowlist: ['127.0.0.0/8', '::1'] });
    expect(checkAddress(p, '127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, '::1').allowed).toBe(true);
    expect(checkAddress(p, '::ffff:127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, '10.0.0.1').allowed).toBe(false);
    expect(checkAddress(p, '169.254.169.254').allowed).toBe(false);
  });

  it('allowPrivate opens private ranges but never metadata addresses', () => {
    const p = outboundPolicy({ allowPrivate: true });
    expect(checkAddress(p, '10.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, '127.0.0.1').allowed).toBe(true);
    expect(checkAddress(p, '169.254.169.254').allowed).toBe(false);
    expect(checkAddress(p, '168.63.129.16').allowed).toBe(false);
    expect(checkAddress(outboundPolicy({ allowPrivate: true, allowlist: ['169.254.169.254/32'] }), '169.254.169.254').allowed).toBe(true);
  });

  it('an allowlisted host name is trusted whatever it resolves to; metadata names are refused', () => {
    const p = outboundPolicy({ allowlist: ['feeds.partner.internal'] });
    expect(checkAddress(p, '10.0.0.7', 'feeds.partner.internal').allowed).toBe(true);
    expect(checkAddress(p, '10.0.0.7', 'other.internal').allowed).toBe(false);
    expect(checkHostName(DENY_PRIVATE, 'metadata.google.internal').allowed).toBe(false);
    expect(checkHostName(DENY_PRIVATE, 'news.example.com').allowed).toBe(true);
  });

  it('refuses a malformed allowlist entry', () => {
    expect(() => outboundPolicy({ allowlist: ['10.0.0.0/99'] })).toThrow(OutboundPolicyError);
    expect(() => outboundPolicy({ allowlist: ['not a host'] })).toThrow(OutboundPolicyError);
  });
});

import { isLocalhostName, isPublicAddress, literalAddressOf } from '../../src/webhooks/address-policy';

describe('isPublicAddress', () => {
  it.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['172.32.0.1'], // just past 172.16.0.0/12
    ['100.128.0.1'], // just past carrier-grade NAT
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'], // IPv4-mapped public address
  ])('accepts the public address %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation (TEST-NET-1)'],
    ['198.51.100.10', 'documentation (TEST-NET-2)'],
    ['203.0.113.10', 'documentation (TEST-NET-3)'],
    ['198.18.0.1', 'benchmarking'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['fec0::1', 'deprecated site-local'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::7f00:1', 'IPv4-compatible loopback'],
    ['2002:7f00:1::1', '6to4 carrying 127.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
    ['64:ff9b::a00:1', 'NAT64 carrying 10.0.0.1'],
    ['100::1', 'discard prefix'],
    ['4000::1', 'outside global unicast'],
    ['localhost', 'a name, not an address'],
    ['', 'empty'],
    ['999.1.1.1', 'not an address'],
  ])('refuses %s (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });
});

describe('literalAddressOf', () => {
  it.each([
    ['http://127.0.0.1/hook', '127.0.0.1'],
    ['https://8.8.8.8:8443/x', '8.8.8.8'],
    ['http://2130706433/', '127.0.0.1'], // one 32-bit number
    ['http://0x7f.1/', '127.0.0.1'], // hexadecimal and short forms
    ['http://127.0.0.1./', '127.0.0.1'], // trailing dot
    ['http://[::1]:8080/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['https://[2001:db8::1]/', '2001:db8::1'],
  ])('finds the literal in %s', (url, expected) => {
    expect(literalAddressOf(new URL(url))).toBe(expected);
  });

  it.each([['https://example.com/hook'], ['http://localhost:3000/'], ['https://1.2.3.4.example.com/']])(
    'answers null for the host name in %s',
    (url) => {
      expect(literalAddressOf(new URL(url))).toBeNull();
    },
  );

  it('finds a non-public literal however the URL spells it', () => {
    for (const url of ['http://2130706433/', 'http://0177.0.0.1/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:0:0:1]/']) {
      const literal = literalAddressOf(new URL(url));
      expect(literal).not.toBeNull();
      expect(isPublicAddress(literal!)).toBe(false);
    }
  });
});

describe('isLocalhostName', () => {
  it.each([['localhost'], ['LOCALHOST'], ['localhost.'], ['api.localhost']])('treats %s as the machine itself', (name) => {
    expect(isLocalhostName(name)).toBe(true);
  });

  it.each([['localhost.example.com'], ['mylocalhost'], ['example.com']])('treats %s as a name to resolve', (name) => {
    expect(isLocalhostName(name)).toBe(false);
  });
});

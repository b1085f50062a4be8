import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HeraldError } from '../errors.ts';
import {
  assertOutboundUrlAllowed,
  classifyIpAddress,
  describeBlockedAddress,
  isAddressClassAllowed,
  parseOutboundUrl,
  type AddressClass,
  type OutboundPolicy,
} from './ssrf-guard.ts';

const strict: OutboundPolicy = { allowLoopback: false, allowPrivateNetworks: false };
const permissive: OutboundPolicy = { allowLoopback: true, allowPrivateNetworks: true };

describe('classifyIpAddress', () => {
  const cases: Array<[string, AddressClass]> = [
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv4-mapped IPv6 is classified by its IPv4 address, in either notation.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:8.8.8.8', 'public'],
    // NAT64 addresses too.
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::169.254.169.254', 'metadata'],
    ['64:ff9b::808:808', 'public'],
  ];
  for (const [address, expected] of cases) {
    test(`${address} is ${expected}`, () => assert.equal(classifyIpAddress(address), expected));
  }

  test('refuses something that is not an IP address', () => {
    assert.throws(() => classifyIpAddress('example.com'), { code: 'IP_ADDRESS_INVALID' });
  });
});

describe('policy', () => {
  test('loopback and private networks follow their switches', () => {
    assert.equal(isAddressClassAllowed('loopback', strict), false);
    assert.equal(isAddressClassAllowed('loopback', { ...strict, allowLoopback: true }), true);
    for (const addressClass of ['private', 'cgnat', 'unique-local'] as const) {
      assert.equal(isAddressClassAllowed(addressClass, strict), false, addressClass);
      assert.equal(isAddressClassAllowed(addressClass, { ...strict, allowPrivateNetworks: true }), true, addressClass);
    }
    assert.equal(isAddressClassAllowed('public', strict), true);
  });

  test('metadata, link-local, unspecified, multicast and reserved are never allowed', () => {
    for (const addressClass of ['metadata', 'link-local', 'unspecified', 'multicast', 'reserved'] as const) {
      assert.equal(isAddressClassAllowed(addressClass, permissive), false, addressClass);
    }
  });

  test('describeBlockedAddress explains the refusal and the switch that would allow it', () => {
    assert.equal(describeBlockedAddress('8.8.8.8', strict), undefined);
    assert.match(describeBlockedAddress('127.0.0.1', strict)!, /loopback.*allowLoopback/);
    assert.match(describeBlockedAddress('10.0.0.1', strict)!, /private.*allowPrivateNetworks/);
    assert.match(describeBlockedAddress('169.254.169.254', permissive)!, /metadata/);
  });
});

describe('outbound URLs', () => {
  const refusal = (problem: RegExp) => (error: unknown) =>
    error instanceof HeraldError && error.kind === 'invalid' && error.code === 'OUTBOUND_URL_NOT_ALLOWED' && problem.test(error.message);

  test('accepts http and https URLs to public hosts', () => {
    assert.equal(assertOutboundUrlAllowed('https://hooks.example.com/a?b=1', strict).hostname, 'hooks.example.com');
    assert.equal(assertOutboundUrlAllowed('http://8.8.8.8:8080/', strict).port, '8080');
  });

  test('refuses what is not an absolute http(s) URL without credentials, naming the field', () => {
    assert.throws(() => parseOutboundUrl('/relative', 'baseUrl'), refusal(/^baseUrl: .*not an absolute URL/));
    assert.throws(() => parseOutboundUrl('ftp://example.com/'), refusal(/scheme "ftp"/));
    assert.throws(() => parseOutboundUrl('file:///etc/passwd'), refusal(/scheme "file"/));
    assert.throws(() => parseOutboundUrl('https://user:secret@example.com/'), refusal(/credentials/));
    assert.throws(() => parseOutboundUrl('https://:secret@example.com/'), refusal(/credentials/));
  });

  test('refuses IP-literal and localhost hosts the policy blocks, in every notation', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://localhost:8080/',
      'http://api.localhost/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.1/', // the URL parser normalises this to 127.0.0.1
      'http://2130706433/',
      'http://10.0.0.5/',
      'http://0.0.0.0/',
    ]) {
      assert.throws(() => assertOutboundUrlAllowed(url, strict), refusal(/is not allowed/), url);
    }
    assert.throws(() => assertOutboundUrlAllowed('http://169.254.169.254/latest/meta-data', permissive), refusal(/metadata/));
  });

  test('allows loopback and private hosts when the policy does', () => {
    assertOutboundUrlAllowed('http://127.0.0.1:3000/', permissive);
    assertOutboundUrlAllowed('http://localhost:3000/', permissive);
    assertOutboundUrlAllowed('http://192.168.1.20/', permissive);
  });
});

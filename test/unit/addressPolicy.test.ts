import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyAddress,
  createAddressPolicy,
  describeNonPublic,
  isLoopbackHost,
  type HostLookup,
} from '../../src-main/core/http/addressPolicy';

// A resolver under the test's control: evil.test points at this machine, lan.test at the LAN,
// mixed.test at one public and one private address, public.test only at a public one.
const fakeDns: Record<string, Array<{ address: string; family: 4 | 6 }>> = {
  'evil.test': [{ address: '127.0.0.1', family: 4 }],
  'lan.test': [{ address: '192.168.1.20', family: 4 }],
  'mixed.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '10.1.2.3', family: 4 },
  ],
  'v6private.test': [{ address: 'fd12:3456::1', family: 6 }],
  'public.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
  ],
};
const lookup: HostLookup = async (hostname) => {
  const found = fakeDns[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found;
};

describe('the address policy', () => {
  const policy = createAddressPolicy({ lookup });

  // Every spelling as a user (or a page) could write it in a link; the URL parser normalises it,
  // then the policy sees the address it really is.
  const refused = [
    '127.1',
    '2130706433',
    '0x7f.0.0.1',
    '0177.0.0.1',
    '[::ffff:127.0.0.1]',
    '[::1]',
    '0.0.0.0',
    '169.254.169.254',
    '[fd00::1]',
    '[fd00:ec2::254]',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '240.0.0.1',
    '[fe80::1]',
    '[::]',
    '[ff02::1]',
    '[2001:db8::1]',
    '[::127.0.0.1]',
    '[2002:c0a8:101::1]',
    '[64:ff9b::a00:1]',
    '[2001::1]',
    'localhost',
    'evil.test',
    'lan.test',
    'mixed.test',
    'v6private.test',
  ];
  for (const spelling of refused) {
    it(`refuses http://${spelling}/`, async () => {
      const url = new URL(`http://${spelling}/`);
      const { nonPublic } = await policy.check(url);
      assert.ok(nonPublic, `${spelling} (${url.hostname}) passed as public`);
    });
  }

  it('lets public addresses through, also their v6-embedded forms', async () => {
    for (const spelling of ['93.184.215.14', '[2606:4700::1111]', '[::ffff:8.8.8.8]', '[2002:808:808::1]', '[64:ff9b::808:808]', 'public.test']) {
      const { nonPublic, addresses } = await policy.check(new URL(`https://${spelling}/`));
      assert.equal(nonPublic, null, spelling);
      assert.ok(addresses.length > 0);
    }
  });

  it('names the range, and the sentence says where the address is', () => {
    assert.equal(classifyAddress('169.254.169.254').range, 'cloudMetadata');
    assert.equal(classifyAddress('fd00:ec2::254').range, 'cloudMetadata');
    assert.equal(classifyAddress('100.64.0.1').range, 'carrierGradeNat');
    assert.equal(classifyAddress('::ffff:127.0.0.1').range, 'loopback');
    assert.equal(classifyAddress('4000::1').range, 'unallocated');
    assert.equal(
      describeNonPublic({ hostname: 'mastodon.lan', address: '192.168.1.20', class: classifyAddress('192.168.1.20') }),
      'mastodon.lan resolves to 192.168.1.20, an address on your own network',
    );
    assert.equal(describeNonPublic({ hostname: '127.0.0.1', address: '127.0.0.1', class: classifyAddress('127.0.0.1') }), '127.0.0.1 is an address on this computer');
  });

  it('an exempt origin (a test fixture) passes, and only that origin', async () => {
    const exempting = createAddressPolicy({ lookup, allowPrivateAddressesFor: ['http://127.0.0.1:4000'] });
    assert.equal((await exempting.check(new URL('http://127.0.0.1:4000/page'))).nonPublic, null);
    assert.ok((await exempting.check(new URL('http://127.0.0.1:4001/page'))).nonPublic);
    assert.ok((await exempting.check(new URL('https://127.0.0.1:4000/page'))).nonPublic);
  });

  it('loopback means this machine, spelled so no DNS can move it', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '[::1]', '::1', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(host), host);
    for (const host of ['127.evil.com', '127.0.0.1.nip.io', '127.0.0.1.evil.example', 'localhost.example', 'app.localhost', '10.0.0.1', '0.0.0.0', '128.0.0.1', '::ffff:10.0.0.1']) {
      assert.ok(!isLoopbackHost(host), host);
    }
  });
});

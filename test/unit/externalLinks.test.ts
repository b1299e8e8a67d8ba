import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalLinkTarget } from '../../src-main/core/links/linkHandlers';

describe('the rule for links that leave the app', () => {
  it('hands the system browser an https address, normalized', () => {
    assert.equal(externalLinkTarget('https://bsky.app/profile/alice.test'), 'https://bsky.app/profile/alice.test');
    assert.equal(externalLinkTarget('https://BSKY.app'), 'https://bsky.app/');
  });

  it('refuses anything but https, with a sentence saying so', () => {
    for (const url of ['http://bsky.app/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://localpost/index.html', 'mailto:a@b.test']) {
      assert.throws(() => externalLinkTarget(url), { code: 'invalid_input', message: 'Only https:// links open from Localpost.' }, url);
    }
  });

  it('refuses what is not an address at all', () => {
    for (const url of ['', 'bsky.app', 'https://']) {
      assert.throws(() => externalLinkTarget(url), { code: 'invalid_input', message: 'That is not a web address.' }, url);
    }
  });

  it('refuses a user name before the host, which a person reads as the host', () => {
    for (const url of ['https://bsky.app@evil.example/', 'https://user:pass@evil.example/', 'https://:pass@evil.example/']) {
      assert.throws(() => externalLinkTarget(url), { code: 'invalid_input', message: 'Links with a user name in them do not open.' }, url);
    }
  });
});

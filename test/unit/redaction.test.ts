import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src-main/core/log/logger';
import { redactText, registerSecret } from '../../src-main/core/log/redact';
import { AppError, toBridgeError } from '../../src-main/core/errors';

const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFiYyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('the logger redacts secrets itself', () => {
  it('removes JWTs, app passwords, bearer tokens, webhook and bot-token URLs, OAuth codes', () => {
    const lines: string[] = [];
    const log = createLogger('test', [{ write: (line) => lines.push(line) }]);
    log.info(`token ${jwt} password abcd-efgh-ijkl-mnop`, {
      header: 'Bearer abc.def.ghi',
      url: 'https://discord.com/api/webhooks/123/SECRETTOKEN',
      callback: 'http://127.0.0.1:5000/callback?code=SECRETCODE&state=SECRETSTATE',
      bot: 'https://api.telegram.org/bot123456:AAEsecret/getMe',
      refreshJwt: 'anything at all',
      nested: { appPassword: 'xxxx' },
    });
    const out = lines.join('\n');
    for (const secret of [jwt, 'abcd-efgh-ijkl-mnop', 'abc.def.ghi', 'SECRETTOKEN', 'SECRETCODE', 'SECRETSTATE', 'AAEsecret', 'anything at all']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.match(out, /discord\.com\/api\/webhooks\/123\/\[redacted\]/);
  });

  it('removes any value the vault registered, wherever it appears', () => {
    registerSecret('an-opaque-token-without-shape');
    assert.equal(redactText('x an-opaque-token-without-shape y'), 'x [redacted] y');
  });

  it('errors crossing the bridge carry no stack and no secret', () => {
    const error = toBridgeError(new AppError('platform_rejected', `Bluesky refused ${jwt}`));
    assert.deepEqual(Object.keys(error).sort(), ['code', 'message']);
    assert.ok(!error.message.includes(jwt));
    assert.deepEqual(toBridgeError(new TypeError('boom at /home/user/secret.ts:12')), {
      code: 'internal',
      message: 'Something went wrong inside Localpost. Nothing was lost; try again.',
    });
  });
});

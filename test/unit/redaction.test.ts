import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, fileLogSink } from '../../src-main/core/log/logger';
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
    log.flush();
    assert.equal(lines.length, 1);
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

  it('redacts the action of a bridge error too', () => {
    const error = new AppError('platform_rejected', 'Refused.', { action: `Paste ${jwt} again` }).toBridge();
    assert.ok(!error.action!.includes(jwt), error.action);
  });

  it('looks for at most the 1,000 most recent exact values', () => {
    const values = Array.from({ length: 1_001 }, (_, i) => `bounded-secret-value-${String(i).padStart(4, '0')}`);
    for (const value of values) registerSecret(value);
    // The oldest fell out; the newest is still redacted (and shapes still catch tokens with one).
    assert.equal(redactText(`x ${values[0]} y`), `x ${values[0]} y`);
    assert.equal(redactText(`x ${values[1_000]} y`), 'x [redacted] y');
    // Registering a value again makes it recent: it survives the next values.
    registerSecret(values[1]!);
    for (let i = 0; i < 999; i++) registerSecret(`later-secret-value-${i}`);
    assert.equal(redactText(`x ${values[1]} y`), 'x [redacted] y');
    assert.equal(redactText(`x ${values[2]} y`), `x ${values[2]} y`);
  });
});

describe('the log file', () => {
  it('rotates at its size cap and keeps localpost.log, .1 and .2, each readable by the user only', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-logs-')), 'logs');
    const sink = fileLogSink(dir, { maxBytes: 1_000, keep: 3 });
    const line = (n: number) => `${String(n).padStart(4, '0')} ${'x'.repeat(94)}`; // 100 bytes with its newline
    for (let n = 0; n < 45; n++) sink.write(line(n));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['localpost.log', 'localpost.log.1', 'localpost.log.2']);
    for (const file of fs.readdirSync(dir)) {
      const stat = fs.statSync(path.join(dir, file));
      assert.ok(stat.size <= 1_000, `${file} is ${stat.size} bytes`);
      assert.equal(stat.mode & 0o777, 0o600, file);
    }
    // The newest lines are in localpost.log, the ones before in .1; the oldest are gone.
    assert.match(fs.readFileSync(path.join(dir, 'localpost.log'), 'utf8'), /^0040 /);
    assert.match(fs.readFileSync(path.join(dir, 'localpost.log.1'), 'utf8'), /^0030 /);
    assert.match(fs.readFileSync(path.join(dir, 'localpost.log.2'), 'utf8'), /^0020 /);
    // A new sink (a restart) carries on where the file is.
    fileLogSink(dir, { maxBytes: 1_000, keep: 3 }).write(line(45));
    assert.equal(fs.readFileSync(path.join(dir, 'localpost.log'), 'utf8').split('\n').filter(Boolean).length, 6);
  });
});

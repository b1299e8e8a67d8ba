// When the logger writes: info and debug lines at the end of the turn, warnings and errors at once
// and after whatever waited before them, in the order they were logged, by a logger and its children.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src-main/core/log/logger';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function recordingLogger() {
  const lines: Array<{ level: string; scope: string; message: string; fields?: Record<string, unknown> }> = [];
  const log = createLogger('core', [{ write: (line) => lines.push(JSON.parse(line)) }]);
  return { log, lines, messages: () => lines.map((line) => `${line.scope} ${line.level} ${line.message}`) };
}

describe('the logger', () => {
  it('writes info and debug lines once the turn is over, in order, parent and child alike', async () => {
    const { log, messages } = recordingLogger();
    log.info('first');
    log.child('outbox').debug('second');
    log.info('third', { post: 'p1' });
    assert.deepEqual(messages(), [], 'nothing written during the turn');
    await nextTurn();
    assert.deepEqual(messages(), ['core info first', 'core/outbox debug second', 'core info third']);
  });

  it('writes a warning or an error at once, after the lines waiting before it', async () => {
    const { log, messages, lines } = recordingLogger();
    log.info('queued');
    log.child('outbox').error('failed', { error: new Error('boom') });
    assert.deepEqual(messages(), ['core info queued', 'core/outbox error failed']);
    assert.deepEqual(lines[1]!.fields, { error: { name: 'Error', message: 'boom' } });
    log.warn('careful');
    log.info('after');
    assert.deepEqual(messages().slice(2), ['core warn careful']);
    await nextTurn();
    assert.deepEqual(messages().slice(3), ['core info after']);
  });

  it('writes what waits when flushed, and each line once', async () => {
    const { log, messages } = recordingLogger();
    log.info('closing');
    log.flush();
    assert.deepEqual(messages(), ['core info closing']);
    await nextTurn();
    assert.deepEqual(messages(), ['core info closing']);
  });

  it('stamps a line with the time it was logged, not written', () => {
    const { log, lines } = recordingLogger();
    const before = Date.now();
    log.info('stamped');
    // The rest of the turn takes 30 ms before the line is written.
    const busyUntil = Date.now() + 30;
    while (Date.now() < busyUntil);
    log.flush();
    assert.equal(lines.length, 1);
    const at = Date.parse((lines[0] as unknown as { time: string }).time);
    assert.ok(at >= before && at < before + 25, `logged at ${at}, asked at ${before}`);
  });
});

// YouTube's own rules as preflight and the adapter apply them: the tags' length as YouTube counts
// it (commas, and quotes around a tag with a space), and the moment its daily quotas reset
// (midnight Pacific time, through daylight-saving changes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextPacificMidnight } from '../../src-main/core/platforms/youtube/youtubeErrors';
import { checkYouTubeFields, countYouTubeTags, emptyYouTubeFields, parseYouTubeTags } from '../../src-shared/youtube';

describe('YouTube tags', () => {
  it('count as YouTube does: commas between them, two quotes around a tag with a space', () => {
    // The videos resource's example: "Foo-Baz" is 7 characters, "Foo Baz" 9.
    assert.equal(countYouTubeTags(['Foo-Baz']), 7);
    assert.equal(countYouTubeTags(['Foo Baz']), 9);
    assert.equal(countYouTubeTags(['a', 'b c']), 1 + 1 + 5);
    assert.equal(countYouTubeTags([]), 0);
    assert.deepEqual(parseYouTubeTags(' local first, , electron,'), ['local first', 'electron']);
  });

  it('over 500 together are refused, at 500 they pass', () => {
    const video = { container: 'mp4' as const, videoCodec: 'avc', audioCodec: 'aac', durationSeconds: 30, width: 1920, height: 1080, frameRate: 30, bytes: 1_000_000, alt: '' };
    const facts = { text: '', video };
    const at = (tags: string[]) => checkYouTubeFields({ ...emptyYouTubeFields, title: 'T', madeForKids: false, tags }, 'me', facts).map((issue) => issue.ruleId);
    // 50 tags of 9 characters: 450 + 49 commas = 499; one more character is 500, two are 501.
    const tags = Array.from({ length: 50 }, (_, i) => `tag${String(i).padStart(6, '0')}`);
    assert.deepEqual(at(tags), []);
    assert.deepEqual(at([...tags.slice(0, 49), `${tags[49]}x`]), []);
    assert.deepEqual(at([...tags.slice(0, 49), `${tags[49]}xy`]), ['youtube.tags_length']);
  });
});

describe('YouTube quota reset', () => {
  const at = (iso: string) => new Date(nextPacificMidnight(Date.parse(iso))).toISOString();
  it('is the next midnight in Los Angeles, in winter (UTC−8) and summer (UTC−7)', () => {
    assert.equal(at('2026-12-02T22:40:00Z'), '2026-12-03T08:00:00.000Z');
    assert.equal(at('2026-07-01T07:30:00Z'), '2026-07-02T07:00:00.000Z');
    // 23:59 Pacific is a minute before; 00:00 Pacific is a whole day before the next.
    assert.equal(at('2026-12-03T07:59:00Z'), '2026-12-03T08:00:00.000Z');
    assert.equal(at('2026-12-03T08:00:00Z'), '2026-12-04T08:00:00.000Z');
  });

  it('lands on the right hour across a daylight-saving change', () => {
    // The evening before the spring change (8 March 2026, 2 a.m.): midnight is still PST.
    assert.equal(at('2026-03-08T06:00:00Z'), '2026-03-08T08:00:00.000Z');
    // The day of the change, after it: the next midnight is PDT.
    assert.equal(at('2026-03-08T12:00:00Z'), '2026-03-09T07:00:00.000Z');
    // The day of the autumn change (1 November 2026), after it: PST again.
    assert.equal(at('2026-11-01T12:00:00Z'), '2026-11-02T08:00:00.000Z');
  });
});

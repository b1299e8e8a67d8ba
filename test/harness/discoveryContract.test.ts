// The discovery-document validator refuses what Google's own description of the YouTube Data API
// refuses (a wrong method, an unknown or missing parameter, a body field the Video schema does not
// have, a value of the wrong type or outside its enum) and passes what it allows: a validator that
// passed everything would let every contract test pass against a lenient fake.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDiscoveryContract, type DiscoveryDocument } from './discoveryContract';
import { readSharedSpec } from './openApiContract';

const document = readSharedSpec('youtube-v3.discovery.json') as unknown as DiscoveryDocument;
const contract = compileDiscoveryContract(document, ['youtube.videos.insert', 'youtube.channels.list']);
const api = 'https://www.googleapis.com';
const goodVideo = {
  snippet: { title: 'A title', description: 'Words', categoryId: '22', tags: ['a', 'b c'] },
  status: { privacyStatus: 'private', selfDeclaredMadeForKids: false, publishAt: '2030-01-01T10:00:00.000Z' },
};

describe('the discovery contract', () => {
  it('passes a resumable videos.insert and a channels.list as Google documents them', () => {
    const insert = contract.check({ method: 'POST', url: new URL(`${api}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`), body: goodVideo });
    assert.deepEqual(insert.problems, []);
    assert.equal(insert.methodId, 'youtube.videos.insert');
    assert.equal(insert.upload, true);
    assert.ok(insert.scopes.includes('https://www.googleapis.com/auth/youtube.upload'));
    const list = contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/channels?part=snippet&mine=true`) });
    assert.deepEqual(list.problems, []);
    assert.equal(list.methodId, 'youtube.channels.list');
  });

  it('rejects a body field the Video schema does not have, a wrong type and a value outside an enum', () => {
    const url = new URL(`${api}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`);
    const misspelt = contract.check({ method: 'POST', url, body: { ...goodVideo, status: { ...goodVideo.status, madeForKid: false } } });
    assert.ok(misspelt.problems.some((problem) => /madeForKid\)/.test(problem)), misspelt.problems.join('; '));
    const wrongType = contract.check({ method: 'POST', url, body: { ...goodVideo, snippet: { ...goodVideo.snippet, tags: 'a,b' } } });
    assert.ok(wrongType.problems.some((problem) => /tags must be array/.test(problem)), wrongType.problems.join('; '));
    const badEnum = contract.check({ method: 'POST', url, body: { ...goodVideo, status: { ...goodVideo.status, privacyStatus: 'friends' } } });
    assert.ok(badEnum.problems.some((problem) => /privacyStatus must be equal to one of the allowed values/.test(problem)), badEnum.problems.join('; '));
    const badDate = contract.check({ method: 'POST', url, body: { ...goodVideo, status: { ...goodVideo.status, publishAt: 'tomorrow' } } });
    assert.ok(badDate.problems.some((problem) => /publishAt must match format "date-time"/.test(problem)), badDate.problems.join('; '));
  });

  it('rejects a missing required parameter, an unknown one, a bad boolean, a wrong method and an unknown path', () => {
    assert.match(contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/channels?mine=true`) }).problems.join(), /part is required/);
    assert.match(contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/channels?part=snippet&mine=true&me=1`) }).problems.join(), /me is not a parameter/);
    assert.match(contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/channels?part=snippet&mine=yes`) }).problems.join(), /mine=yes is not a boolean/);
    assert.match(contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/channels?part=snippet&maxResults=51`) }).problems.join(), /maxResults=51 is outside/);
    assert.match(contract.check({ method: 'DELETE', url: new URL(`${api}/youtube/v3/channels?part=snippet`) }).problems.join(), /the method is GET/);
    assert.match(contract.check({ method: 'GET', url: new URL(`${api}/youtube/v3/playlists?part=snippet`) }).problems.join(), /no such method/);
    assert.match(
      contract.check({ method: 'POST', url: new URL(`${api}/upload/youtube/v3/videos?part=snippet`), body: goodVideo }).problems.join(),
      /needs uploadType/,
    );
  });

  it('checks a mock’s own answers against the response schema', () => {
    assert.deepEqual(contract.checkResponse('youtube.channels.list', { kind: 'youtube#channelListResponse', items: [{ id: 'UC1', snippet: { title: 'T' } }] }), []);
    assert.ok(contract.checkResponse('youtube.channels.list', { items: [{ id: 1 }] }).length > 0);
  });
});

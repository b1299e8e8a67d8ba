import { startCore } from '../test/harness/coreClient';
import { startPdsProcess as startPds } from '../test/harness/pdsProcess';
import { ComposeService } from '../src-main/core/compose/composeService';
import { PostStore } from '../src-main/core/outbox/postStore';
import { AccountStore } from '../src-main/core/accounts/accountStore';
import { DraftStore } from '../src-main/core/compose/draftStore';
import { BlueskyAdapter } from '../src-main/core/platforms/bluesky/blueskyAdapter';
const totals = new Map<string, number>();
const counts = new Map<string, number>();
let on = false;
function wrap(cls: any, name: string, label: string) {
  for (const m of Object.getOwnPropertyNames(cls.prototype)) {
    if (m === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(cls.prototype, m)!;
    if (typeof d.value !== 'function') continue;
    const orig = d.value;
    cls.prototype[m] = function (...args: any[]) {
      const t = performance.now();
      const r = orig.apply(this, args);
      const key = `${label}.${m}`;
      const add = () => { if (on) { totals.set(key, (totals.get(key) ?? 0) + performance.now() - t); counts.set(key, (counts.get(key) ?? 0) + 1); } };
      if (r && typeof r.then === 'function') r.then(add, add); else add();
      return r;
    };
  }
}
wrap(ComposeService, 'c', 'compose'); wrap(PostStore, 'p', 'posts'); wrap(AccountStore, 'a', 'accounts'); wrap(DraftStore, 'd', 'drafts'); wrap(BlueskyAdapter, 'b', 'bluesky');
const pds = await startPds();
const account = await pds.createAccount('bench');
const app = await startCore();
const { account: connected } = await app.call('accounts.connect', { platform: 'bluesky', handle: account.handle, appPassword: account.appPassword, service: pds.url, confirm: ['private_address'] });
const ids: string[] = [];
const N = 200;
for (let i = 0; i < N + 30; i++) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: `Bench post ${i} with a link https://example.com/${i} and #localpost`, targetAccountIds: [connected.id], langs: ['en'] });
  ids.push(draft.id);
}
for (let i = 0; i < 30; i++) await app.call('publish.now', { draftId: ids[i]! });
on = true;
const t = performance.now();
for (let i = 30; i < N + 30; i++) await app.call('publish.now', { draftId: ids[i]! });
const total = (performance.now() - t) / N;
on = false;
console.log('per post', total.toFixed(2));
for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / N).toFixed(3).padStart(8)} ms/post  ${(counts.get(k)! / N).toFixed(1)}×  ${k}`);
app.close();
await pds.close();
process.exit(0);

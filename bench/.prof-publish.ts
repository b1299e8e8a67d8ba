import { startCore } from '../test/harness/coreClient';
import { startPdsProcess as startPds } from '../test/harness/pdsProcess';
const pds = await startPds();
const account = await pds.createAccount('bench');
const app = await startCore();
const { account: connected } = await app.call('accounts.connect', { platform: 'bluesky', handle: account.handle, appPassword: account.appPassword, service: pds.url, confirm: ['private_address'] });
const ids: string[] = [];
for (let i = 0; i < 260; i++) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: `Bench post ${i} with a link https://example.com/${i} and #localpost`, targetAccountIds: [connected.id], langs: ['en'] });
  ids.push(draft.id);
}
for (let i = 0; i < 30; i++) await app.call('publish.now', { draftId: ids[i]! });
const t = performance.now();
for (let i = 30; i < 260; i++) await app.call('publish.now', { draftId: ids[i]! });
console.log('per post', ((performance.now() - t) / 230).toFixed(2));
app.close();
await pds.close();
process.exit(0);

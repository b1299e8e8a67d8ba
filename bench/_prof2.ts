import { startCore } from '../test/harness/coreClient';
import { startPds } from '../test/harness/pds';
const pds = await startPds();
const account = await pds.createAccount('bench');
const app = await startCore();
const { account: connected } = await app.call('accounts.connectBluesky', { handle: account.handle, appPassword: account.appPassword, service: pds.url });
const ids: string[] = [];
for (let i = 0; i < 400; i++) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: `Bench post ${i} with a link https://example.com/${i} and #localpost`, targetAccountIds: [connected.id], langs: ['en'] });
  ids.push(draft.id);
}
const t = performance.now();
for (const draftId of ids) await app.call('publish.now', { draftId });
console.log('PUBLISH_WINDOW', t, performance.now());
app.close(); await pds.close();

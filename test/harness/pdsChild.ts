// The child side of pdsProcess.ts: starts the PDS, then answers the parent's calls over IPC.
import { startPds } from './pds';

const pds = await startPds(process.env.LOCALPOST_PDS_DATA_ROOT ? { dataRoot: process.env.LOCALPOST_PDS_DATA_ROOT } : {});
process.on('message', async (message: { id: number; method: 'url' | 'plcUrl' | 'createAccount' | 'close'; args: string[] }) => {
  try {
    if (message.method === 'url') process.send!({ id: message.id, result: pds.url });
    else if (message.method === 'plcUrl') process.send!({ id: message.id, result: pds.plcUrl });
    else if (message.method === 'createAccount') process.send!({ id: message.id, result: await pds.createAccount(message.args[0]!) });
    else {
      await pds.close();
      process.send!({ id: message.id, result: null }, () => process.exit(0));
    }
  } catch (error) {
    process.send!({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});

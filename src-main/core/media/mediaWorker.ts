// Runtime: a helper process of its own (Electron's utilityProcess in the app, a Node child
// process in tests and benchmarks), started by media/mediaProcess.ts. It runs the media tools
// (media/mediaTools.ts) for the core and answers each job with its result or its error; it holds
// nothing between jobs, and the core ends it once it has been idle a while.
import { AppError } from '../errors';
import { mediaJobs, type MediaJobName } from './mediaTools';
import type { MediaJob, MediaReply, SerializedError } from './mediaProcess';

/** How messages reach this process: Electron gives a utility process `process.parentPort`; a
 *  Node child process has `process.send`. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as { parentPort?: ParentPort }).parentPort;
const reply = (message: MediaReply) => (parentPort ? parentPort.postMessage(message) : process.send!(message));
const onJob = (handle: (job: MediaJob) => void) =>
  parentPort ? parentPort.on('message', (event) => handle(event.data as MediaJob)) : process.on('message', (message) => handle(message as MediaJob));

// A Node child outlives a parent that died without ending it: it goes when the channel does.
process.on('disconnect', () => process.exit(0));

onJob(async ({ id, job, args }) => {
  try {
    const run = mediaJobs[job as MediaJobName] as (...input: unknown[]) => Promise<unknown>;
    if (!run) throw new Error(`No media job named ${job}.`);
    reply({ id, ok: true, value: await run(...args) });
  } catch (error) {
    reply({ id, ok: false, error: serializeError(error) });
  }
});

function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) {
    return { appError: true, code: error.code, message: error.message, action: error.action, retryAt: error.retryAt, delivery: error.delivery, transient: error.transient };
  }
  return { appError: false, code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

// Everything that decodes an image or reads a video's structure, as one set of tools: the image
// work (sharp) and the video probe (mediabunny). Both read untrusted files, and both are large:
// libvips keeps its own libraries mapped and leaves the allocator's arenas fragmented after each
// photo (well over 100 MB after a few dozen photos on glibc), mediabunny is megabytes of code. So
// the app runs them in a process of their own (media/mediaProcess.ts), which ends once it has been
// idle a while and gives all of that back; tests may run them here, in the core's own process.
import { asJpeg, asPng, avatarDataUrl, fitImage, previewDataUrl } from '../compose/imageProcessing';
import { posterSource, probeVideo } from '../compose/videoProbe';

/** The tools, by name: what the media worker runs for a job of that name. */
export const mediaJobs = { fitImage, asPng, asJpeg, previewDataUrl, avatarDataUrl, probeVideo, posterSource };

export type MediaJobName = keyof typeof mediaJobs;

export type MediaTools = {
  [Name in MediaJobName]: (...args: Parameters<(typeof mediaJobs)[Name]>) => ReturnType<(typeof mediaJobs)[Name]>;
};

/** The tools in the core's own process (tests, and wherever no worker can be started). */
export const inProcessMediaTools: MediaTools = mediaJobs;

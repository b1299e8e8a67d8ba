// The video's poster, decoded here from one key frame the core hands over (WebCodecs'
// VideoDecoder, which Chromium has): the core has no video decoder, and the file itself never
// crosses the bridge. The picture goes back to the core as a JPEG, which keeps it with the draft.
//
// Runtime: browser.
import type { MethodOutput } from '../../src-preload/contract';

type PosterSource = MethodOutput<'drafts.videoPosterSource'>;

/** The poster's longest side: the composer shows it at most 320 px wide, twice that for HiDPI. */
const posterSide = 640;

/**
 * The key frame as a JPEG, or null when this browser cannot decode the codec (Chromium without
 * H.264, for instance): the composer then shows the video without a picture.
 */
export async function decodePoster(source: PosterSource): Promise<Uint8Array<ArrayBuffer> | null> {
  if (typeof VideoDecoder === 'undefined') return null;
  const config: VideoDecoderConfig = {
    codec: source.codec,
    codedWidth: source.codedWidth,
    codedHeight: source.codedHeight,
    ...(source.description ? { description: source.description } : {}),
  };
  const support = await VideoDecoder.isConfigSupported(config).catch(() => null);
  if (!support?.supported) return null;
  const frame = await new Promise<VideoFrame | null>((resolve) => {
    let settled = false;
    const decoder = new VideoDecoder({
      output(decoded) {
        if (settled) return decoded.close();
        settled = true;
        resolve(decoded);
      },
      error() {
        if (!settled) resolve(null);
        settled = true;
      },
    });
    decoder.configure(config);
    decoder.decode(new EncodedVideoChunk({ type: 'key', timestamp: 0, data: source.keyFrame }));
    void decoder
      .flush()
      .catch(() => undefined)
      .finally(() => {
        if (!settled) resolve(null);
        settled = true;
        if (decoder.state !== 'closed') decoder.close();
      });
  });
  if (!frame) return null;
  try {
    return await drawUpright(frame, source.rotation);
  } finally {
    frame.close();
  }
}

async function drawUpright(frame: VideoFrame, rotation: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const quarterTurn = rotation === 90 || rotation === 270;
  const width = frame.displayWidth;
  const height = frame.displayHeight;
  const scale = Math.min(1, posterSide / Math.max(width, height));
  const drawnWidth = Math.max(1, Math.round(width * scale));
  const drawnHeight = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(quarterTurn ? drawnHeight : drawnWidth, quarterTurn ? drawnWidth : drawnHeight);
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((rotation * Math.PI) / 180);
  context.drawImage(frame, -drawnWidth / 2, -drawnHeight / 2, drawnWidth, drawnHeight);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  return new Uint8Array(await blob.arrayBuffer());
}

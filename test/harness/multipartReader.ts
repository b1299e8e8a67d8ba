// A multipart/form-data reader for the contract mocks that never holds a file part in memory:
// text fields are kept, file parts are hashed and counted as they stream past, so a mock can take
// a video of hundreds of megabytes and still say exactly which bytes arrived (RFC 7578, with the
// body framing of RFC 2046 §5.1.1).
import crypto from 'node:crypto';

export interface ReceivedFile {
  filename: string;
  type: string;
  size: number;
  sha256: string;
}

export async function readMultipart(contentType: string, body: AsyncIterable<Buffer>): Promise<Record<string, string | ReceivedFile>> {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundaryMatch) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`\r\n--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const fields: Record<string, string | ReceivedFile> = {};
  // The body is read as if it began with CRLF, so the first boundary looks like every other one.
  let pending: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'content' | 'done' = 'preamble';
  let current: { name: string; file: { filename: string; type: string; hash: crypto.Hash; size: number } | null; text: Buffer[] } | null = null;

  const emit = (data: Buffer) => {
    if (!current || data.length === 0) return;
    if (current.file) {
      current.file.hash.update(data);
      current.file.size += data.length;
    } else current.text.push(Buffer.from(data));
  };
  const finishPart = () => {
    if (!current) return;
    fields[current.name] = current.file
      ? { filename: current.file.filename, type: current.file.type, size: current.file.size, sha256: current.file.hash.digest('hex') }
      : Buffer.concat(current.text).toString('utf8');
    current = null;
  };

  const consume = (final: boolean) => {
    for (;;) {
      if (state === 'done') return;
      if (state === 'headers') {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = pending.subarray(0, end).toString('utf8');
        pending = pending.subarray(end + 4);
        const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
        const name = decode(/\bname="([^"]*)"/.exec(disposition)?.[1] ?? '');
        const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
        const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
        current = { name, file: filename === undefined ? null : { filename: decode(filename), type, hash: crypto.createHash('sha256'), size: 0 }, text: [] };
        state = 'content';
        continue;
      }
      const at = pending.indexOf(delimiter);
      if (at < 0) {
        // Keep what could be the start of a boundary split across chunks.
        const keep = final ? 0 : delimiter.length - 1;
        if (state === 'content') emit(pending.subarray(0, Math.max(0, pending.length - keep)));
        pending = pending.subarray(Math.max(0, pending.length - keep));
        return;
      }
      const after = pending.subarray(at + delimiter.length);
      if (after.length < 2 && !final) return;
      if (state === 'content') {
        emit(pending.subarray(0, at));
        finishPart();
      }
      if (after.subarray(0, 2).toString() === '--') {
        state = 'done';
        return;
      }
      // Past the boundary line's CRLF.
      const lineEnd = after.indexOf('\r\n');
      if (lineEnd < 0) return;
      pending = after.subarray(lineEnd + 2);
      state = 'headers';
    }
  };

  for await (const chunk of body) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    consume(false);
  }
  consume(true);
  if ((state as string) !== 'done') throw new Error('multipart body ended before its closing boundary');
  return fields;
}

function decode(value: string): string {
  return value.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}

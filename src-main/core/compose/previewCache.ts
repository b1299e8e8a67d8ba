// The composer's small previews of image files (data: URLs, so the renderer never reads the data
// folder), kept in memory once made: the drafts on screen and the open one are what is asked
// again. Bounded, the one unused longest going first; and a draft's previews go with its files
// (published, deleted), whose paths will never be asked for again.
import path from 'node:path';

export class PreviewCache {
  readonly #previews = new Map<string, string>();

  constructor(
    private readonly make: (file: string) => Promise<string>,
    /** A few pages of drafts with four images each. */
    private readonly limit = 200,
  ) {}

  async of(file: string): Promise<string> {
    const cached = this.#previews.get(file);
    if (cached) {
      // Most recently used last, so the bound below drops the one unused longest.
      this.#previews.delete(file);
      this.#previews.set(file, cached);
      return cached;
    }
    const preview = await this.make(file);
    this.#previews.set(file, preview);
    if (this.#previews.size > this.limit) this.#previews.delete(this.#previews.keys().next().value!);
    return preview;
  }

  /** The file changed (a new poster): its next preview is made anew. */
  forget(file: string): void {
    this.#previews.delete(file);
  }

  /** Every preview of a file in `folder` (a draft's folder, removed with its files). */
  forgetFolder(folder: string): void {
    const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
    for (const file of [...this.#previews.keys()]) if (file.startsWith(prefix)) this.#previews.delete(file);
  }

  get size(): number {
    return this.#previews.size;
  }
}

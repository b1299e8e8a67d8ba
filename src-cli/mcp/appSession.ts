// The MCP server's one session with the running app, opened as an assistant under the name the MCP
// client gave in its initialize request, so the app's switch, audit list and approval requests
// name the assistant the user sees ("Claude Desktop"), not this process. Opened at the first tool
// call (the client's name is known by then) and opened again after the app quit or restarted.
import type { MethodInput, MethodName, MethodOutput } from '../../src-preload/contract';
import type { LocalpostClient } from '../localpostClient';

export interface AppCaller {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

export interface AppSessionOptions {
  /** Opens an assistant session on the app's endpoint (starting the app first where the command can). */
  connect(client: { name: string; version: string }): Promise<LocalpostClient>;
  /** The MCP client's own name and version, once its initialize request has been read. */
  clientInfo(): { name: string; version: string } | undefined;
}

export class AppSession implements AppCaller {
  #open: Promise<LocalpostClient> | null = null;

  constructor(private readonly options: AppSessionOptions) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const client = await this.#client();
    return client.call(method, input);
  }

  close(): void {
    void this.#open?.then((client) => client.close(), () => {});
    this.#open = null;
  }

  async #client(): Promise<LocalpostClient> {
    if (this.#open) {
      const client = await this.#open.catch(() => null);
      if (client?.isOpen()) return client;
      this.#open = null;
    }
    const info = this.options.clientInfo();
    const opening = this.options.connect({ name: info?.name || 'unnamed MCP client', version: info?.version || '?' });
    this.#open = opening;
    // A failed opening (the app not running, the assistant turned off) is tried again next call.
    opening.catch(() => {
      if (this.#open === opening) this.#open = null;
    });
    return opening;
  }
}

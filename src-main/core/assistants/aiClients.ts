// The assistants that have called Localpost through `localpost mcp`, each with the user's switch
// (on until the user turns it off), and every call each made, for the audit list in Settings.
// An assistant names itself (the MCP client's name): the switch is a convenience against a
// misbehaving assistant, not a security boundary; the approval gate is.
import type { AiClient, AiRequest } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import type { Clock } from '../ports';

/** How many calls the audit list keeps. */
const keptRequests = 1000;

interface ClientRow {
  name: string;
  enabled: number;
  first_seen_at: number;
  last_seen_at: number;
}

export class AiClients {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Notes the assistant as seen now; refuses it if the user turned it off. */
  admit(name: string): void {
    const now = this.clock.now();
    this.db
      .prepare(`INSERT INTO ai_clients (name, enabled, first_seen_at, last_seen_at) VALUES (?, 1, ?, ?) ON CONFLICT (name) DO UPDATE SET last_seen_at = excluded.last_seen_at`)
      .run(name, now, now);
    if (!this.#row(name)!.enabled) {
      throw new AppError('ai_access_off', `${name} may not use Localpost: its access is off.`, { action: 'Turn it on in Localpost, Settings → AI assistants, if you want it back.' });
    }
  }

  /** One call, with what came of it (`ok`, or the error's code). */
  record(name: string, method: string, outcome: string): void {
    this.db.prepare(`INSERT INTO ai_requests (client_name, method, at, outcome) VALUES (?, ?, ?, ?)`).run(name, method, this.clock.now(), outcome);
    this.db.prepare(`DELETE FROM ai_requests WHERE id <= (SELECT MAX(id) FROM ai_requests) - ?`).run(keptRequests);
  }

  list(): { clients: AiClient[]; requests: AiRequest[] } {
    const clients = (this.db.prepare(`SELECT * FROM ai_clients ORDER BY last_seen_at DESC`).all() as ClientRow[]).map(toClient);
    const requests = this.db
      .prepare(`SELECT client_name AS clientName, method, at, outcome FROM ai_requests ORDER BY id DESC LIMIT 200`)
      .all() as AiRequest[];
    return { clients, requests };
  }

  setEnabled(name: string, enabled: boolean): AiClient {
    const changed = this.db.prepare(`UPDATE ai_clients SET enabled = ? WHERE name = ?`).run(enabled ? 1 : 0, name);
    if (changed.changes === 0) throw new AppError('not_found', `No assistant named ${name} has called Localpost.`);
    return toClient(this.#row(name)!);
  }

  #row(name: string): ClientRow | undefined {
    return this.db.prepare(`SELECT * FROM ai_clients WHERE name = ?`).get(name) as ClientRow | undefined;
  }
}

function toClient(row: ClientRow): AiClient {
  return { name: row.name, enabled: row.enabled === 1, firstSeenAt: row.first_seen_at, lastSeenAt: row.last_seen_at };
}

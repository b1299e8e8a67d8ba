// The user's own X developer app (docs.x.com, fundamentals/developer-apps): X has no app a desktop
// program can share, so each user registers one in the X Developer Console and enters its Client ID
// here, with its Client secret only when they chose a confidential ("Web App") client instead of a
// public "Native App". All of it lives in the vault as one JSON value: the secret is a secret, and
// the id and port travel with it so that a lost vault loses the app as a whole, never half of it.
// The renderer sees `hasClientSecret`, never the secret itself.
import type { DeveloperApp } from '../../../../src-preload/contract';
import { registerSecret } from '../../log/redact';
import { defaultFixedRedirectPort } from '../../oauth/redirectStrategies';
import type { Vault } from '../../vault/vault';

/** What the vault keeps for the X developer app. */
export interface XDeveloperAppRecord {
  clientId: string | null;
  clientSecret?: string;
  redirectPort: number;
}

export interface XDeveloperAppChanges {
  clientId: string;
  /** Absent: keep the saved secret. Empty: remove it (a "Native App" has none). */
  clientSecret?: string;
  redirectPort: number;
}

export const xDeveloperAppVaultKey = 'developer-app:x';

/**
 * X compares redirect URIs exactly ("including trailing slashes", developer-apps.mdx) and wants
 * 127.0.0.1 rather than localhost for local development, so the URI is built in one place and
 * shown to the user to register character for character.
 */
export function xRedirectUri(port: number): string {
  return `http://127.0.0.1:${port}/callback`;
}

export class XDeveloperAppStore {
  constructor(private readonly vault: Vault) {}

  /** The saved app, with the default port when none was saved. */
  read(): XDeveloperAppRecord {
    const raw = this.vault.get(xDeveloperAppVaultKey);
    if (!raw) return { clientId: null, redirectPort: defaultFixedRedirectPort };
    const record = JSON.parse(raw) as XDeveloperAppRecord;
    if (record.clientSecret) registerSecret(record.clientSecret);
    return record;
  }

  save(changes: XDeveloperAppChanges): XDeveloperAppRecord {
    const previous = this.read();
    const clientSecret = changes.clientSecret === undefined ? previous.clientSecret : changes.clientSecret.trim();
    const record: XDeveloperAppRecord = {
      clientId: changes.clientId.trim() || null,
      ...(clientSecret ? { clientSecret } : {}),
      redirectPort: changes.redirectPort,
    };
    if (record.clientSecret) registerSecret(record.clientSecret);
    this.vault.put(xDeveloperAppVaultKey, JSON.stringify(record));
    return record;
  }

  /** The app as it crosses the bridge: whether a secret is saved, never the secret. */
  describe(): DeveloperApp {
    return describeXDeveloperApp(this.read());
  }
}

export function describeXDeveloperApp(record: XDeveloperAppRecord): DeveloperApp {
  return {
    platform: 'x',
    clientId: record.clientId,
    hasClientSecret: Boolean(record.clientSecret),
    redirectPort: record.redirectPort,
    redirectUri: xRedirectUri(record.redirectPort),
  };
}

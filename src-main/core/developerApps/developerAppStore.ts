// The user's own developer apps, one per platform that needs one (src-shared/developerApps.ts says
// which and why). Each lives in the vault as one JSON value: the secret is a secret, and the id and
// port travel with it so that a lost vault loses the app as a whole, never half of it. The vault
// key is `developer-app:<platform>`, the one X's app has always had, so saved apps read as before.
// The renderer sees `hasClientSecret`, never the secret itself.
import type { DeveloperApp } from '../../../src-preload/contract';
import {
  defaultFixedRedirectPort,
  developerAppSpecs,
  developerAppSwitchStates,
  hasChosenPort,
  redirectToRegister,
  type DeveloperAppPlatform,
} from '../../../src-shared/developerApps';
import { AppError } from '../errors';
import { registerSecret } from '../log/redact';
import type { Vault } from '../vault/vault';

/** What the vault keeps for one developer app. */
export interface DeveloperAppRecord {
  clientId: string | null;
  clientSecret?: string;
  redirectPort: number;
  /** The platform's switches that are on (Pinterest's sandbox); absent in apps saved before them. */
  switches?: Record<string, boolean>;
}

export interface DeveloperAppChanges {
  clientId: string;
  /** Absent: keep the saved secret. Empty: remove it (X's "Native App" has none). */
  clientSecret?: string;
  redirectPort: number;
  /** Absent: keep the saved switches; the ones given replace theirs. */
  switches?: Record<string, boolean>;
}

export function developerAppVaultKey(platform: DeveloperAppPlatform): string {
  return `developer-app:${platform}`;
}

export class DeveloperAppStore {
  constructor(private readonly vault: Vault) {}

  /** The saved app, with the platform's default port when none was saved. */
  read(platform: DeveloperAppPlatform): DeveloperAppRecord {
    const raw = this.vault.get(developerAppVaultKey(platform));
    if (!raw) return { clientId: null, redirectPort: defaultRedirectPort(platform) };
    const record = JSON.parse(raw) as DeveloperAppRecord;
    if (record.clientSecret) registerSecret(record.clientSecret);
    return record;
  }

  save(platform: DeveloperAppPlatform, changes: DeveloperAppChanges): DeveloperAppRecord {
    const record = this.withChanges(platform, changes);
    if (record.clientSecret) registerSecret(record.clientSecret);
    this.vault.put(developerAppVaultKey(platform), JSON.stringify(record));
    return record;
  }

  /** The app as `save` would keep it, checked the same way, without keeping it (to test it first). */
  withChanges(platform: DeveloperAppPlatform, changes: DeveloperAppChanges): DeveloperAppRecord {
    const previous = this.read(platform);
    const clientSecret = changes.clientSecret === undefined ? previous.clientSecret : changes.clientSecret.trim();
    const switches = developerAppSwitchStates(platform, { ...previous.switches, ...changes.switches });
    const record: DeveloperAppRecord = {
      clientId: changes.clientId.trim() || null,
      ...(clientSecret ? { clientSecret } : {}),
      redirectPort: changes.redirectPort,
      ...(Object.keys(switches).length > 0 ? { switches } : {}),
    };
    const spec = developerAppSpecs[platform];
    // Half an app would fail only at the token request, after the user has already said yes to
    // the platform: say it now, while the form is open.
    if (spec.clientSecret.required && record.clientId && !record.clientSecret) {
      throw new AppError('invalid_input', `${spec.name} needs your app's Client secret as well as its Client ID.`, {
        action: `Copy the Client secret from your app's ${spec.credentialsAt.tab} tab in the ${spec.portal.name}, then save again.`,
      });
    }
    if (record.clientSecret) registerSecret(record.clientSecret);
    return record;
  }

  /** The app as it crosses the bridge: whether a secret is saved, never the secret. */
  describe(platform: DeveloperAppPlatform): DeveloperApp {
    return describeDeveloperApp(platform, this.read(platform));
  }

  /** One platform's app, for its adapter: it reads its own app and no other. */
  forPlatform(platform: DeveloperAppPlatform): PlatformDeveloperApp {
    return { read: () => this.read(platform) };
  }
}

export interface PlatformDeveloperApp {
  read(): DeveloperAppRecord;
}

export function describeDeveloperApp(platform: DeveloperAppPlatform, record: DeveloperAppRecord): DeveloperApp {
  return {
    platform,
    clientId: record.clientId,
    hasClientSecret: Boolean(record.clientSecret),
    redirectPort: record.redirectPort,
    redirectUri: redirectToRegister(developerAppSpecs[platform].redirect, record.redirectPort)?.uri ?? null,
    switches: developerAppSwitchStates(platform, record.switches),
  };
}

/** A platform that accepts any loopback port never uses the saved one; it is kept all the same, so
 *  every app has the same shape. */
function defaultRedirectPort(platform: DeveloperAppPlatform): number {
  const { redirect } = developerAppSpecs[platform];
  return hasChosenPort(redirect) ? redirect.defaultPort : defaultFixedRedirectPort;
}

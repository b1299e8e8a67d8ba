// The platforms an account can be added for. Adding one is adding an entry here and its connect
// form in AccountsView; the choice screen is built from this list.
import type { ReactNode } from 'react';
import type { Platform } from '../../bridge';
import { BlueskyLogo } from '../../ui/icons';

export interface ConnectablePlatform {
  id: Platform;
  name: string;
  description: string;
}

export const connectablePlatforms: ConnectablePlatform[] = [
  { id: 'bluesky', name: 'Bluesky', description: 'Connect with an app password. Any hosting provider.' },
];

export const platformNames: Record<Platform, string> = { bluesky: 'Bluesky' };

export const platformLogos: Record<Platform, ReactNode> = { bluesky: <BlueskyLogo /> };

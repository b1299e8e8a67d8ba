// The shape every platform adapter fills in, so that adding a platform is filling in a known
// form: check an account's connection, publish one post to it, disconnect it.
import type { Account } from '../../../src-preload/contract';

/** What a post carries to one target, after the composer's preflight passed. */
export interface OutgoingPost {
  text: string;
  langs: string[];
  images: Array<{ bytes: Buffer; mime: string; alt: string; width: number; height: number }>;
  linkCard: { url: string; title: string; description: string; image: { bytes: Buffer; mime: string } | null } | null;
  createdAt: number;
}

export interface PublishedPost {
  /** The platform's id for the post (an at:// URI on Bluesky). */
  uri: string;
  cid: string | null;
  /** A web link a person can open, when the platform has one. */
  url: string | null;
}

export type ConnectionCheck =
  | { status: 'connected' }
  | { status: 'needs_reauth'; reason: string }
  | { status: 'error'; reason: string };

export interface PlatformAdapter {
  readonly platform: Account['platform'];
  checkConnection(account: Account): Promise<ConnectionCheck>;
  publish(account: Account, post: OutgoingPost): Promise<PublishedPost>;
  /** Ends the session at the platform where it can; never throws for a platform-side failure. */
  disconnect(account: Account): Promise<void>;
}

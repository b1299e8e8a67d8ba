// The platforms Localpost posts to, by id. Its own module, with no imports, because the contract
// (and so the sandboxed preload bundle) needs the list but none of the counting rules: X's counter
// brings in twitter-text, which a sandboxed preload cannot load.
//
// Runtime: std (no DOM, no Node).
export const platformIds = ['bluesky', 'mastodon', 'x', 'discord', 'slack', 'telegram', 'linkedin', 'pinterest', 'tiktok', 'youtube', 'threads', 'facebook', 'instagram'] as const;
export type PlatformId = (typeof platformIds)[number];

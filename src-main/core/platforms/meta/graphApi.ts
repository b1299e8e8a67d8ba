// Where a Meta platform's Graph API calls go: the host (graph.facebook.com, graph.instagram.com,
// or a test's server), then the version the user's settings name, read at each call so a change in
// Settings applies to the next one (developers.facebook.com/docs/graph-api/guides/versioning:
// `https://graph.facebook.com/v24.0/{node}`).
import { metaGraphApiVersionPattern } from '../../../../src-shared/metaGraphApi';
import { AppError } from '../../errors';

/** The versioned base for Graph API calls on `host` (an origin, without a version). */
export function graphApiBase(host: string, version: string): string {
  if (!metaGraphApiVersionPattern.test(version)) {
    throw new AppError('invalid_input', `The Graph API version in Settings is not one Meta names: ${version}.`, { action: 'Open Settings → Developer apps and write it like v24.0.' });
  }
  return `${host.replace(/\/+$/, '')}/${version}`;
}

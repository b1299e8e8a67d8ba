// Where a Meta platform's Graph API calls go: the host (graph.facebook.com, graph.instagram.com,
// or a test's server), then the version the user's settings name, read at each call so a change in
// Settings applies to the next one (developers.facebook.com/docs/graph-api/guides/versioning:
// `https://graph.facebook.com/v24.0/{node}`).
import { metaGraphApiVersionPattern } from '../../../../src-shared/metaGraphApi';
import { AppError } from '../../errors';
import { assertSafeEndpoint, type EnvRecord } from '../../oauth/endpoints';

/** The versioned base for Graph API calls on `host` (an origin, without a version). */
export function graphApiBase(host: string, version: string): string {
  if (!metaGraphApiVersionPattern.test(version)) {
    throw new AppError('invalid_input', `The Graph API version in Settings is not one Meta names: ${version}.`, { action: 'Open Settings → Developer apps and write it like v24.0.' });
  }
  return `${host.replace(/\/+$/, '')}/${version}`;
}

/** The hosts Meta serves Facebook's login dialog, its Graph API and video uploads from (docs/
 *  video-api/guides/publishing posts videos to graph-video.facebook.com), for Facebook Pages and for
 *  the Instagram accounts reached through a Page. Tests move them with
 *  LOCALPOST_FACEBOOK_DIALOG_ORIGIN, _GRAPH_ORIGIN and _VIDEO_ORIGIN. */
export function facebookHosts(env: EnvRecord): { dialog: string; graph: string; video: string } {
  const pick = (name: string, fallback: string) => {
    const variable = `LOCALPOST_FACEBOOK_${name}_ORIGIN`;
    return assertSafeEndpoint(env[variable]?.trim() || fallback, variable).replace(/\/+$/, '');
  };
  return { dialog: pick('DIALOG', 'https://www.facebook.com'), graph: pick('GRAPH', 'https://graph.facebook.com'), video: pick('VIDEO', 'https://graph-video.facebook.com') };
}

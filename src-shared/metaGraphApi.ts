// The Graph API version Facebook Pages and Instagram are called with. Meta versions the Graph API
// (developers.facebook.com/docs/graph-api/guides/versioning): each version lives at least two
// years, and a call without one goes to the oldest the app may use, whose behaviour moves under it.
// So the version is named on every call, and it is a setting: a user whose app was created on a
// newer version, or who must move before one is retired, changes it without waiting for a release.

/** The version Localpost is built and tested against. */
export const defaultMetaGraphApiVersion = 'v24.0';

/** `v` then the major and minor number, as Meta writes them ("v24.0"). */
export const metaGraphApiVersionPattern = /^v\d{1,3}\.\d{1,2}$/;

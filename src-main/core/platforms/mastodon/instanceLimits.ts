// A Mastodon instance's own limits, read from `GET /api/v2/instance` → `configuration`
// (docs.joinmastodon.org/entities/Instance). Instances raise them (1000, 5000 characters), so the
// composer's counter and preflight use what the account's instance says, not a global 500.
import type { Account } from '../../../../src-preload/contract';

type Limits = NonNullable<Account['limits']>;

/** Mastodon's defaults, used for anything an instance does not say (entities/Instance). */
export const defaultMastodonLimits: Required<Pick<Limits, 'maxCharacters' | 'maxImages' | 'charactersReservedPerUrl' | 'altTextLimit'>> = { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23, altTextLimit: 1500 };

function optionalPositive<K extends string>(key: K, value: unknown): Partial<Record<K, number>> {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? ({ [key]: value } as Record<K, number>) : {};
}

export function limitsFromInstance(instance: unknown): Limits {
  const configuration = (instance as { configuration?: { statuses?: Record<string, unknown>; media_attachments?: Record<string, unknown> } } | null)
    ?.configuration;
  const statuses = configuration?.statuses ?? {};
  const media = configuration?.media_attachments ?? {};
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);
  return {
    maxCharacters: positive(statuses.max_characters, defaultMastodonLimits.maxCharacters),
    maxImages: positive(statuses.max_media_attachments, defaultMastodonLimits.maxImages),
    charactersReservedPerUrl: positive(statuses.characters_reserved_per_url, defaultMastodonLimits.charactersReservedPerUrl),
    // configuration.media_attachments.description_limit (Mastodon 4.4+); older instances take 1500.
    altTextLimit: positive(media.description_limit, defaultMastodonLimits.altTextLimit),
    // The instance's video limits where it says them; preflight keeps Mastodon's defaults otherwise.
    ...optionalPositive('videoMaxBytes', media.video_size_limit),
    ...optionalPositive('videoMaxPixels', media.video_matrix_limit),
    ...optionalPositive('videoMaxFrameRate', media.video_frame_rate_limit),
  };
}

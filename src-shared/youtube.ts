// A YouTube video's own fields, beyond the text every post has (its description): the title, who
// may watch it, whether it is made for kids, its category and tags, and an optional time at which
// YouTube itself makes it public. Each is checked against the Data API's rules for the video
// resource (developers.google.com/youtube/v3/docs/videos, snippet and status) before anything is sent.
//
// Runtime: std (no DOM, no Node).
import { utf16Length, utf8Length } from './compose/textLength';
import type { PreflightVideo } from './compose/videoLimits';
import type { OptionIssue } from './pins';

export type YouTubePrivacy = 'private' | 'unlisted' | 'public';
export const youTubePrivacies: readonly YouTubePrivacy[] = ['private', 'unlisted', 'public'];

export interface YouTubeFields {
  title: string;
  privacy: YouTubePrivacy;
  /** `status.selfDeclaredMadeForKids`: YouTube requires every channel to answer it (COPPA), so it
   *  has no default and null means the user has not answered yet. */
  madeForKids: boolean | null;
  /** `snippet.categoryId`. */
  categoryId: string;
  tags: string[];
  /** `status.publishAt` (ISO 8601), or '' to leave it to Localpost's own schedule. YouTube takes
   *  it only for a private video, which it makes public then. */
  publishAt: string;
}

/** Private until the user chooses: a project Google has not audited has its uploads locked to private anyway. */
export const emptyYouTubeFields: YouTubeFields = { title: '', privacy: 'private', madeForKids: null, categoryId: '22', tags: [], publishAt: '' };

/** snippet.title: "a maximum length of 100 characters", counted in UTF-16 units (never fewer than YouTube counts). */
export const youTubeTitleLimit = 100;
/** snippet.description: "a maximum length of 5000 bytes". */
export const youTubeDescriptionBytes = 5000;
/** snippet.tags: "a maximum length of 500 characters", for all the tags together. */
export const youTubeTagsLimit = 500;
export const countYouTubeTitle = utf16Length;
export const countYouTubeDescription = utf8Length;

/**
 * The tags' length as YouTube counts it (videos resource, snippet.tags): the commas between them
 * count, and a tag with a space counts its quotes, so "Foo-Baz" is 7 characters and "Foo Baz" 9.
 */
export function countYouTubeTags(tags: readonly string[]): number {
  const kept = tags.map((tag) => tag.trim()).filter((tag) => tag !== '');
  return kept.reduce((sum, tag) => sum + tag.length + (/\s/.test(tag) ? 2 : 0), 0) + Math.max(0, kept.length - 1);
}

/** Tags as typed in one field, comma-separated. */
export function parseYouTubeTags(typed: string): string[] {
  return typed.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/**
 * Video categories a channel can choose (videoCategories.list, `assignable: true`, for the US;
 * the ids are the same in every region). 22, People & Blogs, is YouTube Studio's default.
 */
export const youTubeCategories: ReadonlyArray<{ id: string; name: string }> = [
  { id: '1', name: 'Film & Animation' },
  { id: '2', name: 'Autos & Vehicles' },
  { id: '10', name: 'Music' },
  { id: '15', name: 'Pets & Animals' },
  { id: '17', name: 'Sports' },
  { id: '19', name: 'Travel & Events' },
  { id: '20', name: 'Gaming' },
  { id: '22', name: 'People & Blogs' },
  { id: '23', name: 'Comedy' },
  { id: '24', name: 'Entertainment' },
  { id: '25', name: 'News & Politics' },
  { id: '26', name: 'Howto & Style' },
  { id: '27', name: 'Education' },
  { id: '28', name: 'Science & Technology' },
  { id: '29', name: 'Nonprofits & Activism' },
];

const angleBrackets = /[<>]/;

/** What keeps a video from going to this YouTube account: no video, or a field YouTube refuses. */
export function checkYouTubeFields(fields: YouTubeFields | undefined, label: string, post: { text: string; video: PreflightVideo | null }): OptionIssue[] {
  const video = fields ?? emptyYouTubeFields;
  const issues: OptionIssue[] = [];
  if (!post.video) {
    issues.push({ ruleId: 'youtube.video_required', message: `YouTube takes nothing but video: attach one, or untick ${label}.` });
  }
  const title = video.title.trim();
  if (title === '') {
    issues.push({ ruleId: 'youtube.title_required', message: 'Give the video a title: YouTube requires one.', wholePost: true });
  } else if (countYouTubeTitle(title) > youTubeTitleLimit) {
    issues.push({ ruleId: 'youtube.title_length', message: `The video title is ${countYouTubeTitle(title) - youTubeTitleLimit} characters over YouTube's ${youTubeTitleLimit}.`, wholePost: true });
  }
  if (angleBrackets.test(title)) {
    issues.push({ ruleId: 'youtube.title_angle_brackets', message: 'YouTube refuses < and > in a title: remove them.', wholePost: true });
  }
  if (video.madeForKids === null) {
    issues.push({
      ruleId: 'youtube.made_for_kids',
      message: 'Say whether the video is made for kids: YouTube requires an answer for every video (COPPA).',
      wholePost: true,
    });
  }
  if (angleBrackets.test(post.text)) {
    issues.push({ ruleId: 'youtube.description_angle_brackets', message: 'YouTube refuses < and > in a description: remove them from the text.', wholePost: true });
  }
  const tagsLength = countYouTubeTags(video.tags);
  if (tagsLength > youTubeTagsLimit) {
    issues.push({
      ruleId: 'youtube.tags_length',
      message: `The tags come to ${tagsLength} characters as YouTube counts them (commas, and quotes around tags with spaces, included): at most ${youTubeTagsLimit}.`,
      wholePost: true,
    });
  }
  if (video.tags.some((tag) => angleBrackets.test(tag))) {
    issues.push({ ruleId: 'youtube.tags_length', message: 'YouTube refuses < and > in tags: remove them.', wholePost: true });
  }
  if (video.publishAt) {
    if (Number.isNaN(Date.parse(video.publishAt))) {
      issues.push({ ruleId: 'youtube.publish_at', message: 'The time YouTube should publish the video at is not a date.', wholePost: true });
    } else if (video.privacy !== 'private') {
      issues.push({
        ruleId: 'youtube.publish_at',
        message: 'YouTube publishes a video at a set time only if it is uploaded as private: choose Private, or let Localpost schedule it instead.',
        wholePost: true,
      });
    }
  }
  return issues;
}

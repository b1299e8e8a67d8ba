// A pin's own fields, beyond the text every post has (its description): the board it goes to, a
// title and a destination link, each with Pinterest's limits (api-description v5/openapi.json
// `PinCreate`: title maxLength 100, link maxLength 2048) and checked before anything is sent.
//
// Runtime: std (no DOM, no Node).
import type { PreflightRuleId } from './compose/preflight';
import { utf16Length } from './compose/textLength';

export interface PinFields {
  /** Board id by account id: each Pinterest account a post goes to pins to a board of its own. */
  boards: Record<string, string>;
  title: string;
  link: string;
}

export const emptyPinFields: PinFields = { boards: {}, title: '', link: '' };

/** Counted in UTF-16 units, never fewer than the description's maxLength counts. */
export const pinTitleLimit = 100;
export const pinLinkLimit = 2048;
export const countPinTitle = utf16Length;

/** Whether the link is one a pin can lead to: a web address, http or https. */
export function isPinLink(link: string): boolean {
  try {
    const url = new URL(link.trim());
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An issue with a platform's own fields: about one account (its board), or about the post's
 *  fields as a whole (the title), which every account of the platform shares. */
export interface OptionIssue {
  ruleId: PreflightRuleId;
  message: string;
  wholePost?: boolean;
}

/** What keeps a pin for this account from going out: no board chosen, a title or link Pinterest refuses. */
export function checkPinFields(pin: PinFields | undefined, accountId: string, label: string): OptionIssue[] {
  const fields = pin ?? emptyPinFields;
  const issues: OptionIssue[] = [];
  if (!fields.boards[accountId]) {
    issues.push({ ruleId: 'pinterest.board', message: `Choose a board for ${label}: every pin belongs to one.` });
  }
  const titleLength = countPinTitle(fields.title);
  if (titleLength > pinTitleLimit) {
    issues.push({ ruleId: 'pinterest.title_length', message: `The pin title is ${titleLength - pinTitleLimit} characters over Pinterest's ${pinTitleLimit}.`, wholePost: true });
  }
  const link = fields.link.trim();
  if (link && (!isPinLink(link) || link.length > pinLinkLimit)) {
    issues.push({ ruleId: 'pinterest.link', message: `The pin's link must be a web address (https://…) of at most ${pinLinkLimit} characters.`, wholePost: true });
  }
  return issues;
}

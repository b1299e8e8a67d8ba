// What a screen reader hears when Publish or Schedule has an outcome: one sentence that counts the
// accounts and names each one that failed with its reason ("Published to 3 of 4 accounts; 1
// failed: @bob.example.com: The PDS refused the post."). Said politely when all went well, and
// at once (assertive) when something needs the user. A refusal before anything was sent is the
// composer's error alert, which is announced already. Pure, so it is tested without a page.
import type { Post } from '../../../src-preload/contract';
import { targetLabel } from '../../../src-shared/compose/preflight';

export interface Announcement {
  text: string;
  /** Something failed or needs the user: said at once rather than after what is being read. */
  urgent: boolean;
}

const accounts = (n: number) => (n === 1 ? '1 account' : `${n} accounts`);

/**
 * The sentence for a post just sent, or null while it is still going out (the status beside
 * Publish already says "Publishing…"). `when` writes a scheduled time as the composer shows it.
 */
export function announcePost(post: Post, when: (epochMs: number, zone: string) => string): Announcement | null {
  const total = post.targets.length;
  if (post.phase === 'scheduled' && post.scheduledAt !== null && post.scheduleZone !== null) {
    return { text: `Scheduled for ${when(post.scheduledAt, post.scheduleZone)}, to ${accounts(total)}.`, urgent: false };
  }
  const by = (...states: string[]) => post.targets.filter((target) => states.includes(target.status));
  const published = by('published').length;
  const waiting = by('queued', 'publishing');
  if (waiting.length === total) {
    if (by('publishing').length > 0) return null;
    return { text: `Queued for ${accounts(total)}: it goes out by itself as soon as it can.`, urgent: false };
  }
  if (published === total) return { text: total === 1 ? `Published to ${targetLabel(post.targets[0]!)}.` : `Published to all ${total} accounts.`, urgent: false };

  const failed = by('failed_retryable', 'failed_permanent');
  const unsure = by('unknown');
  const cancelled = by('cancelled').length;
  const parts = [`Published to ${published} of ${accounts(total)}`];
  if (failed.length > 0) {
    const reasons = failed.map((target) => `${targetLabel(target)}${target.error ? `: ${target.error.message.replace(/\.$/, '')}` : ''}`);
    parts.push(`${failed.length} failed: ${reasons.join('; ')}`);
  }
  if (unsure.length > 0) parts.push(`${unsure.length} not sure, check the Queue: ${unsure.map(targetLabel).join(', ')}`);
  if (waiting.length > 0) parts.push(`${waiting.length} waiting in the queue`);
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  return { text: `${parts.join('; ')}.`, urgent: failed.length + unsure.length > 0 };
}

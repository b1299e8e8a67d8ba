// Where the post goes: one checkbox per account, named exactly by its label (`@handle` on
// Bluesky, Mastodon and X, the channel's or chat's name elsewhere), and for each chosen account a
// live counter with that platform's own rule: Telegram counts against 4096, or 1024 once an image
// makes the text a caption; X counts twitter-text's weighted length; Mastodon counts the content
// warning with the text. An X account also shows what is left of its spending cap. An account
// that cannot post is shown but disabled, unless it is already chosen (so it can still be unchosen).
import { memo, useMemo } from 'react';
import type { Account } from '../../bridge';
import { partsFor, type PostText } from '../../../src-shared/compose/postParts';
import { preflightRules, targetLabel, type PreflightIssue } from '../../../src-shared/compose/preflight';
import { lengthRuleFor, maxImagesFor, platformRules, postLength } from '../../../src-shared/platforms';
import { useAppStore } from '../../state/store';
import { StatusBadge } from '../../ui/StatusBadge';
import { PlatformLogo, platformNames } from '../accounts/platforms';
import { postsLeftText } from '../accounts/SpendingCap';

/** Issues shown with their rule id next to a target's counter, in place of the list below. */
const counterRules: string[] = [preflightRules.lengthMax, preflightRules.lengthMaxBytes];
/** Issues about one target, shown under that target, in place of the list below. */
const targetRules: string[] = [
  preflightRules.mediaUnsupported,
  preflightRules.mediaCount,
  preflightRules.mediaAltTextLength,
  preflightRules.mediaRequired,
  preflightRules.xSpendingCap,
];

export function isCounterIssue(issue: PreflightIssue): boolean {
  return issue.accountId !== null && (counterRules.includes(issue.ruleId) || Object.values(platformRules).some((rules) => rules.lengthRuleId === issue.ruleId));
}

/** Shown with its target rather than in the list of issues: counter, media and spending-cap issues. */
export function isTargetIssue(issue: PreflightIssue): boolean {
  return issue.accountId !== null && (isCounterIssue(issue) || targetRules.includes(issue.ruleId));
}

const noTargets: string[] = [];

export function TargetPicker({ issues }: { issues: PreflightIssue[] }) {
  const accounts = useAppStore((s) => s.accounts);
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const composer = useAppStore((s) => s.composer);
  // A video makes the text a caption too (Telegram's 1024), as preflight counts it.
  const hasImages = useAppStore((s) => (s.composer?.images.length ?? 0) > 0 || Boolean(s.composer?.video));
  const setTargeted = useAppStore((s) => s.setTargeted);

  if (!composer) return null;
  const post: PostText = composer;
  if (accounts !== null && accounts.length === 0) {
    return (
      <div className="targets targets-empty">
        {/* Plain text, not a second button: a button here would share the sidebar's "Accounts" name. */}
        <p className="muted">No accounts yet. Add one under Accounts in the sidebar to choose where this post goes.</p>
      </div>
    );
  }

  return (
    <fieldset className="targets">
      <legend className="section-label">Post to</legend>
      <ul className="target-list">
        {(accounts ?? []).map((account) => {
          const targeted = targetIds.includes(account.id);
          return (
            <TargetRow
              key={account.id}
              account={account}
              targeted={targeted}
              parts={targeted ? partsFor(post, { accountId: account.id, platform: account.platform, limits: account.limits }, hasImages) : noParts}
              contentWarning={post.contentWarning ?? ''}
              hasImages={hasImages}
              issues={issues.filter((issue) => issue.accountId === account.id && isTargetIssue(issue))}
              onChange={setTargeted}
            />
          );
        })}
      </ul>
    </fieldset>
  );
}

const noParts: string[] = [];

/** A row renders again only when what it shows changed: its posts' text, its issues, its account. */
const TargetRow = memo(TargetRowContent, (before, after) =>
  before.account === after.account &&
  before.targeted === after.targeted &&
  before.contentWarning === after.contentWarning &&
  before.hasImages === after.hasImages &&
  before.onChange === after.onChange &&
  sameTexts(before.parts, after.parts) &&
  before.issues.length === after.issues.length &&
  before.issues.every((issue, index) => issue.ruleId === after.issues[index]!.ruleId && issue.message === after.issues[index]!.message),
);

function sameTexts(before: string[], after: string[]): boolean {
  return before.length === after.length && before.every((text, index) => text === after[index]);
}

function TargetRowContent({
  account,
  targeted,
  parts,
  contentWarning,
  hasImages,
  issues,
  onChange,
}: {
  account: Account;
  targeted: boolean;
  /** The posts it publishes (partsFor), when it is chosen. */
  parts: string[];
  contentWarning: string;
  hasImages: boolean;
  issues: PreflightIssue[];
  onChange(accountId: string, targeted: boolean): void;
}) {
  const inputId = `target-${account.id}`;
  const connected = account.status === 'connected';
  const rules = platformRules[account.platform];
  // The account's own limits when its server has them (a Mastodon instance's max_characters).
  const length = lengthRuleFor(account.platform, hasImages, account.limits);
  const isCaption = hasImages && rules.captionLength !== undefined && length === rules.captionLength;
  const counterIssues = issues.filter(isCounterIssue);
  const over = counterIssues.length > 0;
  // No images and no video from this computer (a Slack webhook); a platform that takes a video is not "text only".
  const textOnly = maxImagesFor(account.platform, account.limits) === 0 && !platformRules[account.platform].video?.publishable;
  // A thread is counted post by post: the counter shows the longest, and how many posts it makes.
  const count = Math.max(0, ...parts.map((part, index) => postLength(account.platform, index === 0 ? length : lengthRuleFor(account.platform, false, account.limits), part, contentWarning)));
  const countsWarning = rules.countsContentWarning === true && contentWarning !== '';
  const cap = account.spendingCap;
  const describedBy = [`${inputId}-platform`, cap ? `${inputId}-cap` : null, connected ? null : `${inputId}-status`]
    .filter(Boolean)
    .join(' ');
  // The choice, the name, the platform and the cap stay as they are while the text is typed: made
  // once, so a keystroke re-renders only the counter and its issues.
  const choice = useMemo(
    () => (
      <>
        <input
          id={inputId}
          type="checkbox"
          className="checkbox"
          checked={targeted}
          disabled={!connected && !targeted}
          aria-describedby={describedBy}
          onChange={(e) => onChange(account.id, e.target.checked)}
        />
        <label htmlFor={inputId} className="target-handle">
          <PlatformLogo platform={account.platform} small />
          {targetLabel(account)}
        </label>
        <span id={`${inputId}-platform`} className="target-platform">
          {textOnly ? `${platformNames[account.platform]} · text only` : platformNames[account.platform]}
        </span>
        {cap && (
          <span id={`${inputId}-cap`} className="target-cap" data-exhausted={cap.used >= cap.limit}>
            {postsLeftText(cap)}
          </span>
        )}
        {!connected && <StatusBadge id={`${inputId}-status`} status={account.status} />}
      </>
    ),
    [account, targeted, connected, describedBy, inputId, textOnly, cap, onChange],
  );
  return (
    <li className="target" data-targeted={targeted} data-disabled={!connected && !targeted} data-platform={account.platform}>
      {choice}
      {targeted && (
        <span
          className="target-counter"
          data-over={over}
          title={`${rules.name} takes ${length.limit} ${length.unit}${isCaption ? ' as a caption under images' : ''}${
            countsWarning ? ', the content warning included' : ''
          }.`}
        >
          {isCaption && <span className="counter-note">caption</span>}
          {countsWarning && <span className="counter-note">with content warning</span>}
          {parts.length > 1 && <span className="counter-note">{`thread of ${parts.length} · longest`}</span>}
          <span className="counter">
            {count} / {length.limit}
          </span>
          {counterIssues.map((issue) => (
            <code key={issue.ruleId} className="rule-id">
              {issue.ruleId}
            </code>
          ))}
        </span>
      )}
      {targeted &&
        issues.map((issue) =>
          isCounterIssue(issue) ? (
            <p key={issue.ruleId} className="target-issue">
              {issue.message}
            </p>
          ) : (
            <p key={issue.ruleId} className="target-issue">
              <code className="rule-id">{issue.ruleId}</code> {issue.message}
            </p>
          ),
        )}
    </li>
  );
}

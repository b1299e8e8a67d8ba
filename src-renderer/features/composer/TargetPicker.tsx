// Where the post goes: one checkbox per account, named exactly by its handle, and for each chosen
// account a live counter in that platform's own units. An account that cannot post is shown but
// disabled, unless it is already chosen (so it can still be unchosen).
import type { Account } from '../../bridge';
import { blueskyLength } from '../../../src-shared/compose/textLength';
import { preflightRules, type PreflightIssue } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { StatusBadge } from '../../ui/StatusBadge';

/** Issues shown next to a target's counter, in place of the list below the targets. */
const counterRules: string[] = [preflightRules.lengthMax, preflightRules.lengthMaxBytes];

export function isCounterIssue(issue: PreflightIssue): boolean {
  return issue.accountId !== null && counterRules.includes(issue.ruleId);
}

const noTargets: string[] = [];

export function TargetPicker({ issues }: { issues: PreflightIssue[] }) {
  const accounts = useAppStore((s) => s.accounts);
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const text = useAppStore((s) => s.composer?.text ?? '');
  const setTargeted = useAppStore((s) => s.setTargeted);
  const count = blueskyLength.count(text);

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
        {(accounts ?? []).map((account) => (
          <TargetRow
            key={account.id}
            account={account}
            targeted={targetIds.includes(account.id)}
            count={count}
            counterIssues={issues.filter((issue) => issue.accountId === account.id && isCounterIssue(issue))}
            onChange={(targeted) => setTargeted(account.id, targeted)}
          />
        ))}
      </ul>
    </fieldset>
  );
}

function TargetRow({
  account,
  targeted,
  count,
  counterIssues,
  onChange,
}: {
  account: Account;
  targeted: boolean;
  count: number;
  counterIssues: PreflightIssue[];
  onChange(targeted: boolean): void;
}) {
  const inputId = `target-${account.id}`;
  const connected = account.status === 'connected';
  const over = counterIssues.length > 0;
  return (
    <li className="target" data-targeted={targeted} data-disabled={!connected && !targeted}>
      <input
        id={inputId}
        type="checkbox"
        className="checkbox"
        checked={targeted}
        disabled={!connected && !targeted}
        aria-describedby={connected ? undefined : `${inputId}-status`}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={inputId} className="target-handle">
        @{account.handle}
      </label>
      {!connected && <StatusBadge id={`${inputId}-status`} status={account.status} />}
      {targeted && (
        <span className="target-counter" data-over={over}>
          <span className="counter">
            {count} / {blueskyLength.limit}
          </span>
          {counterIssues.map((issue) => (
            <code key={issue.ruleId} className="rule-id">
              {issue.ruleId}
            </code>
          ))}
        </span>
      )}
      {targeted &&
        counterIssues.map((issue) => (
          <p key={issue.ruleId} className="target-issue">
            {issue.message}
          </p>
        ))}
    </li>
  );
}

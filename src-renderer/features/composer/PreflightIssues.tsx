// What stands between this draft and Publish, each with its stable rule id. Length issues, a
// target's media issues (Slack takes no images, X's alt text limit) and a spent X spending cap are
// shown with their target instead, so each rule id appears once per target. Missing media storage
// leads to Settings → Media storage, where the bucket is saved (once, however many platforms need it).
import { preflightRules, type PreflightIssue } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { isTargetIssue } from './TargetPicker';

export function PreflightIssues({ issues: allIssues }: { issues: PreflightIssue[] }) {
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  const issues = allIssues.filter((issue) => !isTargetIssue(issue));
  if (allIssues.length === 0) {
    return <p className="preflight preflight-ready">Ready to publish.</p>;
  }
  if (issues.length === 0) return null;
  const storageLinkAt = issues.findIndex((issue) => issue.ruleId === preflightRules.mediaStorageMissing);
  return (
    <div className="preflight">
      <p className="section-label">Before you can publish</p>
      <ul className="preflight-list">
        {issues.map((issue, index) => (
          <li key={`${issue.ruleId}-${issue.accountId ?? 'post'}-${index}`} className="preflight-issue">
            <code className="rule-id">{issue.ruleId}</code>
            <span>
              {issue.message}
              {index === storageLinkAt && (
                <span className="preflight-issue-action">
                  <button type="button" className="button button-small" onClick={() => showSettingsSection('media-storage')}>
                    Open media storage settings
                  </button>
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

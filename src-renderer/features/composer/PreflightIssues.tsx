// What stands between this draft and Publish, each with its stable rule id. Length issues, a
// target's media issues (Slack takes no images, X's alt text limit) and a spent X spending cap are
// shown with their target instead, so each rule id appears once per target.
import type { PreflightIssue } from '../../../src-shared/compose/preflight';
import { isTargetIssue } from './TargetPicker';

export function PreflightIssues({ issues: allIssues }: { issues: PreflightIssue[] }) {
  const issues = allIssues.filter((issue) => !isTargetIssue(issue));
  if (allIssues.length === 0) {
    return <p className="preflight preflight-ready">Ready to publish.</p>;
  }
  if (issues.length === 0) return null;
  return (
    <div className="preflight">
      <p className="section-label">Before you can publish</p>
      <ul className="preflight-list">
        {issues.map((issue, index) => (
          <li key={`${issue.ruleId}-${issue.accountId ?? 'post'}-${index}`} className="preflight-issue">
            <code className="rule-id">{issue.ruleId}</code>
            <span>{issue.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

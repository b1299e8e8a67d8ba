// One post as it will look on its account's platform: the frame every preview shares (the
// platform's link colour, a label saying where), around the platform's own layout from its record.
import { memo, type CSSProperties } from 'react';
import type { Account } from '../../../bridge';
import { targetLabel } from '../../../../src-shared/compose/preflight';
import { platformRules } from '../../../../src-shared/platforms';
import type { PreviewPost } from './previewLayouts';
import { previewUi } from './previewPlatforms';

export interface PostPreviewProps extends PreviewPost {
  account: Account;
}

export const PostPreview = memo(function PostPreview(props: PostPreviewProps) {
  const { account } = props;
  const look = previewUi[account.platform];
  const [light, dark] = look.linkColour;
  const { Layout } = look;
  return (
    <article
      className="post-preview"
      data-platform={account.platform}
      aria-label={`Preview on ${platformRules[account.platform].name} as ${targetLabel(account)}`}
      style={{ '--preview-link': `light-dark(${light}, ${dark})` } as CSSProperties}
    >
      <Layout {...props} look={look} />
    </article>
  );
});

// The options only some platforms have (Mastodon's content warning and visibility, a pin's board,
// title and link), each shown while one of that platform's accounts is a target, and given those
// accounts. Which platform has which is its record in the platform registry.
import { platformIds } from '../../../src-shared/platformIds';
import { useAppStore } from '../../state/store';
import { platformUi } from '../accounts/platforms';

const noTargets: string[] = [];

export function PlatformPostOptions() {
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const accounts = useAppStore((s) => s.accounts);
  const targeted = (accounts ?? []).filter((account) => targetIds.includes(account.id));
  return (
    <>
      {platformIds.map((platform) => {
        const { PostOptions } = platformUi[platform];
        const ofPlatform = targeted.filter((account) => account.platform === platform);
        return PostOptions && ofPlatform.length > 0 ? <PostOptions key={platform} accounts={ofPlatform} /> : null;
      })}
    </>
  );
}

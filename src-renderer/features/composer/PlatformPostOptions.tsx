// The options only some platforms have (Mastodon's content warning and visibility, a pin's board,
// title and link), each shown
// while one of that platform's accounts is a target. Which platform has which is its record in
// the platform registry.
import type { Platform } from '../../bridge';
import { platformIds } from '../../../src-shared/platformIds';
import { useAppStore } from '../../state/store';
import { platformUi } from '../accounts/platforms';

const noTargets: string[] = [];

export function PlatformPostOptions() {
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const accounts = useAppStore((s) => s.accounts);
  const targeted = new Set<Platform>((accounts ?? []).filter((account) => targetIds.includes(account.id)).map((account) => account.platform));
  return (
    <>
      {platformIds.map((platform) => {
        const { PostOptions } = platformUi[platform];
        return PostOptions && targeted.has(platform) ? <PostOptions key={platform} /> : null;
      })}
    </>
  );
}

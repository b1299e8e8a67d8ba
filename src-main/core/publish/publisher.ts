// Publish now: the core runs preflight itself, then sends the post to every selected account at
// once. One target's failure never touches the others, and the draft stays until every target
// has published, so nothing the user typed is lost.
import type { Post } from '../../../src-preload/contract';
import type { AccountStore } from '../accounts/accountStore';
import type { ComposeService } from '../compose/composeService';
import type { DraftStore } from '../compose/draftStore';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock, NetworkState } from '../ports';
import type { PlatformAdapter } from '../platforms/adapter';
import type { HistoryStore, TargetResult } from './historyStore';

export class Publisher {
  constructor(
    private readonly deps: {
      compose: ComposeService;
      drafts: DraftStore;
      accounts: AccountStore;
      history: HistoryStore;
      adapters: Record<string, PlatformAdapter>;
      network: NetworkState;
      clock: Clock;
      log: Logger;
      onAccountChanged: (accountId: string) => void;
    },
  ) {}

  async publishNow(profileId: string, draftId: string): Promise<Post> {
    const issues = this.deps.compose.preflight(profileId, draftId);
    if (issues.length > 0) {
      throw new AppError('preflight_failed', issues.map((i) => `${i.ruleId}: ${i.message}`).join(' '), {
        action: 'Fix what the composer points out, then publish again.',
      });
    }
    if (!this.deps.network.isOnline()) {
      throw new AppError('network_unreachable', 'This computer is offline.', {
        action: 'Your draft is saved. Publish again when you are back online.',
      });
    }
    const createdAt = this.deps.clock.now();
    const post = this.deps.compose.outgoing(profileId, draftId, createdAt);
    const accounts = this.deps.compose.targetAccounts(profileId, draftId);

    const results = await Promise.all(
      accounts.map(async (account): Promise<TargetResult> => {
        const adapter = this.deps.adapters[account.platform]!;
        try {
          const published = await adapter.publish(account, { ...post, idempotencyKey: `${draftId}:${account.id}` });
          return { accountId: account.id, status: 'published', ...published, error: null, attemptedAt: this.deps.clock.now() };
        } catch (error) {
          const appError = error instanceof AppError ? error : new AppError('internal', 'Publishing failed unexpectedly.', { cause: error });
          this.deps.log.warn('Target failed', { account: account.id, code: appError.code, message: appError.message });
          if (appError.code === 'platform_auth_failed') {
            this.deps.accounts.setStatus(account.id, 'needs_reauth', appError.message);
            this.deps.onAccountChanged(account.id);
          }
          return { accountId: account.id, status: 'failed', uri: null, cid: null, url: null, error: appError.toBridge(), attemptedAt: this.deps.clock.now() };
        }
      }),
    );

    // The draft goes only when every target published, in the same commit as the results: a
    // crash leaves either the draft and no record, or the record and no draft.
    const allPublished = results.every((r) => r.status === 'published');
    const postId = this.deps.history.record({ profileId, draftId, text: post.text, createdAt, results }, () => {
      if (allPublished) this.deps.drafts.delete(profileId, draftId);
    });
    if (allPublished) this.deps.compose.removeMedia(draftId);
    return this.deps.history.get(profileId, postId)!;
  }
}

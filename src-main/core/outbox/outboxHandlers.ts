// The bridge's `publish.*`, `outbox.*` and `history.*` groups: sending a draft now or later, what
// waits in the outbox and what the user decides about it, and what went out.
import type { HandlersFor } from '../bridge/dispatch';
import type { Clock } from '../ports';
import type { ComposeService } from '../compose/composeService';
import type { Outbox } from './outbox';
import type { PostStore } from './postStore';
import type { UploadProgress } from './uploadProgress';

type OutboxCommands = 'publishNow' | 'schedule' | 'cancel' | 'reschedule' | 'backToDraft' | 'retry' | 'resolveUnknown' | 'decideMissed';

export function createOutboxHandlers(deps: {
  outbox: Pick<Outbox, OutboxCommands>;
  posts: Pick<PostStore, 'list' | 'page' | 'queuePage'>;
  compose: Pick<ComposeService, 'get'>;
  progress: Pick<UploadProgress, 'apply'>;
  clock: Clock;
  activeProfileId(): string;
}): HandlersFor<'publish' | 'outbox' | 'history'> {
  const { outbox, posts, activeProfileId: active } = deps;
  return {
    'publish.now': ({ draftId }) => outbox.publishNow(active(), draftId),
    'publish.schedule': ({ draftId, schedule }) => outbox.schedule(active(), draftId, schedule),
    'history.list': () => posts.list(active()).map((post) => deps.progress.apply(post)),
    'history.page': (filter) => {
      const page = posts.page(active(), filter);
      return { posts: page.posts.map((post) => deps.progress.apply(post)), nextCursor: page.nextCursor };
    },
    'outbox.list': () => posts.list(active(), { openOnly: true }).map((post) => deps.progress.apply(post)),
    'outbox.page': (input) => {
      const page = posts.queuePage(active(), { ...input, now: deps.clock.now() });
      return { ...page, posts: page.posts.map((post) => deps.progress.apply(post)) };
    },
    'outbox.cancel': ({ postId }) => outbox.cancel(active(), postId),
    'outbox.reschedule': ({ postId, schedule }) => outbox.reschedule(active(), postId, schedule),
    'outbox.edit': ({ postId }) => deps.compose.get(active(), outbox.backToDraft(active(), postId)),
    'outbox.retry': ({ postId }) => outbox.retry(active(), postId),
    'outbox.resolveUnknown': ({ postId, accountId, resolution }) => outbox.resolveUnknown(active(), postId, accountId, resolution),
    'outbox.decideMissed': ({ postId, decision }) => outbox.decideMissed(active(), postId, decision),
  };
}

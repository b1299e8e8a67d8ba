// The bridge's `drafts.*` group: the active profile's drafts, their images, video and link card, and the
// preflight that says whether each target would take the post.
import type { HandlersFor } from '../bridge/dispatch';
import type { ComposeService } from './composeService';

type DraftOperations =
  | 'list'
  | 'page'
  | 'create'
  | 'get'
  | 'save'
  | 'delete'
  | 'addImage'
  | 'setImageAlt'
  | 'removeImage'
  | 'reorderImages'
  | 'addVideoFile'
  | 'addVideo'
  | 'setVideoAlt'
  | 'removeVideo'
  | 'videoPosterSource'
  | 'setVideoPoster'
  | 'refreshLinkCard'
  | 'removeLinkCard'
  | 'preflight';

export function createDraftHandlers(deps: { compose: Pick<ComposeService, DraftOperations>; activeProfileId(): string }): HandlersFor<'drafts'> {
  const { compose, activeProfileId: active } = deps;
  return {
    'drafts.list': () => compose.list(active()),
    'drafts.page': (input) => compose.page(active(), input),
    'drafts.create': () => compose.create(active()),
    'drafts.get': ({ id }) => compose.get(active(), id),
    'drafts.save': (input) => ({ updatedAt: compose.save(active(), input) }),
    'drafts.delete': ({ id }) => {
      compose.delete(active(), id);
      return {};
    },
    'drafts.addImage': ({ draftId, bytes }) => compose.addImage(active(), draftId, bytes),
    'drafts.setImageAlt': ({ draftId, imageId, alt }) => {
      compose.setImageAlt(active(), draftId, imageId, alt);
      return {};
    },
    'drafts.removeImage': ({ draftId, imageId }) => {
      compose.removeImage(active(), draftId, imageId);
      return {};
    },
    'drafts.reorderImages': ({ draftId, imageIds }) => {
      compose.reorderImages(active(), draftId, imageIds);
      return {};
    },
    'drafts.addVideo': ({ draftId }) => compose.addVideo(active(), draftId),
    'drafts.addVideoFile': ({ draftId, path }) => compose.addVideoFile(active(), draftId, path),
    'drafts.setVideoAlt': ({ draftId, videoId, alt }) => {
      compose.setVideoAlt(active(), draftId, videoId, alt);
      return {};
    },
    'drafts.removeVideo': ({ draftId, videoId }) => {
      compose.removeVideo(active(), draftId, videoId);
      return {};
    },
    'drafts.videoPosterSource': ({ draftId, videoId }) => compose.videoPosterSource(active(), draftId, videoId),
    'drafts.setVideoPoster': ({ draftId, videoId, jpeg }) => compose.setVideoPoster(active(), draftId, videoId, jpeg),
    'drafts.refreshLinkCard': ({ draftId }) => compose.refreshLinkCard(active(), draftId),
    'drafts.removeLinkCard': async ({ draftId }) => {
      await compose.removeLinkCard(active(), draftId);
      return {};
    },
    'drafts.preflight': ({ id }) => compose.preflight(active(), id),
  };
}

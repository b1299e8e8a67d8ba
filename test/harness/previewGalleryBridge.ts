// The bridge of the preview gallery page (previewGallery.tsx): the one call a preview makes, a
// Pinterest account's cached boards, answered here. Imported first, so the renderer's bridge
// module finds it.
import type { Api } from '../../src-preload/contract';

window.localpost = {
  boards: { list: async () => ({ ok: true, value: { boards: [{ id: 'board-1', name: 'Launch ideas', secret: false }], fetchedAt: 0 } }) },
} as unknown as Api;

// Pending edits are written when the page goes away or out of sight, not only when the autosave
// timer fires: closing the window mid-sentence must not lose the sentence.
import { useAppStore } from './store';

/** The IPC message leaves at once, so the core receives it though the page cannot wait for the answer. */
export function flushDraftsWhenLeaving(): () => void {
  const flush = () => useAppStore.getState().flushBeforeLeaving();
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  window.addEventListener('beforeunload', flush);
  window.addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    window.removeEventListener('beforeunload', flush);
    window.removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

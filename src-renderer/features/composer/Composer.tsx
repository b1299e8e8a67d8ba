// The open draft: text, images or video, link card, language, targets with their counters, Schedule and
// Publish.
// Preflight runs here on every render with the same rules the core runs before publishing, so
// what the user sees and what the core refuses can never disagree. That is every keystroke: the
// parts that do not show the text (images, video, language, schedule, the platforms' sections)
// are memoised and read their own slice of the store, so a keystroke renders only the text, the
// counters, the issues and the preview (bench/typing.ts).
import { useEffect, useMemo, useState } from 'react';
import { api, call } from '../../bridge';
import { runPreflight, type PreflightTarget } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { AddImageButton, ImageAttachments } from './ImageAttachments';
import { LanguageField } from './LanguageField';
import { LinkCardPreview } from './LinkCardPreview';
import { PlatformSections } from './PlatformSections';
import { SplitLongPostsField } from './SplitLongPostsField';
import { DropZone, useMediaDrop } from './mediaDrop';
import { PreflightIssues } from './PreflightIssues';
import { PreviewPanel } from './previews/PreviewPanel';
import { SaveIndicator } from './SaveIndicator';
import { ScheduleControls } from './ScheduleControls';
import { TargetPicker } from './TargetPicker';
import { ThreadEditor } from './ThreadEditor';
import { AddVideoButton, VideoAttachment } from './VideoAttachment';

export function Composer() {
  const composer = useAppStore((s) => s.composer);
  const accounts = useAppStore((s) => s.accounts);
  const requireAltText = useAppStore((s) => s.settings?.requireAltText ?? false);
  const editReply = useAppStore((s) => s.editReply);
  const addReply = useAppStore((s) => s.addReply);
  const removeReply = useAppStore((s) => s.removeReply);
  const publish = useAppStore((s) => s.publish);
  const sending = useAppStore((s) => s.sending);
  const publishError = useAppStore((s) => s.publishError);
  const composerError = useAppStore((s) => s.composerError);
  const saveError = useAppStore((s) => (s.saveState === 'failed' ? s.saveError : null));
  const dismissComposerError = useAppStore((s) => s.dismissComposerError);
  const drop = useMediaDrop();

  // Whether the user's bucket is saved, for platforms that fetch media by address (media.storage_missing);
  // read when the composer opens, as Settings is another screen. Unknown until read: not checked.
  const [mediaStorageSaved, setMediaStorageSaved] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    void call(api.mediaStorage.get({})).then((result) => {
      if (result.ok) setMediaStorageSaved(result.value !== null);
    });
  }, []);

  // Ctrl+N asked for the new draft's text: focused once the draft shows.
  const shown = composer !== null;
  const textRequested = useAppStore((s) => s.focusRequest === 'postText');
  const takeFocusRequest = useAppStore((s) => s.takeFocusRequest);
  useEffect(() => {
    if (shown && textRequested && takeFocusRequest('postText')) document.getElementById('post-text')?.focus();
  }, [shown, textRequested, takeFocusRequest]);

  const issues = useMemo(() => {
    if (!composer) return [];
    const targets: PreflightTarget[] = (accounts ?? [])
      .filter((account) => composer.targetAccountIds.includes(account.id))
      .map((account) => ({
        accountId: account.id,
        handle: account.handle,
        platform: account.platform,
        status: account.status,
        limits: account.limits,
        spendingCap: account.spendingCap,
      }));
    return runPreflight({
      text: composer.text,
      replies: composer.replies,
      variants: composer.variants,
      splitLongPosts: composer.splitLongPosts,
      contentWarning: composer.contentWarning,
      images: composer.images,
      video: composer.video,
      hasLinkCard: composer.linkCard !== null,
      platformOptions: composer.platformOptions,
      targets,
      requireAltText,
      ...(mediaStorageSaved !== undefined ? { mediaStorageSaved } : {}),
    });
  }, [accounts, composer, requireAltText, mediaStorageSaved]);

  if (!composer) return null;

  return (
    <section className="card composer" aria-labelledby="composer-title" data-dragging={drop.dragging} {...drop.handlers}>
      {drop.dragging && <DropZone />}
      <header className="composer-header">
        <h1 id="composer-title" className="composer-title">
          Write a post
        </h1>
        <SaveIndicator />
      </header>

      <ThreadEditor
        id="post-text"
        name="Post text"
        value={{ text: composer.text, replies: composer.replies }}
        placeholder="What would you like to share?"
        autoFocus
        onChangePost={editReply}
        onAddPost={addReply}
        onRemovePost={removeReply}
      />
      <SplitLongPostsField />

      <ImageAttachments requireAltText={requireAltText} />
      <VideoAttachment requireAltText={requireAltText} />
      {composer.images.length === 0 && !composer.video && <LinkCardPreview />}

      <div className="composer-toolbar">
        <div className="composer-attach">
          <AddImageButton />
          <AddVideoButton />
        </div>
        <LanguageField />
      </div>

      <TargetPicker issues={issues} />
      {/* The preview next to where the text and the targets are chosen, where it can be seen while
          typing; each platform's own options follow. */}
      <PreviewPanel />
      <PlatformSections />
      <PreflightIssues issues={issues} />

      {saveError && <ErrorAlert error={saveError} />}
      {composerError && <ErrorAlert error={composerError} onDismiss={dismissComposerError} />}
      {publishError && <ErrorAlert error={publishError} />}

      <footer className="composer-footer">
        <ScheduleControls blocked={issues.length > 0} />
        <div className="publish-controls">
          {sending && (
            <span className="muted" role="status">
              {sending === 'publish' ? 'Publishing…' : 'Scheduling…'}
            </span>
          )}
          <button
            type="button"
            data-shortcut="publish"
            className="button button-primary button-large"
            disabled={issues.length > 0 || sending !== null}
            aria-busy={sending === 'publish'}
            onClick={() => void publish()}
          >
            Publish
          </button>
        </div>
      </footer>
    </section>
  );
}

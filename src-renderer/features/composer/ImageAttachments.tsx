// Up to ten images, each with its preview and alt text. The file is read here only to hand its
// bytes to the core, which resizes it to Bluesky's limits and keeps the copy the draft owns.
// Their order is the post's: a tile is dragged to another place, or moved with its Move earlier
// and Move later buttons from the keyboard; the focus stays on the moved image and a status says
// where it went.
import { memo, useEffect, useRef, useState, type DragEvent } from 'react';
import { useAppStore } from '../../state/store';
import { maxImagesPerDraft } from '../../../src-shared/platforms';
import { CloseIcon, ImageIcon } from '../../ui/icons';

export const AddImageButton = memo(function AddImageButton() {
  const imageCount = useAppStore((s) => s.composer?.images.length ?? 0);
  const adding = useAppStore((s) => s.addingImages);
  const addImages = useAppStore((s) => s.addImages);
  const full = imageCount >= maxImagesPerDraft;

  return (
    <div className="add-image" data-disabled={full || adding}>
      <input
        id="add-image"
        type="file"
        accept="image/*"
        multiple
        className="visually-hidden file-input"
        disabled={full || adding}
        aria-describedby="add-image-count"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared so choosing the same file again still fires a change.
          event.target.value = '';
          if (files.length > 0) void addImages(files);
        }}
      />
      <label htmlFor="add-image" className="button button-small file-button">
        <ImageIcon />
        Add image
      </label>
      <span id="add-image-count" className="muted add-image-count">
        {adding ? 'Adding…' : `${imageCount} / ${maxImagesPerDraft}`}
      </span>
    </div>
  );
});

/** The drag's own type, so a tile dragged within the strip is never taken for a dropped file. */
const imageDragType = 'application/x-localpost-image';

export const ImageAttachments = memo(function ImageAttachments({ requireAltText }: { requireAltText: boolean }) {
  const images = useAppStore((s) => s.composer?.images);
  const editImageAlt = useAppStore((s) => s.editImageAlt);
  const removeImage = useAppStore((s) => s.removeImage);
  const moveImage = useAppStore((s) => s.moveImage);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [moved, setMoved] = useState<{ imageId: string; said: string; button: 'earlier' | 'later' | null } | null>(null);
  const grid = useRef<HTMLUListElement>(null);

  // A moved tile's node is moved in the page, which drops its focus: it goes back to the button
  // pressed (or to the other one, at either end), so Move can be pressed again at once.
  useEffect(() => {
    if (!moved?.button) return;
    const tile = grid.current?.querySelector<HTMLElement>(`[data-image-id="${moved.imageId}"]`);
    const pressed = tile?.querySelector<HTMLButtonElement>(`[data-move="${moved.button}"]`);
    const other = tile?.querySelector<HTMLButtonElement>(`[data-move="${moved.button === 'earlier' ? 'later' : 'earlier'}"]`);
    (pressed && !pressed.disabled ? pressed : other)?.focus();
  }, [moved]);

  if (!images || images.length === 0) return null;

  const move = (imageId: string, to: number, button: 'earlier' | 'later' | null) => {
    const target = Math.max(0, Math.min(to, images.length - 1));
    setMoved({ imageId, said: `Image moved to place ${target + 1} of ${images.length}.`, button });
    void moveImage(imageId, target);
  };

  const dragOver = (event: DragEvent, imageId: string) => {
    if (!event.dataTransfer.types.includes(imageDragType)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    setDropTarget(imageId);
  };

  const drop = (event: DragEvent, index: number) => {
    const imageId = event.dataTransfer.getData(imageDragType);
    setDropTarget(null);
    if (!imageId) return;
    event.preventDefault();
    // Not also a file drop on the composer around the strip.
    event.stopPropagation();
    move(imageId, index, null);
  };

  return (
    <>
      <ul ref={grid} className="image-grid" data-count={images.length} aria-label="Images, in the order they are posted">
        {images.map((image, index) => {
          const number = index + 1;
          const altId = `image-${image.id}-alt`;
          const missingAlt = requireAltText && image.alt.trim() === '';
          return (
            <li
              key={image.id}
              className="image-tile"
              data-image-id={image.id}
              data-drop-target={dropTarget === image.id}
              onDragOver={(event) => dragOver(event, image.id)}
              onDragLeave={() => setDropTarget((current) => (current === image.id ? null : current))}
              onDrop={(event) => drop(event, index)}
            >
              <div
                className="image-frame"
                draggable
                title="Drag to move"
                onDragStart={(event) => {
                  event.dataTransfer.setData(imageDragType, image.id);
                  event.dataTransfer.effectAllowed = 'move';
                }}
                onDragEnd={() => setDropTarget(null)}
              >
                <img src={image.previewDataUrl} alt={image.alt || `Image ${number}`} className="image-preview" draggable={false} />
                <span className="image-number" aria-hidden="true">
                  {number}
                </span>
                <button
                  type="button"
                  className="icon-button image-remove"
                  aria-label={`Remove image ${number}`}
                  title="Remove image"
                  onClick={() => void removeImage(image.id)}
                >
                  <CloseIcon />
                </button>
              </div>
              {images.length > 1 && (
                <div className="image-move" role="group" aria-label={`Order of image ${number}`}>
                  <button
                    type="button"
                    className="button button-small button-ghost"
                    data-move="earlier"
                    aria-label={`Move image ${number} earlier`}
                    disabled={index === 0}
                    onClick={() => move(image.id, index - 1, 'earlier')}
                  >
                    <span aria-hidden="true">←</span> Earlier
                  </button>
                  <button
                    type="button"
                    className="button button-small button-ghost"
                    data-move="later"
                    aria-label={`Move image ${number} later`}
                    disabled={index === images.length - 1}
                    onClick={() => move(image.id, index + 1, 'later')}
                  >
                    Later <span aria-hidden="true">→</span>
                  </button>
                </div>
              )}
              <label htmlFor={altId} className="field-label">
                Alt text for image {number}
              </label>
              <textarea
                id={altId}
                className="input alt-text"
                rows={2}
                value={image.alt}
                maxLength={2000}
                placeholder="Describe it for people who can't see it"
                aria-invalid={missingAlt}
                onChange={(e) => editImageAlt(image.id, e.target.value)}
              />
            </li>
          );
        })}
      </ul>
      <p className="visually-hidden" role="status">
        {moved?.said ?? ''}
      </p>
    </>
  );
});

// Images and a video dropped on the composer, and images pasted into it. While files are dragged
// over the composer a drop zone covers it and says what it takes; a drop goes to the store, which
// tells each file by its first bytes (an image's bytes go to the core, a video's place on disk
// only). A paste that carries text stays a text paste: a word processor puts a picture of the
// copied text on the clipboard beside the text itself.
import { useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useAppStore } from '../../state/store';
import { ImageIcon } from '../../ui/icons';

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

/** The handlers the composer's section takes, and whether files are over it now. */
export function useMediaDrop() {
  const addDroppedFiles = useAppStore((s) => s.addDroppedFiles);
  const [dragging, setDragging] = useState(false);
  // dragenter and dragleave fire for every child crossed; the zone is up while any is entered.
  const depth = useRef(0);

  const handlers = {
    onDragEnter(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver(event: DragEvent) {
      if (!carriesFiles(event)) return;
      // Without this the browser takes the drop itself (and Electron would open the file).
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave(event: DragEvent) {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      const files = [...event.dataTransfer.files];
      if (files.length > 0) void addDroppedFiles(files);
    },
    onPaste(event: ClipboardEvent) {
      const data = event.clipboardData;
      if (data.types.includes('text/plain')) return;
      const files = [...data.files];
      if (files.length === 0) return;
      event.preventDefault();
      void addDroppedFiles(files);
    },
  };
  return { dragging, handlers };
}

export function DropZone() {
  return (
    <div className="drop-zone" aria-hidden="true">
      <ImageIcon />
      <p className="drop-zone-title">Drop to attach</p>
      <p className="drop-zone-hint">Images (JPEG, PNG, WebP, GIF, AVIF) or one video (MP4, MOV, WebM)</p>
    </div>
  );
}

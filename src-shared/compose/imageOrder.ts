// A draft's images in a new order: the composer moves one (dragged, or Move left/right), and the
// core takes the whole order only when it names each of the draft's images exactly once, so a
// stale or doctored list can neither drop an image nor show one twice.
//
// Runtime: std (no DOM, no Node).

/** The list with the item at `from` moved to `to` (both clamped to the list); the same list when nothing moves. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const last = items.length - 1;
  const source = Math.max(0, Math.min(from, last));
  const target = Math.max(0, Math.min(to, last));
  if (source === target || items.length === 0) return [...items];
  const moved = [...items];
  const [item] = moved.splice(source, 1);
  moved.splice(target, 0, item as T);
  return moved;
}

/** Whether `proposed` is an order of exactly the images in `current`: each once, none added or missing. */
export function isReorderOf(current: readonly string[], proposed: readonly string[]): boolean {
  if (current.length !== proposed.length) return false;
  const remaining = new Set(current);
  for (const id of proposed) {
    if (!remaining.delete(id)) return false;
  }
  return remaining.size === 0;
}

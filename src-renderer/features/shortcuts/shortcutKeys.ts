// Which keyboard shortcut a key press is, if any: pure, so the rules are tested without a page.
//
// The modifier is the platform's own: Cmd on macOS, Ctrl elsewhere (Apple's Human Interface
// Guidelines, "Keyboards"; Windows' and GNOME's guidelines use Ctrl). A press with Alt as well is
// never a Mod shortcut: Windows reports AltGr, which types characters on many layouts, as
// Ctrl+Alt. The Mod shortcuts work while typing, as an editor's own shortcuts do (Ctrl+Enter
// sends from the text box); a plain key (`?`, `/`) is a character while the focus is in a text
// field, so it is a shortcut only outside one.

export type ShortcutAction =
  | { id: 'publish' }
  | { id: 'schedule' }
  | { id: 'newDraft' }
  /** The sidebar's section at this place, from 1 (Mod+1 is the first). */
  | { id: 'showView'; position: number }
  | { id: 'focusSearch' }
  | { id: 'help' };

/** The parts of a KeyboardEvent the matching reads. */
export interface KeyPress {
  key: string;
  /** The physical key (`Digit1`), for layouts where the digit needs Shift (AZERTY). */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
}

export interface ShortcutContext {
  mac: boolean;
  /** The focus is in a field that takes text (input, textarea, select, contenteditable). */
  typing: boolean;
}

export function matchShortcut(press: KeyPress, context: ShortcutContext): ShortcutAction | null {
  // A held key repeats: publishing or opening a draft once is what was meant.
  if (press.repeat) return null;
  const mod = context.mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
  if (mod && !press.altKey) {
    if (press.key === 'Enter') return press.shiftKey ? { id: 'schedule' } : { id: 'publish' };
    if (press.shiftKey) return null;
    const key = press.key.toLowerCase();
    if (key === 'n' || press.code === 'KeyN') return { id: 'newDraft' };
    if (key === 'f' || press.code === 'KeyF') return { id: 'focusSearch' };
    if (press.key === '/' || press.code === 'Slash') return { id: 'help' };
    const digit = /^Digit([1-9])$/.exec(press.code)?.[1] ?? (/^[1-9]$/.test(press.key) ? press.key : undefined);
    return digit === undefined ? null : { id: 'showView', position: Number(digit) };
  }
  if (context.typing || press.ctrlKey || press.metaKey || press.altKey) return null;
  if (press.key === '?') return { id: 'help' };
  if (press.key === '/') return { id: 'focusSearch' };
  return null;
}

/** Whether a focused element takes typed text, so a plain key is a character there, not a shortcut. */
export function takesText(element: { tagName: string; isContentEditable?: boolean; type?: string } | null): boolean {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  // A checkbox, radio or button takes no text: `?` there still opens the help.
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color', 'image'].includes((element.type ?? 'text').toLowerCase());
}

/** The help sheet's list: what each shortcut does and its keys, as this platform writes them;
 *  `sections` are the sidebar's, in its order. */
export function shortcutList(mac: boolean, sections: readonly string[]): Array<{ action: string; keys: string[][] }> {
  const mod = mac ? '⌘' : 'Ctrl';
  const shift = mac ? '⇧' : 'Shift';
  return [
    { action: 'Publish the post', keys: [[mod, 'Enter']] },
    { action: 'Schedule the post (or go to its date and time)', keys: [[mod, shift, 'Enter']] },
    { action: 'Start a new draft', keys: [[mod, 'N']] },
    ...sections.slice(0, 9).map((section, index) => ({ action: `Go to ${section}`, keys: [[mod, String(index + 1)]] })),
    { action: 'Search History', keys: [[mod, 'F'], ['/']] },
    { action: 'Show these shortcuts', keys: [[mod, '/'], ['?']] },
  ];
}

/** macOS, from the browser's own report (navigator.userAgentData where it has it, else the user agent). */
export function isMacPlatform(platform: string): boolean {
  return /mac/i.test(platform);
}

// The app's keyboard shortcuts (shortcutKeys.ts says which key does what) and their help sheet.
// A shortcut does what the control it stands for does, through that control where there is one
// (Publish, Schedule), so a shortcut can never publish what the button would refuse.
//
// The help sheet is a modal <dialog>: the rest of the page is inert, Tab goes round within it,
// Escape closes it, and its heading names it (WAI-ARIA APG, "Dialog (Modal)"); the focus goes
// back to where it was when it closes.
import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../state/store';
import { sections } from '../navigation/Sidebar';
import { isMacPlatform, matchShortcut, shortcutList, takesText, type ShortcutAction } from './shortcutKeys';

const onMac = (): boolean => {
  const withHints = navigator as Navigator & { userAgentData?: { platform?: string } };
  return isMacPlatform(withHints.userAgentData?.platform || navigator.platform || navigator.userAgent);
};

export function KeyboardShortcuts() {
  const helpOpen = useAppStore((s) => s.helpOpen);
  const setHelpOpen = useAppStore((s) => s.setHelpOpen);
  // Why a shortcut did nothing, said politely rather than leaving a keyboard user guessing.
  const [said, setSaid] = useState('');

  useEffect(() => {
    const mac = onMac();
    const say = (text: string) => setSaid((current) => (current === text ? `${text}\u00a0` : text));
    const run = (action: ShortcutAction) => {
      const state = useAppStore.getState();
      switch (action.id) {
        case 'help':
          state.setHelpOpen(!state.helpOpen);
          return;
        case 'publish':
        case 'schedule': {
          const verb = action.id === 'publish' ? 'Publish' : 'Schedule';
          if (state.view !== 'compose') return say(`${verb} works on the Compose screen.`);
          const button = document.querySelector<HTMLButtonElement>(`[data-shortcut="${action.id}"]`);
          if (button && !button.disabled) return button.click();
          if (state.sending) return say(state.sending === 'publish' ? 'Already publishing.' : 'Already scheduling.');
          // Publish is off only for what preflight lists (or a send under way, said above).
          const blocked = document.querySelector<HTMLButtonElement>('[data-shortcut="publish"]')?.disabled ?? true;
          // Schedule needs a time first: the shortcut takes the user to it.
          if (action.id === 'schedule' && !blocked) {
            document.querySelector<HTMLElement>('#schedule-local')?.focus();
            return say('Choose a date and time, then press the shortcut again.');
          }
          return say(`${verb} is not possible yet: see what the composer lists before you can publish.`);
        }
        case 'newDraft':
          state.showView('compose');
          // Into its text, unless the user went to another screen meanwhile.
          void state.createDraft().then(() => useAppStore.getState().view === 'compose' && state.requestFocus('postText'));
          return;
        case 'showView': {
          const section = sections[action.position - 1];
          if (section) state.showView(section.view);
          return;
        }
        case 'focusSearch':
          state.showView('history');
          state.requestFocus('historySearch');
          return;
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = matchShortcut(event, { mac, typing: takesText(document.activeElement as HTMLInputElement | null) });
      if (!action) return;
      // While the help sheet is up, the page behind it is inert: only the help keys (to close it) act.
      if (useAppStore.getState().helpOpen && action.id !== 'help') return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <>
      <HelpSheet open={helpOpen} onClose={() => setHelpOpen(false)} />
      <p className="visually-hidden" aria-live="polite" data-announcer="shortcut">
        {said}
      </p>
    </>
  );
}

function HelpSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const mac = useRef(onMac()).current;

  useEffect(() => {
    const sheet = dialog.current;
    if (!sheet) return;
    if (open && !sheet.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      sheet.showModal();
    } else if (!open && sheet.open) {
      sheet.close();
    }
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="help-sheet"
      aria-labelledby="help-sheet-title"
      // A modal dialog makes the page behind it inert, but Tab past its last control still leaves
      // for the browser's own controls: it goes round within the sheet instead.
      onKeyDown={(event) => {
        if (event.key !== 'Tab') return;
        const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])') ?? [])];
        const first = focusable[0];
        const last = focusable.at(-1);
        if (!first || !last) return;
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }}
      // Escape: the store knows at once; the dialog's close event comes a task later, and a
      // shortcut pressed meanwhile must not be taken for one pressed with the sheet up.
      onCancel={onClose}
      // However it closed, the focus goes back.
      onClose={() => {
        onClose();
        const back = returnFocus.current;
        returnFocus.current = null;
        if (back?.isConnected) back.focus();
      }}
    >
      {open && (
        <>
          <header className="help-sheet-header">
            <h2 id="help-sheet-title" className="help-sheet-title">
              Keyboard shortcuts
            </h2>
            <button type="button" className="button button-small" onClick={onClose}>
              Close
            </button>
          </header>
          <div className="help-sheet-body">
            <p className="help-sheet-note">The {mac ? '⌘' : 'Ctrl'} shortcuts work while you type; ? and / work outside text fields.</p>
            <table className="shortcut-table">
              <caption className="visually-hidden">Shortcuts and their keys</caption>
              <thead className="visually-hidden">
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Keys</th>
                </tr>
              </thead>
              <tbody>
                {shortcutList(
                  mac,
                  sections.map((section) => section.label),
                ).map((line) => (
                  <tr key={line.action}>
                    <th scope="row">{line.action}</th>
                    <td>
                      {line.keys.map((combo, index) => (
                        <span key={combo.join('+')}>
                          {index > 0 && <span className="shortcut-or">or</span>}
                          <kbd className="shortcut-combo">
                            {combo.map((key, keyIndex) => (
                              <span key={key}>
                                {keyIndex > 0 && '+'}
                                <kbd>{key}</kbd>
                              </span>
                            ))}
                          </kbd>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </dialog>
  );
}

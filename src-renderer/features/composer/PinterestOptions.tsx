// What only Pinterest has, shown once a Pinterest account is chosen (its `PostOptions` in the
// platform registry): the board each Pinterest account pins to, the pin's title and the link it
// leads to. Boards come from Pinterest and Localpost keeps the list, so it shows at once and
// offline; Refresh asks Pinterest again, and a new board can be made without leaving the composer.
// All three are kept with the draft and checked by preflight (pinterest.board, .title_length, .link).
import { useEffect, useState, type FormEvent } from 'react';
import { emptyPinFields, countPinTitle, pinTitleLimit } from '../../../src-shared/pins';
import { api, call, type Account, type Board, type BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

/** `accounts`: the Pinterest accounts the post goes to. */
export function PinterestOptions({ accounts: pinners }: { accounts: Account[] }) {
  const pin = useAppStore((s) => s.composer?.platformOptions.pinterest ?? emptyPinFields);
  const editPin = useAppStore((s) => s.editPin);
  const titleLength = countPinTitle(pin.title);

  return (
    <fieldset className="platform-options">
      <legend className="section-label">On Pinterest</legend>
      <div className="pin-fields">
        {pinners.map((account) => (
          <BoardPicker
            key={account.id}
            account={account}
            label={pinners.length === 1 ? 'Board' : `Board for ${account.displayName ?? account.handle}`}
            chosen={pin.boards[account.id] ?? ''}
            onChoose={(boardId) => {
              // Read at the moment of the choice: two pickers loading at once must not undo each other.
              const boards = useAppStore.getState().composer?.platformOptions.pinterest?.boards ?? {};
              editPin({ boards: { ...boards, [account.id]: boardId } });
            }}
          />
        ))}
        <div className="field">
          <div className="field-label-row">
            <label htmlFor="pin-title" className="field-label">
              Title
            </label>
            <span className="counter" data-over={titleLength > pinTitleLimit}>
              {titleLength} / {pinTitleLimit}
            </span>
          </div>
          <input
            id="pin-title"
            className="input"
            type="text"
            value={pin.title}
            placeholder="Optional: shown above the description"
            onChange={(e) => editPin({ title: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="pin-link" className="field-label">
            Link
          </label>
          <input
            id="pin-link"
            className="input"
            type="url"
            inputMode="url"
            value={pin.link}
            placeholder="Optional: https://…"
            aria-describedby="pin-link-hint"
            onChange={(e) => editPin({ link: e.target.value })}
          />
          <p id="pin-link-hint" className="field-hint">
            Where the pin leads when someone opens it. The post’s text becomes its description.
          </p>
        </div>
      </div>
    </fieldset>
  );
}

interface BoardPickerProps {
  account: Account;
  label: string;
  chosen: string;
  onChoose(boardId: string): void;
}

/** One account's board: chosen from its list (the first one until the user picks another), refreshed, or made new. */
function BoardPicker({ account, label, chosen, onChoose }: BoardPickerProps) {
  const [boards, setBoards] = useState<Board[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const selectId = `pin-board-${account.id}`;

  const load = async (refresh: boolean) => {
    setLoading(true);
    const result = await call(api.boards.list({ accountId: account.id, refresh }));
    setLoading(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setBoards(result.value.boards);
  };

  useEffect(() => {
    // Once per account: the list is the core's to keep, Refresh is the user's to ask for.
    void load(false);
  }, [account.id]);

  // A pin needs a board: until the user picks one, the account's first.
  const firstBoard = boards?.[0]?.id;
  useEffect(() => {
    if (!chosen && firstBoard) onChoose(firstBoard);
  }, [chosen, firstBoard, onChoose]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setLoading(true);
    const result = await call(api.boards.create({ accountId: account.id, name: newName }));
    setLoading(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setBoards((known) => [...(known ?? []), result.value]);
    onChoose(result.value.id);
    setCreating(false);
    setNewName('');
  };

  const chosenIsKnown = boards?.some((board) => board.id === chosen) ?? true;
  return (
    <div className="field board-picker">
      <label htmlFor={selectId} className="field-label">
        {label}
      </label>
      <div className="board-picker-row">
        <select
          id={selectId}
          className="select"
          value={chosen}
          disabled={boards === null || boards.length === 0}
          aria-busy={loading}
          onChange={(e) => onChoose(e.target.value)}
        >
          {boards === null && <option value="">{loading ? 'Loading boards…' : 'Boards not loaded'}</option>}
          {boards?.length === 0 && <option value="">No boards yet</option>}
          {!chosenIsKnown && chosen && <option value={chosen}>A board no longer listed</option>}
          {boards?.map((board) => (
            <option key={board.id} value={board.id}>
              {board.secret ? `${board.name} (secret)` : board.name}
            </option>
          ))}
        </select>
        <button type="button" className="button button-small" disabled={loading} onClick={() => void load(true)}>
          Refresh
        </button>
        <button type="button" className="button button-small" disabled={loading} aria-expanded={creating} onClick={() => setCreating((open) => !open)}>
          New board
        </button>
      </div>
      {!chosenIsKnown && chosen && (
        <p className="field-hint">The chosen board is not in the list Pinterest gave: choose another.</p>
      )}
      {creating && (
        <form className="board-create" onSubmit={(e) => void create(e)}>
          <label htmlFor={`${selectId}-new`} className="visually-hidden">
            New board’s name
          </label>
          <input
            id={`${selectId}-new`}
            className="input"
            type="text"
            value={newName}
            maxLength={180}
            placeholder="New board’s name"
            autoFocus
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit" className="button button-small button-primary" disabled={loading || newName.trim() === ''}>
            Create board
          </button>
          <button type="button" className="button button-small button-ghost" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </form>
      )}
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}

// Settings → AI assistants: how to connect Claude Desktop, Cursor or VS Code to Localpost (each
// client's own configuration, to copy, or written into its file only when the user clicks "Add
// to …"), each assistant that has called with the user's switch, and every call made, for the
// audit. There is deliberately no switch to skip approval: what an assistant asks to publish
// always waits in Approvals.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { api, call, type AiClient, type AiRequest, type BridgeError, type McpClientSetup } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/formatTime';
import { copyHint, useCopy } from '../../ui/useCopy';

/** The latest calls shown at first; the core keeps more, shown on request. */
const shownCalls = 25;

export function AiAssistantsSettings() {
  const [setup, setSetup] = useState<McpClientSetup | null>(null);
  const [clients, setClients] = useState<AiClient[] | null>(null);
  const [requests, setRequests] = useState<AiRequest[]>([]);
  const [error, setError] = useState<BridgeError | null>(null);
  const [allCalls, setAllCalls] = useState(false);
  // An assistant's name is whatever its client says: never part of an id.
  const ids = useId();

  const loadClients = useCallback(async () => {
    const result = await call(api.aiClients.list({}));
    if (!result.ok) return setError(result.error);
    setClients(result.value.clients);
    setRequests(result.value.requests);
  }, []);

  useEffect(() => {
    void call(api.aiClients.setup({})).then((result) => (result.ok ? setSetup(result.value) : setError(result.error)));
    void loadClients();
  }, [loadClients]);

  const setEnabled = async (name: string, enabled: boolean) => {
    const result = await call(api.aiClients.setEnabled({ name, enabled }));
    if (!result.ok) return setError(result.error);
    setClients((list) => list && list.map((client) => (client.name === name ? result.value : client)));
  };

  return (
    <section className="card panel" aria-labelledby="ai-assistants-title">
      <h2 id="ai-assistants-title" className="panel-title" tabIndex={-1}>
        AI assistants
      </h2>
      <p className="muted">
        An assistant connected here can read your accounts and drafts, write drafts, and ask to publish or schedule one. What it asks always waits in Approvals
        until you approve it; it can never publish by itself.
      </p>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}

      {setup && (
        <div className="stack ai-setup">
          <h3 className="subsection-title">Connect an assistant</h3>
          <p className="field-hint">
            Each client starts <code>{[setup.command, ...setup.args].join(' ')}</code> itself. Copy its configuration into the file named, or let Localpost add it
            there; then restart the client.
          </p>
          {setup.clients.map((client) => (
            <McpClientConfig key={client.id} client={client} />
          ))}
        </div>
      )}

      <div className="stack">
        <h3 className="subsection-title">Assistants that have called</h3>
        {clients?.length === 0 && <p className="muted">None yet.</p>}
        {clients && clients.length > 0 && (
          <ul className="ai-clients" aria-label="Assistants">
            {clients.map((client, index) => (
              <li key={client.name} className="check-field ai-client">
                <input
                  id={`${ids}-client-${index}`}
                  type="checkbox"
                  role="switch"
                  className="checkbox"
                  checked={client.enabled}
                  aria-describedby={`${ids}-client-${index}-hint`}
                  onChange={(e) => void setEnabled(client.name, e.target.checked)}
                />
                <div>
                  <label htmlFor={`${ids}-client-${index}`} className="check-label">
                    {client.name}
                  </label>
                  <p id={`${ids}-client-${index}-hint`} className="field-hint">
                    {client.enabled ? 'May use Localpost' : 'Turned off: its calls are refused'} · last seen {formatDateTime(client.lastSeenAt)}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>

      {requests.length > 0 && (
        <div className="stack">
          <h3 className="subsection-title">Their calls</h3>
          <table className="ai-requests">
            <caption className="visually-hidden">Calls made by assistants, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Assistant</th>
                <th scope="col">Call</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {(allCalls ? requests : requests.slice(0, shownCalls)).map((request, index) => (
                <tr key={index}>
                  <td>{formatDateTime(request.at)}</td>
                  <td>{request.clientName}</td>
                  <td>
                    <code>{request.method}</code>
                  </td>
                  <td data-outcome={request.outcome === 'ok' ? 'ok' : 'refused'}>{request.outcome}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!allCalls && requests.length > shownCalls && (
            <button type="button" className="button button-small" onClick={() => setAllCalls(true)}>
              Show all {requests.length} calls
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function McpClientConfig({ client }: { client: McpClientSetup['clients'][number] }) {
  const block = useRef<HTMLPreElement>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);

  const { outcome: copied, copy } = useCopy(client.config, () => {
    const selection = window.getSelection();
    if (block.current && selection) selection.selectAllChildren(block.current);
  });

  const add = async () => {
    setAdding(true);
    const result = await call(api.aiClients.writeConfig({ client: client.id }));
    setAdding(false);
    if (result.ok) {
      setAdded(result.value.configPath);
      setError(null);
    } else {
      setError(result.error);
      setAdded(null);
    }
  };

  const titleId = `mcp-${client.id}-title`;
  return (
    <div className="mcp-client" role="group" aria-labelledby={titleId}>
      <div className="mcp-client-header">
        <h4 id={titleId} className="mcp-client-name">
          {client.name}
        </h4>
        <div className="mcp-client-actions">
          <button type="button" className="button button-small" onClick={() => void copy()}>
            Copy
          </button>
          <button type="button" className="button button-small" disabled={adding} aria-busy={adding} onClick={() => void add()}>
            Add to {client.name}
          </button>
        </div>
      </div>
      <p className="field-hint">
        In <code className="path">{client.configPath}</code>
      </p>
      <pre ref={block} className="mcp-config" aria-label={`${client.name} configuration`}>
        {client.config}
      </pre>
      <p className="field-hint" aria-live="polite">
        {copyHint(copied)}
      </p>
      {added && (
        <p className="notice notice-success" role="status">
          Added to {added}. Restart {client.name} to use it.
        </p>
      )}
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </div>
  );
}

// A link that opens in the system browser. The window itself never navigates (Electron security
// checklist 13), so the click is turned into a bridge call and the core decides what may open.
import { useState, type ReactNode } from 'react';
import { api, call, type BridgeError } from '../bridge';
import { ErrorAlert } from './ErrorAlert';

export function ExternalLink({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  const [error, setError] = useState<BridgeError | null>(null);
  const open = async () => {
    const result = await call(api.links.openExternal({ url: href }));
    setError(result.ok ? null : result.error);
  };
  return (
    <>
      <a
        href={href}
        className={className ?? 'link'}
        rel="noreferrer"
        onClick={(event) => {
          event.preventDefault();
          void open();
        }}
      >
        {children}
      </a>
      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </>
  );
}

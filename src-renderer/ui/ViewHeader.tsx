import type { ReactNode } from 'react';

export function ViewHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h1 className="view-title">{title}</h1>
        {description && <p className="view-description">{description}</p>}
      </div>
      {actions && <div className="view-actions">{actions}</div>}
    </header>
  );
}

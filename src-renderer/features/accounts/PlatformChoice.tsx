import type { Platform } from '../../bridge';
import { connectablePlatforms, PlatformLogo } from './platforms';

export function PlatformChoice({ onChoose, onCancel }: { onChoose(platform: Platform): void; onCancel(): void }) {
  return (
    <section className="card panel" aria-labelledby="platform-choice-title">
      <h2 id="platform-choice-title" className="panel-title">
        Where do you post?
      </h2>
      <p className="muted">Choose the platform of the account you want to add.</p>
      <ul className="platform-list">
        {connectablePlatforms.map((platform) => (
          <li key={platform.id}>
            {/* Named by the platform alone; the description is read as the button's description. */}
            <button
              type="button"
              className="platform-option"
              aria-label={platform.name}
              aria-describedby={`platform-${platform.id}-about`}
              onClick={() => onChoose(platform.id)}
            >
              <PlatformLogo platform={platform.id} />
              <span className="platform-text">
                <span className="platform-name">{platform.name}</span>
                <span id={`platform-${platform.id}-about`} className="platform-about">
                  {platform.description}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

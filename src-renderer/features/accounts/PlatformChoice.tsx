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
          <li key={platform.id} className="platform-option">
            <PlatformLogo platform={platform.id} />
            {/* The button holds the platform's name only, so the visible label and the spoken name
                agree (WCAG 2.5.3 Label in Name); the description is read as its description, and
                the button's ::after spreads its click over the whole tile. */}
            <span className="platform-text">
              <button
                type="button"
                className="platform-name"
                aria-describedby={`platform-${platform.id}-about`}
                onClick={() => onChoose(platform.id)}
              >
                {platform.name}
              </button>
              <span id={`platform-${platform.id}-about`} className="platform-about">
                {platform.description}
              </span>
            </span>
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

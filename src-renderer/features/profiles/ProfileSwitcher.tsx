// Switch, create and rename profiles. A profile is a separate world (its own accounts, drafts
// and history), so switching is a select rather than something buried in settings.
import { useState } from 'react';
import type { BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ProfileNameForm } from './ProfileNameForm';

type Editing = 'none' | 'create' | 'rename';

export function ProfileSwitcher() {
  const profiles = useAppStore((s) => s.profiles);
  const activeId = useAppStore((s) => s.activeProfileId);
  const profilesError = useAppStore((s) => s.profilesError);
  const switchProfile = useAppStore((s) => s.switchProfile);
  const createProfile = useAppStore((s) => s.createProfile);
  const renameProfile = useAppStore((s) => s.renameProfile);
  const [editing, setEditing] = useState<Editing>('none');
  const [error, setError] = useState<BridgeError | null>(null);
  const active = profiles.find((p) => p.id === activeId);

  const onSwitch = async (id: string) => {
    setEditing('none');
    setError(await switchProfile(id));
  };

  return (
    <div className="profile-switcher">
      <label className="field-label" htmlFor="profile-select">
        Profile
      </label>
      <select id="profile-select" className="select" value={activeId ?? ''} onChange={(e) => void onSwitch(e.target.value)}>
        {profiles.map((profile) => (
          <option key={profile.id} value={profile.id}>
            {profile.name}
          </option>
        ))}
      </select>
      {editing === 'none' && (
        <div className="profile-actions">
          <button type="button" className="button button-ghost button-small" onClick={() => setEditing('create')}>
            New profile
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            disabled={!active}
            onClick={() => setEditing('rename')}
          >
            Rename
          </button>
        </div>
      )}
      {editing === 'create' && (
        <ProfileNameForm initialName="" submitLabel="Create profile" onSubmit={createProfile} onDone={() => setEditing('none')} />
      )}
      {editing === 'rename' && active && (
        <ProfileNameForm
          initialName={active.name}
          submitLabel="Save name"
          onSubmit={(name) => renameProfile(active.id, name)}
          onDone={() => setEditing('none')}
        />
      )}
      {(error ?? profilesError) && <ErrorAlert error={(error ?? profilesError)!} onDismiss={() => setError(null)} />}
    </div>
  );
}

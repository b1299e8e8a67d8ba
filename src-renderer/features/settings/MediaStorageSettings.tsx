// Settings → Media storage: the user's own S3-compatible bucket, where a file waits for a platform
// that fetches media from an address. The secret access key is typed once and never shown back (the
// core only says whether one is saved); "Test this bucket" writes, reads back and deletes a small
// object and shows each step. Its buttons name the bucket: the developer app's form above has its
// own Save on the same page.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, call, type BridgeError, type MediaStorage, type MediaStorageInput, type MediaStorageTestStep } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useAppStore } from '../../state/store';
import { ConnectField } from '../accounts/ConnectField';

const stepNames: Record<MediaStorageTestStep['step'], string> = {
  write: 'Write',
  read: 'Read',
  delete: 'Delete',
};

const stepTones: Record<MediaStorageTestStep['outcome'], 'good' | 'bad' | 'warn'> = { ok: 'good', failed: 'bad', skipped: 'warn' };

export function MediaStorageSettings() {
  const [saved, setSaved] = useState<MediaStorage | null>(null);
  const [loadError, setLoadError] = useState<BridgeError | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [endpoint, setEndpoint] = useState('');
  const [region, setRegion] = useState('');
  const [bucket, setBucket] = useState('');
  const [pathStyle, setPathStyle] = useState(true);
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [busy, setBusy] = useState<'saving' | 'testing' | 'removing' | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tested, setTested] = useState<{ ok: boolean; steps: MediaStorageTestStep[] } | null>(null);
  const ids = useId();

  const fill = (storage: MediaStorage | null) => {
    setSaved(storage);
    setEndpoint(storage?.endpoint ?? '');
    setRegion(storage?.region ?? '');
    setBucket(storage?.bucket ?? '');
    setPathStyle(storage?.pathStyle ?? true);
    setAccessKeyId(storage?.accessKeyId ?? '');
    setSecretAccessKey('');
  };

  // Read on every visit, and again once a locked vault opens: read while it was locked, the bucket
  // could only say so (its secret is in the vault).
  const vaultLocked = useAppStore((state) => state.vault?.locked ?? false);
  useEffect(() => {
    void call(api.mediaStorage.get({})).then((result) => {
      if (result.ok) {
        fill(result.value);
        setLoadError(null);
      } else {
        setLoadError(result.error);
      }
      setLoaded(true);
    });
  }, [vaultLocked]);

  // A result speaks of what was typed when it was asked; a change makes it stale.
  useEffect(() => setTested(null), [endpoint, region, bucket, pathStyle, accessKeyId, secretAccessKey]);

  const input = (): MediaStorageInput => {
    const secret = secretAccessKey.trim();
    return {
      endpoint: endpoint.trim(),
      region: region.trim(),
      bucket: bucket.trim(),
      pathStyle,
      accessKeyId: accessKeyId.trim(),
      ...(secret ? { secretAccessKey: secret } : {}),
    };
  };
  const complete = endpoint.trim() !== '' && region.trim() !== '' && bucket.trim() !== '' && accessKeyId.trim() !== '' && (secretAccessKey.trim() !== '' || saved?.hasSecretAccessKey === true);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('saving');
    setError(null);
    setNotice(null);
    const result = await call(api.mediaStorage.save(input()));
    setBusy(null);
    if (!result.ok) return setError(result.error);
    fill(result.value);
    setNotice('Saved.');
  };

  const test = async () => {
    setBusy('testing');
    setError(null);
    setTested(null);
    const result = await call(api.mediaStorage.test(input()));
    setBusy(null);
    if (!result.ok) return setError(result.error);
    setTested(result.value);
  };

  const remove = async () => {
    setBusy('removing');
    setError(null);
    setNotice(null);
    const result = await call(api.mediaStorage.remove({}));
    setBusy(null);
    if (!result.ok) return setError(result.error);
    fill(null);
    setNotice('Forgotten. Localpost no longer has this bucket or its keys; the bucket itself is still yours.');
  };

  return (
    <section className="card panel" aria-labelledby="media-storage-title">
      <h2 id="media-storage-title" className="panel-title" tabIndex={-1}>
        Media storage
      </h2>
      <div className="panel-intro">
        <p>
          Instagram and Threads fetch photos and videos from a public address instead of taking an upload. Localpost puts each file in a
          bucket you own, under a random name, for the few minutes the platform needs, then deletes it; nothing goes to any server of ours.
        </p>
        <p className="muted">
          Any S3-compatible storage works: AWS S3 (<code>https://s3.&lt;region&gt;.amazonaws.com</code>), Cloudflare R2 (
          <code>https://&lt;account id&gt;.r2.cloudflarestorage.com</code>, region <code>auto</code>), Backblaze B2, Wasabi, or MinIO on this
          computer. Give the key only put, get and delete on this bucket.
        </p>
      </div>

      {loadError && <ErrorAlert error={loadError} />}
      {loaded && !loadError && (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <ConnectField
            id={`${ids}-endpoint`}
            label="Endpoint"
            value={endpoint}
            maxLength={500}
            placeholder="https://s3.eu-west-1.amazonaws.com"
            onChange={setEndpoint}
            hints={['The provider’s S3 address, with https (plain http only for storage on this computer).']}
          />
          <ConnectField id={`${ids}-region`} label="Region" value={region} maxLength={64} placeholder="eu-west-1" onChange={setRegion} hints={['As the provider names it; auto for Cloudflare R2.']} />
          <ConnectField id={`${ids}-bucket`} label="Bucket" value={bucket} maxLength={63} placeholder="my-localpost-media" onChange={setBucket} hints={['The bucket’s name. It can stay private: platforms get a temporary signed address.']} />
          <div className="check-field">
            <input id={`${ids}-path-style`} type="checkbox" className="checkbox" checked={pathStyle} aria-describedby={`${ids}-path-style-hint`} onChange={(e) => setPathStyle(e.target.checked)} />
            <div>
              <label htmlFor={`${ids}-path-style`} className="check-label">
                Path-style addresses
              </label>
              <p id={`${ids}-path-style-hint`} className="field-hint">
                The bucket’s name in the path (endpoint/bucket/file): R2, B2, Wasabi and MinIO. Turn off for AWS S3’s bucket.endpoint style.
              </p>
            </div>
          </div>
          <ConnectField id={`${ids}-access-key-id`} label="Access key ID" value={accessKeyId} maxLength={200} onChange={setAccessKeyId} hints={['From the key pair your provider made for this bucket.']} />
          <ConnectField
            id={`${ids}-secret`}
            label="Secret access key"
            value={secretAccessKey}
            maxLength={500}
            secret
            placeholder={saved?.hasSecretAccessKey ? 'Saved, not shown' : undefined}
            onChange={setSecretAccessKey}
            hints={[
              saved?.hasSecretAccessKey ? (
                <span className="secret-state">
                  <span className="badge" data-tone="good">
                    saved
                  </span>
                  <span>A secret access key is saved. Leave this empty to keep it, or type a new one to replace it.</span>
                </span>
              ) : (
                'Kept in Localpost’s encrypted vault, never shown again.'
              ),
            ]}
          />

          <div className="field">
            <div className="form-actions form-actions-start">
              <button type="button" className="button button-small" disabled={busy !== null || !complete} aria-busy={busy === 'testing'} onClick={() => void test()}>
                Test this bucket
              </button>
              <span className="secret-state" role="status">
                {busy === 'testing' ? (
                  <span className="muted">Trying the bucket…</span>
                ) : tested ? (
                  <>
                    <span className="badge" data-tone={tested.ok ? 'good' : 'bad'}>
                      {tested.ok ? 'works' : 'failed'}
                    </span>
                    <span>{tested.ok ? 'The bucket takes, serves and deletes files.' : 'See the steps below.'}</span>
                  </>
                ) : null}
              </span>
            </div>
            {tested && (
              <ol className="media-storage-steps" aria-label="Test steps">
                {tested.steps.map((step) => (
                  <li key={step.step}>
                    <span className="badge" data-tone={stepTones[step.outcome]}>
                      {step.outcome}
                    </span>{' '}
                    <strong>{stepNames[step.step]}</strong>: {step.message}
                  </li>
                ))}
              </ol>
            )}
          </div>

          {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
          <div className="form-actions">
            {notice && (
              <span className="muted form-progress" role="status">
                {notice}
              </span>
            )}
            {saved && (
              <button type="button" className="button button-quiet-danger" disabled={busy !== null} aria-busy={busy === 'removing'} onClick={() => void remove()}>
                Forget this bucket
              </button>
            )}
            <button type="submit" className="button button-primary" disabled={busy !== null || !complete} aria-busy={busy === 'saving'}>
              Save bucket
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

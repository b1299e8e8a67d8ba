// The certificate of the https loopback listener, for platforms that register only https redirect
// URIs (Meta's): generated once per data folder with `selfsigned`, for `localhost` and 127.0.0.1,
// and reused, so the browser's warning is the same one every time and nothing is made per sign-in.
//
// The key is kept in a private file (0600, in a 0700 folder), not in the vault: it must work before
// the vault is unlocked, and it guards nothing another local program could not have anyway. No
// browser trusts the certificate (it is self-signed, and the user is told to expect a warning), so
// whoever reads the key can only answer on 127.0.0.1, which any local program can do by taking the
// port first; the sign-in itself stays bound by its state and PKCE, and the exchange needs the
// client secret, which is in the vault.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../storage/privateFiles';

export interface LoopbackCertificate {
  /** PEM. */
  key: string;
  /** PEM. */
  cert: string;
}

/** Where the certificate lives, under the data folder. */
export const loopbackCertificateFolder = 'loopback-tls';
const keyFile = 'key.pem';
const certFile = 'cert.pem';
/** Long enough never to expire in the middle of someone's use; no CA checks it against a policy. */
const validityDays = 10 * 365;
/** Regenerated this long before it ends, so a sign-in never meets an expired certificate. */
const renewBeforeMs = 30 * 24 * 60 * 60 * 1000;

/**
 * The listener's key and certificate: the saved ones when they are there, whole and valid for the
 * loopback names; otherwise new ones, saved. `now` decides expiry.
 */
export async function loadOrCreateLoopbackCertificate(dataDir: string, now: number = Date.now()): Promise<LoopbackCertificate> {
  const dir = path.join(dataDir, loopbackCertificateFolder);
  const saved = readSaved(dir, now);
  if (saved) return saved;
  const notBeforeDate = new Date(now - 60 * 60 * 1000);
  // selfsigned (with its crypto libraries) loads for the one sign-in that makes a certificate.
  const { generate } = await import('selfsigned');
  const made = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(now + validityDays * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  ensurePrivateDir(dir);
  writePrivateFile(path.join(dir, keyFile), made.private);
  writePrivateFile(path.join(dir, certFile), made.cert);
  return { key: made.private, cert: made.cert };
}

function readSaved(dir: string, now: number): LoopbackCertificate | null {
  try {
    const key = fs.readFileSync(path.join(dir, keyFile), 'utf8');
    const cert = fs.readFileSync(path.join(dir, certFile), 'utf8');
    const parsed = new X509Certificate(cert);
    const usable =
      Date.parse(parsed.validTo) - renewBeforeMs > now &&
      parsed.checkHost('localhost') === 'localhost' &&
      parsed.checkIP('127.0.0.1') === '127.0.0.1' &&
      parsed.checkPrivateKey(createPrivateKey(key));
    return usable ? { key, cert } : null;
  } catch {
    // Missing, unreadable or damaged: made again, which costs the user nothing but a new warning.
    return null;
  }
}


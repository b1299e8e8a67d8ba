// Redaction is the logger's own job, not each caller's: every line and every error message that
// leaves the core passes through here. Two nets: the exact secret values the vault has seen in
// this process, and the shapes secrets have (JWTs, app passwords, bearer tokens, URL secrets).

// Insertion-ordered, most recently registered last. Bounded: every refresh registers new tokens
// for the life of the process, and every log line scans the set. The shapes below still catch
// what falls out of it.
const knownSecrets = new Set<string>();
const knownSecretsLimit = 1_000;

/** The vault registers every secret it stores or reads, so its exact value is redacted anywhere. */
export function registerSecret(value: string): void {
  // Very short values would redact ordinary words; no real secret of ours is that short.
  if (value.length < 8) return;
  knownSecrets.delete(value);
  knownSecrets.add(value);
  if (knownSecrets.size > knownSecretsLimit) knownSecrets.delete(knownSecrets.values().next().value!);
}

/** A secret deleted from the vault is no longer looked for. */
export function forgetSecret(value: string): void {
  knownSecrets.delete(value);
}

const secretShapes: Array<[RegExp, string]> = [
  // JWTs: header.payload.signature, base64url, header starting with {" → eyJ.
  [/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g, '[redacted-jwt]'],
  // Bluesky app passwords: xxxx-xxxx-xxxx-xxxx.
  [/\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b/gi, '[redacted-app-password]'],
  [/\b(Bearer|DPoP|Basic)\s+[\w.~+/=-]+/gi, '$1 [redacted]'],
  // Secrets carried in URLs: webhook paths, bot tokens, OAuth codes and tokens in query strings.
  [/(\/api\/webhooks\/\d+\/)[\w-]+/g, '$1[redacted]'],
  [/(hooks\.slack\.com\/services\/)[\w/]+/g, '$1[redacted]'],
  [/(\/bot)\d+:[\w-]+/g, '$1[redacted]'],
  [/([?&#](?:code|state|access_token|refresh_token|token|password|client_secret)=)[^&\s"']+/gi, '$1[redacted]'],
];

export function redactText(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  }
  for (const [shape, replacement] of secretShapes) out = out.replace(shape, replacement);
  return out;
}

const secretKeys = /pass(word)?|secret|token|jwt|authorization|cookie|webhook/i;

/** Redacts a value for logging: keys that name secrets lose their values, strings are scanned. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = secretKeys.test(key) ? '[redacted]' : redactValue(item, depth + 1);
    }
    return out;
  }
  return value;
}

// A connect the core will do only with the user's explicit yes (a server on a private address, an
// account that moved servers) fails with a code that names the confirmation it needs. The form
// shows the question; "Connect anyway" sends exactly the same input again with that confirmation
// added to `confirm`. Nothing here knows the individual questions, so a new one in the contract
// needs no new code in the forms.
import type { BridgeError, ConnectConfirmation, ConnectConfirmationsByCode } from '../../bridge';

// The contract's map, restated because the renderer takes no runtime code from the contract; its
// type is the contract's, so the two cannot drift apart.
const confirmationsByCode: ConnectConfirmationsByCode = { address_private: 'private_address', account_server_changed: 'server_change' };

/** The confirmation this error asks for, or null when it is a plain failure. */
export function confirmationAskedBy(error: BridgeError | null): ConnectConfirmation | null {
  if (!error) return null;
  return (confirmationsByCode as Record<string, ConnectConfirmation | undefined>)[error.code] ?? null;
}

/** The same input, with `confirmation` added to what the user already confirmed. */
export function withConfirmation<I extends { confirm?: ConnectConfirmation[] | undefined }>(input: I, confirmation: ConnectConfirmation): I {
  const confirmed = input.confirm ?? [];
  return { ...input, confirm: confirmed.includes(confirmation) ? confirmed : [...confirmed, confirmation] };
}

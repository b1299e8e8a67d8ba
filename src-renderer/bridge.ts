// The renderer's single access point to the app: everything it does goes through `api`, built
// by the preload from the contract. The contract's shapes are re-exported here as types only,
// so features import them from one place and no runtime code crosses from src-preload.
import type { BridgeError, EventPayload, MethodOutput, Result, connectConfirmations } from '../src-preload/contract';

export type {
  Account,
  AccountPostingSlots,
  AccountStatus,
  AiClient,
  AiRequest,
  Approval,
  Board,
  BridgeError,
  ConnectConfirmation,
  ConnectInput,
  DeveloperApp,
  Draft,
  DraftImage,
  DraftVideo,
  LinkCard,
  McpClientId,
  McpClientSetup,
  MastodonVisibility,
  MediaStorage,
  MediaStorageInput,
  MediaStorageTestStep,
  MissedSchedulePolicy,
  OpenSlot,
  PinOptions,
  YouTubeOptions,
  Platform,
  PlatformPostOptions,
  Post,
  PostPhase,
  PostTarget,
  PostingSlot,
  Profile,
  Result,
  Settings,
  TargetStatus,
  ThemeChoice,
  TikTokCreatorInfo,
  TikTokOptions,
  VaultStatus,
} from '../src-preload/contract';

/** One target's upload as it moves on (the `upload.progress` event). */
export type UploadProgressTick = EventPayload<'upload.progress'>;

/** What "Export my data" did: cancelled in the folder dialog, or saved (with what it holds). */
export type DataExportOutcome = MethodOutput<'data.export'>;

/** Which confirmation answers which error code (the contract's `connectConfirmations`). */
export type ConnectConfirmationsByCode = typeof connectConfirmations;

export const api = window.localpost;

/**
 * Awaits a bridge call and turns a rejected promise (the IPC channel itself failing) into the
 * same error data every method already returns, so callers handle exactly one shape and a
 * spinner can never be left running by an exception.
 */
export async function call<T>(pending: Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await pending;
  } catch {
    return { ok: false, error: bridgeUnreachable };
  }
}

const bridgeUnreachable: BridgeError = {
  code: 'internal',
  message: 'Localpost could not reach its core.',
  action: 'Restart Localpost. Your drafts are saved on this computer.',
};

// Pinterest's refusals as Localpost's stable error codes. API v5 answers every error with the
// description's `Error` shape, `{ code: integer, message: string }` (api-description
// v5/openapi.json); a bad or expired token is 401 `{"code":2,"message":"Authentication failed."}`.
import { developerAppSpecs, pinterestSandboxSwitch } from '../../../../src-shared/developerApps';
import { AppError } from '../../errors';
import { classifyHttpFailure } from '../../http/platformFailure';

const sandboxSwitchLabel = developerAppSpecs.pinterest.switches.find((option) => option.id === pinterestSandboxSwitch)!.label;

/** Pinterest's code for "Apps with Trial access may not create Pins in production". */
const trialAccessRefusal = 29;

/** Reads a failed response (consuming its body) into an AppError. */
export async function pinterestProblem(response: Response, now: number): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let said: string | undefined;
  let code: unknown;
  try {
    const parsed: unknown = JSON.parse(text);
    const body = parsed && typeof parsed === 'object' ? (parsed as { code?: unknown; message?: unknown }) : {};
    code = body.code;
    if (typeof body.message === 'string' && body.message.trim()) said = body.message.trim();
  } catch {
    // A proxy's HTML page or an empty body: the status alone has to do.
  }
  if (response.status === 403 && code === trialAccessRefusal) {
    // A new app has Trial access, and Pinterest lets Trial apps create pins only in its API
    // sandbox (developers.pinterest.com/docs/key-concepts/access-tiers/): waiting will not help.
    // The sandbox has its own tokens, so the account must be connected again once the switch is on.
    return new AppError('platform_rejected', 'Your Pinterest developer app has Trial access, and Pinterest lets Trial apps create pins only in its API sandbox, not on pinterest.com. Nothing was pinned.', {
      action: `Turn on “${sandboxSwitchLabel}” in Settings → Developer apps → Pinterest and reconnect the account, or apply for Standard access for your app in Pinterest Developers (My apps).`,
    });
  }
  if (response.status === 404 && said && /board/i.test(said)) {
    // The board chosen in the composer was deleted (or moved to another account) since.
    return new AppError('platform_rejected', `Pinterest no longer has the board this pin was for (${said}). Nothing was pinned.`, {
      action: 'Refresh the boards under "On Pinterest" in the composer, choose one, then publish again.',
    });
  }
  return classifyHttpFailure(
    { status: response.status, headers: response.headers, ...(said ? { said } : {}) },
    { platformName: 'Pinterest', authFailed: [401], tooLarge: [413], tooLargeAction: 'Use a smaller image (JPEG or PNG).' },
    now,
  );
}

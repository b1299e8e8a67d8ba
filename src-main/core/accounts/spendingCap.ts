// A spending cap limits the posts an account may send per rolling 30 days, to guard a bill: it
// exists only where the platform bills the user per post (X, through the user's own developer app).
import { platformRules } from '../../../src-shared/platforms';
import type { Platform } from '../../../src-preload/contract';
import { AppError } from '../errors';

export function assertSpendingCapApplies(platform: Platform): void {
  const rules = platformRules[platform];
  if (rules.defaultSpendingCap === undefined) {
    throw new AppError('invalid_input', `${rules.name} does not bill per post, so it has no spending cap.`);
  }
}

// axe-core (Deque's WCAG rules engine) run in a Chromium page: the serious and critical violations
// found, one line per element, named after the screen audited. The engine's own build is evaluated
// through the DevTools protocol: the page's CSP (script-src 'self') would refuse it as an injected
// <script>, rightly.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  const results = await page.evaluate(async (source) => {
    const scope = globalThis as unknown as { axe?: { run(options: object): Promise<AxeResults> } };
    if (!scope.axe) (0, eval)(source);
    return scope.axe!.run({ resultTypes: ['violations'] });
  }, axeSource);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) => `${screen}: ${violation.id} (${violation.impact}) at ${JSON.stringify(node.target)}: ${violation.help}\n  ${node.failureSummary ?? ''}`,
      ),
    );
}

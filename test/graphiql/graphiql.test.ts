// GraphiQL is served with bundled assets (no CDN) and actually works: its
// examples run against the simulator in a real, offline browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Locator } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EXAMPLES } from '../../src/graphiql/examples.js';
import { CHROMIUM, skipBrowser } from '../support/chromium.js';
import { startHarness } from '../support/harness.js';

const hasChromium = existsSync(CHROMIUM);
if (skipBrowser) {
  console.warn(`Skipping the GraphiQL browser test: ${CHROMIUM} not found (install Debian's chromium to run it).`);
}

/** Visible text with whitespace collapsed: Monaco renders spaces as U+00A0. */
async function textOf(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, whose innerText is the rendered text
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

/** Operation names of the examples, e.g. "JobTimeline": what the run button offers. */
const operationNames = EXAMPLES.map((e) => /^\s*(?:query|mutation|subscription)\s+(\w+)/m.exec(e)?.[1]);

describe('GraphiQL page', () => {
  it('is served as HTML with no external script or stylesheet, and carries the examples', async () => {
    const harness = await startHarness();
    onTestFinished(() => harness.close());

    const response = await harness.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();

    // Only look at real tags: drop inline script bodies, which legitimately mention URLs.
    const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
    const tags = markup.match(/<(?:script|link)\b[^>]*>/gi) ?? [];
    expect(
      tags.some((t) => /^<script/i.test(t)),
      'the page has a script',
    ).toBe(true);
    const refs = tags.flatMap((t) => [...t.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? ''));
    const external = refs.filter((ref) => /^(?:https?:)?\/\//i.test(ref));
    expect(external, 'script/link tags must not load from another origin').toEqual([]);

    expect(operationNames).not.toContain(undefined);
    for (const name of operationNames) expect(html).toContain(name);
  });

  it.skipIf(skipBrowser)(
    `runs the examples in a browser without leaving 127.0.0.1${hasChromium ? '' : ` (needs ${CHROMIUM})`}`,
    { timeout: 40_000 },
    async () => {
      expect(hasChromium, `${CHROMIUM} is missing; CI is expected to install chromium`).toBe(true);

      // The live job of the LiveJob example moves on when the test moves the simulator's clock.
      let clock = Date.UTC(2026, 11, 1, 9, 0);
      const harness = await startHarness({ simulator: { now: () => clock }, live: { pollMs: 50, pollMaxMs: 100 } });
      onTestFinished(() => harness.close());
      const server = createServer(harness.app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      onTestFinished(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      );
      const { port } = server.address() as AddressInfo;

      const userDataDir = mkdtempSync(join(tmpdir(), 'graphiql-chromium-'));
      onTestFinished(() => rmSync(userDataDir, { recursive: true, force: true }));
      const browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      onTestFinished(() => browser.close());

      const page = browser.pages()[0] ?? (await browser.newPage());
      // For a human to look at, pass or fail; hooks run in reverse, so before browser.close.
      onTestFinished(() => page.screenshot({ path: '/tmp/graphiql.png' }).then(() => undefined));
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // The page's Content-Security-Policy must not block anything GraphiQL does.
      const cspViolations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });

      await page.goto(`http://127.0.0.1:${port}/graphql`);
      const execute = page.getByRole('button', { name: /^Execute query/ });
      await execute.waitFor({ timeout: 15_000 });

      // The examples share the open editor; the run button asks which operation to run.
      await expect
        .poll(() => textOf(page.locator('.graphiql-query-editor')), { timeout: 5_000 })
        .toContain('query JobTimeline');
      async function run<T>(operationName: string): Promise<T> {
        const [response] = await Promise.all([
          page.waitForResponse(
            (r) =>
              r.request().method() === 'POST' &&
              r.request().postData()?.includes(`"operationName":"${operationName}"`) === true,
            {
              timeout: 10_000,
            },
          ),
          (async () => {
            await execute.click();
            await page.getByRole('menuitem', { name: operationName, exact: true }).click();
          })(),
        ]);
        return (await response.json()) as T;
      }

      const timeline = await run<{
        data?: { trainingJob?: { jobId?: string; operations?: { totalCount?: number } } };
        errors?: unknown[];
      }>('JobTimeline');
      expect(timeline.errors, JSON.stringify(timeline.errors)).toBeUndefined();
      expect(timeline.data?.trainingJob?.jobId).toBe('job-complete');
      expect(timeline.data?.trainingJob?.operations?.totalCount).toBe(7);
      // The pane shows the top of the result: the job id and its first operation.
      const pane = page.locator('.graphiql-response');
      await expect.poll(() => textOf(pane), { timeout: 5_000 }).toContain('"job-complete"');
      await expect.poll(() => textOf(pane), { timeout: 5_000 }).toContain('CREATE_JOB');

      // Another example right after, as a person exploring would.
      const history = await run<{ data?: { trainingJob?: { operations?: { totalCount?: number } } } }>('History');
      expect(history.data?.trainingJob?.operations?.totalCount).toBe(151);
      await expect.poll(() => textOf(pane), { timeout: 5_000 }).toContain('"totalCount": 151');

      // A subscription: its events arrive in the pane as the job moves on.
      await execute.click();
      await page.getByRole('menuitem', { name: 'LiveJob', exact: true }).click();
      await expect.poll(() => textOf(pane), { timeout: 10_000 }).toContain('"status": "CREATED"');
      clock += 2_000;
      await expect.poll(() => textOf(pane), { timeout: 10_000 }).toContain('"status": "IN_REVIEW"');
      await expect.poll(() => textOf(pane), { timeout: 5_000 }).toContain('COMMIT_JOB');
      clock += 10_000;
      await expect.poll(() => textOf(pane), { timeout: 10_000 }).toContain('"status": "COMPLETED"');

      // Everything GraphiQL loads comes from this server (or is generated in-page).
      const offHost = requests.filter((url) => {
        if (url.startsWith('blob:') || url.startsWith('data:')) return false;
        return new URL(url).hostname !== '127.0.0.1';
      });
      expect(offHost, 'requests that left 127.0.0.1').toEqual([]);
      expect(requests.some((url) => url === `http://127.0.0.1:${port}/graphql`)).toBe(true);
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
      expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
    },
  );
});

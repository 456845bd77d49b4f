// The job dashboard in Debian's Chromium, built and served as `npm run
// example:dashboard` does, against the server as `npm start` runs it.
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM, skipBrowser } from '../../support/chromium.js';
import { killAll } from '../../support/processes.js';
import {
  expectJobsShown,
  LIVE_JOB,
  offLoopback,
  openBrowser,
  recordLiveJob,
  serveDashboard,
  startServer,
  textOf,
} from '../../support/jobDashboard.js';

afterEach(killAll);

if (skipBrowser)
  console.warn(`Skipping the dashboard browser test: ${CHROMIUM} not found (install Debian's chromium to run it).`);

describe('job dashboard', () => {
  it.skipIf(skipBrowser)(
    "shows each job's page as it is, follows a live one to COMPLETED, and keeps its list in the URL",
    { timeout: 180_000 },
    async () => {
      // Short poll intervals: the live job moves every 400 ms.
      const graphqlUrl = await startServer({ SUBSCRIPTION_POLL_MS: '100' });
      const dashboard = await serveDashboard({ GRAPHQL_URL: graphqlUrl });
      const { page, requests, problems } = await openBrowser();
      const liveStates = await recordLiveJob(page);
      const jobs = [
        'job-complete',
        'job-admin-rejected',
        'job-algorithm-failed',
        'job-long-history',
        'fault-503',
        LIVE_JOB,
      ];

      await page.goto(`${dashboard}?jobs=${jobs.join(',')}`);
      // Gone if the page reloads.
      await page.evaluate(() => ((window as { loadedOnce?: boolean }).loadedOnce = true));
      await expectJobsShown(page, liveStates);

      // A long history opens on its newest page and pages back.
      const long = 'article[data-job-id="job-long-history"]';
      expect(await textOf(page, `${long} .range`)).toBe('142–151 of 151');
      await page.locator(long).getByRole('button', { name: 'Older' }).click();
      await expect.poll(() => textOf(page, `${long} .range`), { timeout: 15_000 }).toBe('132–141 of 151');
      expect(await page.locator(`${long} .operation`).first().getAttribute('data-position')).toBe('131');
      await page.locator(long).getByRole('button', { name: 'Newest' }).click();
      await expect.poll(() => textOf(page, `${long} .range`)).toBe('142–151 of 151');

      // Another list, typed in the page: it goes into the URL, and Back restores the first.
      await page.getByLabel('Job ids').fill('job-drift, job-complete');
      await page.getByRole('button', { name: 'Show jobs' }).click();
      await page.locator('article[data-job-id="job-drift"] .operation').nth(2).waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).search).toBe('?jobs=job-drift,job-complete');
      expect(await page.locator('article').count()).toBe(2);
      // An action newer than the server is shown by its raw name.
      expect(
        await page.locator('article[data-job-id="job-drift"] .operation[data-action="UNKNOWN"] .action').textContent(),
      ).toBe('PAUSE_JOB');
      await page.goBack();
      await expect.poll(() => page.locator('article').count(), { timeout: 15_000 }).toBe(jobs.length);
      expect(await page.evaluate(() => (window as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

      // The heading leads to the job list, where the address has no ?jobs=.
      await page.getByRole('link', { name: 'Training jobs' }).click();
      await page.locator('tr.job-row').first().waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).search).toBe('');
      expect(await page.locator('article').count()).toBe(0);

      expect(offLoopback(requests), 'requests that left 127.0.0.1').toEqual([]);
      expect(requests.filter((url) => url.startsWith(graphqlUrl)).length).toBeGreaterThan(0);
      expect(problems, 'page errors and console errors or warnings').toEqual([]);
    },
  );
});

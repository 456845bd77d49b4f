// The dashboard's job list in Debian's Chromium, against the server as `npm start`
// runs it with a simulator of the test's own, where its upstream calls are counted.
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { JOB_HISTORIES } from '../../../src/simulator/histories.js';
import { auditResultOf, jobInfoOf, listPage, parseListQuery } from '../../../src/simulator/jobCatalogue.js';
import { CHROMIUM, skipBrowser } from '../../support/chromium.js';
import {
  offLoopback,
  openBrowser,
  serveDashboard,
  startServerOnSimulator,
  textOf,
} from '../../support/jobDashboard.js';
import { killAll } from '../../support/processes.js';

afterEach(killAll);

if (skipBrowser)
  console.warn(`Skipping the job list browser test: ${CHROMIUM} not found (install Debian's chromium to run it).`);

const CATALOGUE = [...JOB_HISTORIES].map(([jobId, history]) => jobInfoOf(jobId, history));

/** The job ids the simulator lists for these list parameters, in its order. */
function listed(params: Record<string, string>): string[] {
  const query = parseListQuery(new URLSearchParams(params));
  if (typeof query === 'string') throw new Error(`bad list parameter ${query}`);
  return listPage(CATALOGUE, query).jobs.map((job) => job.job_id);
}

const rows = (page: Page) =>
  page.locator('tr.job-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')));

describe('job list', () => {
  it.skipIf(skipBrowser)(
    'opens on the newest jobs, filters by states and voice name, pages, costs one upstream call a page, and shows a failed one',
    { timeout: 180_000 },
    async () => {
      const { simulator, graphqlUrl } = await startServerOnSimulator();
      const dashboard = await serveDashboard({ GRAPHQL_URL: graphqlUrl });
      const { page, requests, problems } = await openBrowser();
      /** The upstream calls since the last step, as [route, list parameters]. */
      const calls = (): Array<[string, Record<string, string>]> => {
        const made = simulator.requests.map((r): [string, Record<string, string>] => {
          const params = new URL(r.path, 'http://simulator').searchParams;
          return [r.route, Object.fromEntries(params)];
        });
        simulator.reset();
        return made;
      };
      const showsPage = async (expected: string[], range: string) => {
        await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(expected);
        expect(await textOf(page, '.job-list .range')).toBe(range);
      };
      // Newest first: one list call, and no call per row.
      await page.goto(dashboard);
      await page.locator('tr.job-row').first().waitFor({ timeout: 15_000 });
      const [first, ...others] = calls();
      expect(others).toEqual([]);
      const pageSize = Number(first?.[1].limit);
      const sorted = { limit: String(pageSize), sort_key: 'create_time', sort_dir: 'desc' };
      expect(first).toEqual(['jobs', { offset: '0', ...sorted }]);
      const total = CATALOGUE.length;
      expect(pageSize, 'the catalogue fills more than one page').toBeLessThan(total);
      const page1 = listed({ ...sorted, offset: '0' });
      const page2 = listed({ ...sorted, offset: String(pageSize) });
      await showsPage(page1, `1–${pageSize} of ${total}`);
      const created = await page
        .locator('tr.job-row .created time')
        .evaluateAll((times) => times.map((t) => t.getAttribute('datetime') ?? ''));
      expect(created).toEqual([...created].sort().reverse());
      // Each row as the simulator lists the job: MetaStudio's state, the voice, the edition.
      const complete = page.locator('tr.job-row[data-job-id="job-complete"]');
      const [completeInfo] = CATALOGUE.filter((job) => job.job_id === 'job-complete');
      if (page1.includes('job-complete')) {
        expect(await complete.locator('.badge').getAttribute('data-state')).toBe('SUCCEED');
        expect(await complete.locator('.voice').textContent()).toBe(completeInfo!.voice_name);
        expect(await complete.locator('.edition').getAttribute('data-job-type')).toBe(completeInfo!.job_type);
      }
      const shot = join(mkdtempSync(join(tmpdir(), 'job-list-shot-')), 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(shot, 'docs/images/dashboard.png');

      // The next page: one call at the next offset. Back to the first: the page has it already.
      await page.getByRole('button', { name: 'Next' }).click();
      await showsPage(page2, `${pageSize + 1}–${total} of ${total}`);
      expect(new URL(page.url()).searchParams.get('after')).not.toBeNull();
      expect(calls()).toEqual([['jobs', { offset: String(pageSize), ...sorted }]]);
      await page.getByRole('button', { name: 'Previous' }).click();
      await showsPage(page1, `1–${pageSize} of ${total}`);
      expect(calls()).toEqual([]);

      // A state, then a second one: one call each, with the states as one comma-separated parameter.
      await page.getByRole('checkbox', { name: 'Rejected', exact: true }).check();
      const rejected = listed({ ...sorted, state: 'AUDIT_FAILED' });
      expect(rejected.length).toBeGreaterThan(1);
      await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(rejected);
      expect(new URL(page.url()).search).toBe('?states=AUDIT_FAILED');
      expect(calls()).toEqual([['jobs', { offset: '0', state: 'AUDIT_FAILED', ...sorted }]]);
      expect(
        await page
          .locator('tr.job-row .badge')
          .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-state'))),
      ).toEqual(rejected.map(() => 'AUDIT_FAILED'));
      await page.getByRole('checkbox', { name: 'Training', exact: true }).check();
      const rejectedOrTraining = listed({ ...sorted, state: 'PROCESSING,AUDIT_FAILED' });
      expect(rejectedOrTraining.length).toBeGreaterThan(rejected.length);
      await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(rejectedOrTraining);
      expect(new URL(page.url()).search).toBe('?states=PROCESSING,AUDIT_FAILED');
      expect(calls()).toEqual([['jobs', { offset: '0', state: 'PROCESSING,AUDIT_FAILED', ...sorted }]]);

      // And a voice name.
      const voice = CATALOGUE.find((job) => job.job_id === 'job-admin-rejected')!.voice_name as string;
      await page.getByLabel('Voice name').fill(voice);
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      const byVoice = listed({ ...sorted, state: 'PROCESSING,AUDIT_FAILED', voice_name: voice });
      expect(byVoice).toEqual(['job-admin-rejected']);
      await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(byVoice);
      expect(calls()).toEqual([
        ['jobs', { offset: '0', state: 'PROCESSING,AUDIT_FAILED', voice_name: voice, ...sorted }],
      ]);

      // The job's page: the administrator's review, with its attachment in a new tab that cannot reach back.
      await page.locator('tr.job-row[data-job-id="job-admin-rejected"] a').click();
      expect(new URL(page.url()).search).toBe('?jobs=job-admin-rejected');
      const audit = auditResultOf('job-admin-rejected', JOB_HISTORIES.get('job-admin-rejected')!) as {
        admin_audit_result: { message: string; attachment_name: string; attachment_url: string };
      };
      const attachment = page.locator('article[data-job-id="job-admin-rejected"] .admin-review a.attachment');
      await attachment.waitFor({ timeout: 15_000 });
      expect(await attachment.textContent()).toBe(audit.admin_audit_result.attachment_name);
      expect(await attachment.getAttribute('href')).toBe(audit.admin_audit_result.attachment_url);
      expect(await attachment.getAttribute('target')).toBe('_blank');
      expect(await attachment.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await textOf(page, '.admin-review .message')).toBe(audit.admin_audit_result.message);
      // Back: the filtered list as it was, from the page's cache (the job page's subscription may still poll).
      simulator.reset();
      await page.goBack();
      await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(byVoice);
      expect(await page.getByLabel('Voice name').inputValue()).toBe(voice);
      expect(calls().filter(([route]) => route === 'jobs')).toEqual([]);

      // A failed list call: its code in the list's place, and no rows.
      simulator.inject(
        { kind: 'status', status: 503, errorCode: 'APIGW.0202', errorMsg: 'The API is unavailable' },
        { route: 'jobs' },
      );
      await page.getByRole('checkbox', { name: 'Failed', exact: true }).check();
      await expect.poll(() => textOf(page, '.job-list .errors'), { timeout: 30_000 }).toMatch(/^UPSTREAM_UNAVAILABLE /);
      expect(await page.locator('tr.job-row').count()).toBe(0);

      expect(offLoopback(requests), 'requests that left 127.0.0.1').toEqual([]);
      expect(problems, 'page errors and console errors or warnings').toEqual([]);
    },
  );
});

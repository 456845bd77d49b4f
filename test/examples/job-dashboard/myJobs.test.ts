// The dashboard with an end user's token, in Debian's Chromium, against a server
// with scoping on: its list is that user's jobs, every list call carries their
// signed X-App-UserId, and another user's job reads as an unknown one.
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterEach, expect, it, onTestFinished } from 'vitest';
import { JOB_HISTORIES } from '../../../src/simulator/histories.js';
import { jobInfoOf } from '../../../src/simulator/jobCatalogue.js';
import { CHROMIUM, skipBrowser } from '../../support/chromium.js';
import {
  offLoopback,
  openBrowser,
  serveDashboard,
  startServerOnSimulator,
  textOf,
} from '../../support/jobDashboard.js';
import { killAll } from '../../support/processes.js';
import { TEST_SECRETS } from '../../support/secrets.js';

afterEach(killAll);

if (skipBrowser) console.warn(`Skipping the "my jobs" browser test: ${CHROMIUM} not found.`);

const CLAIM = 'app_user_id';
const ALICE = 'user-alice';
const CATALOGUE = [...JOB_HISTORIES].map(([jobId, history]) => jobInfoOf(jobId, history));
const BOBS_JOB = 'job-admin-rejected';

const rows = (page: Page) =>
  page.locator('tr.job-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')));

it.skipIf(skipBrowser)(
  "with a token, lists the user's own jobs only, and another user's job reads as unknown",
  { timeout: 180_000 },
  async () => {
    expect(CATALOGUE.find((job) => job.job_id === BOBS_JOB)?.app_user_id).not.toBe(ALICE);
    const { simulator, graphqlUrl } = await startServerOnSimulator({
      AUTH_MODE: 'jwt',
      AUTH_JWT_SECRET: TEST_SECRETS.authJwtSecret,
      AUTH_APP_USER_CLAIM: CLAIM,
    });
    const token = await new SignJWT({ [CLAIM]: ALICE })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(TEST_SECRETS.authJwtSecret));
    const dashboard = await serveDashboard({ GRAPHQL_URL: graphqlUrl });
    const { page, requests } = await openBrowser();

    await page.goto(`${dashboard}#token=${token}`);
    await page.locator('tr.job-row').first().waitFor({ timeout: 15_000 });
    // The token leaves the address at once: not bookmarked, not in the history.
    expect(page.url()).not.toContain(token);
    const alices = CATALOGUE.filter((job) => job.app_user_id === ALICE)
      .sort((a, b) => Number(b.create_time) - Number(a.create_time))
      .map((job) => job.job_id);
    expect(alices.length).toBeGreaterThan(1);
    await expect.poll(() => rows(page), { timeout: 15_000 }).toEqual(alices.slice(0, 10));
    const lists = simulator.requests.filter((request) => request.route === 'jobs');
    expect(lists.length).toBe(1);
    expect(lists[0]!.headers['x-app-userid']).toBe(ALICE);
    expect(String(lists[0]!.headers.authorization)).toMatch(/SignedHeaders=[^,]*\bx-app-userid\b/);

    // Bob's job, by its address: as a job MetaStudio does not know, and nothing of it read but the check.
    simulator.reset();
    await page.goto(`${dashboard}?jobs=${BOBS_JOB}#token=${token}`);
    const job = `article[data-job-id="${BOBS_JOB}"]`;
    await expect.poll(() => textOf(page, `${job} .errors`), { timeout: 15_000 }).toMatch(/^UPSTREAM_NOT_FOUND /);
    expect(await page.locator(`${job} .admin-review`).count()).toBe(0);
    const routes = simulator.requests.filter((request) => request.jobId === BOBS_JOB).map((request) => request.route);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.every((route) => route === 'job')).toBe(true);

    expect(offLoopback(requests), 'requests that left 127.0.0.1').toEqual([]);
  },
);

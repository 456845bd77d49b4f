// The job dashboard as `npm run example:dashboard` runs it (vite build, then vite
// preview), against the server run as `npm start` runs it, both as processes,
// and Debian's Chromium to look at it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import { CHROMIUM } from './chromium.js';
import { runScript } from './processes.js';
import { JOB_HISTORIES } from '../../src/simulator/histories.js';
import { auditResultOf } from '../../src/simulator/jobCatalogue.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { registerSecret } from './runSecrets.js';
import { LIVE_LIFECYCLE } from './liveLifecycle.js';

const VITE = 'node_modules/vite/bin/vite.js';
const ROOT = 'examples/job-dashboard';

/** Starts src/main.ts on the built-in simulator; returns its GraphQL URL. */
export async function startServer(env: Record<string, string>): Promise<string> {
  const server = runScript('src/main.ts', { PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...env });
  const url = (await server.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
  expect(url, server.output()).toBeDefined();
  return url!;
}

/** A simulator of the test's own, where its upstream calls are counted, and the server on it; returns both. */
export async function startServerOnSimulator(
  env: Record<string, string> = {},
): Promise<{ simulator: Simulator; graphqlUrl: string }> {
  const simulator = await startSimulator();
  registerSecret(simulator.credentials.secretKey);
  onTestFinished(() => simulator.close());
  const graphqlUrl = await startServer({
    METASTUDIO_ENDPOINT: simulator.url,
    METASTUDIO_PROJECT_ID: simulator.projectId,
    CLOUD_SDK_AK: simulator.credentials.accessKey,
    CLOUD_SDK_SK: simulator.credentials.secretKey,
    ...env,
  });
  return { simulator, graphqlUrl };
}

/** Builds the dashboard for `env` (GRAPHQL_URL, TRUSTED_DOCUMENTS) and serves it; returns the page's URL. */
export async function serveDashboard(env: Record<string, string>): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'job-dashboard-'));
  onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
  const settings = { DASHBOARD_PORT: '0', ...env, NO_COLOR: '1' };
  const build = runScript(VITE, settings, { args: ['build', ROOT, '--outDir', outDir, '--emptyOutDir'] });
  expect(await build.exitCode(), build.output()).toBe(0);
  // Each test serves its own build on its own port: Vite's one-preview-per-project lock would fail test files
  // that run at once.
  const preview = runScript(VITE, settings, {
    args: ['preview', ROOT, '--outDir', outDir, '--bypass-lock'],
  });
  const url = (await preview.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/))?.[1];
  expect(url, preview.output()).toBeDefined();
  return url!;
}

export interface Browser {
  page: Page;
  /** Every URL the page requested. */
  requests: string[];
  /** Uncaught errors and console errors. */
  problems: string[];
}

export async function openBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'dashboard-chromium-'));
  onTestFinished(() => rmSync(userDataDir, { recursive: true, force: true }));
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium calls out to Google's hosts.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
  });
  onTestFinished(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console.${message.type()}: ${message.text()}`);
  });
  return { page, requests, problems };
}

/** Requests that left 127.0.0.1 (data: and blob: URLs are made in the page). */
export function offLoopback(requests: readonly string[]): string[] {
  return requests.filter((url) => !/^(?:data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
}

/** A job the simulator starts at its first request and moves on every 400 ms, to COMPLETE_JOB. */
export const LIVE_JOB = 'live-400-browser';

export interface LiveState {
  status: string | null;
  actions: string[];
  following: boolean;
}

/**
 * Records, from before the page's own script runs, every state LIVE_JOB's card
 * shows. A reload starts a new record, so a record that starts before COMPLETED
 * and ends at it grew in one page.
 */
export async function recordLiveJob(page: Page): Promise<() => Promise<LiveState[]>> {
  await page.addInitScript((jobId) => {
    const states: LiveState[] = [];
    (window as unknown as { liveStates: LiveState[] }).liveStates = states;
    new MutationObserver(() => {
      const card = document.querySelector(`article[data-job-id="${jobId}"]`);
      if (!card) return;
      const state: LiveState = {
        status: card.querySelector('.badge[data-status]')?.getAttribute('data-status') || null,
        actions: [...card.querySelectorAll('.operation')].map((row) => row.getAttribute('data-action') ?? ''),
        following: card.querySelector('.live.on') !== null,
      };
      if (JSON.stringify(state) !== JSON.stringify(states.at(-1))) states.push(state);
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }, LIVE_JOB);
  return () => page.evaluate(() => (window as unknown as { liveStates: LiveState[] }).liveStates);
}

/** The automatic check's problems as the simulator reports them: recording, text, code, message. */
function systemProblems(jobId: string): string[][] {
  const { system_audit_result } = auditResultOf(jobId, JOB_HISTORIES.get(jobId)!) as {
    system_audit_result: { errors: Array<Record<string, string | undefined>> };
  };
  return system_audit_result.errors.map((e) => [
    e.audio_name ?? '—',
    e.text_name ?? '—',
    e.error_code ?? '—',
    e.error_message ?? '',
  ]);
}

const card = (page: Page, jobId: string) => page.locator(`article[data-job-id="${jobId}"]`);
/** The text of the first element `selector` matches, white space collapsed. */
export const textOf = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
const text = (page: Page, jobId: string, selector: string) =>
  textOf(page, `article[data-job-id="${jobId}"] ${selector}`);

/**
 * The page shows the simulator's examples as they are: job-complete, job-admin-rejected,
 * job-algorithm-failed, fault-503 and LIVE_JOB, whose timeline grows to COMPLETED.
 */
export async function expectJobsShown(page: Page, liveStates: () => Promise<LiveState[]>): Promise<void> {
  const badge = (jobId: string) => card(page, jobId).locator('.badge[data-status]').getAttribute('data-status');
  const state = (jobId: string) => card(page, jobId).locator('.badge[data-state]').getAttribute('data-state');
  await expect.poll(() => badge('job-complete'), { timeout: 30_000 }).toBe('COMPLETED');
  expect(
    await card(page, 'job-complete')
      .locator('.operation')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
  ).toEqual(LIVE_LIFECYCLE);
  expect(await text(page, 'job-complete', '.dates')).toContain('Completed2026-10-03 00:15:00 UTC');

  expect(await badge('job-admin-rejected')).toBe('REJECTED');
  expect(await text(page, 'job-admin-rejected', '.rejection')).toMatch(
    /^Rejected by an administrator \(ADMIN\): The authorization letter does not match the voice owner named in the job\./,
  );
  expect(await badge('job-algorithm-failed')).toBe('REJECTED');
  expect(await text(page, 'job-algorithm-failed', '.rejection')).toMatch(
    /^Rejected by the automatic review \(SYSTEM\): Background noise above the allowed level/,
  );
  // MetaStudio's record and review, beside the log's status.
  expect(await state('job-complete')).toBe('SUCCEED');
  expect(await state('job-admin-rejected')).toBe('AUDIT_FAILED');
  expect(await text(page, 'job-admin-rejected', '.admin-review .message')).toMatch(
    /^The authorization letter does not match the voice owner named in the job\./,
  );
  const attachment = card(page, 'job-admin-rejected').locator('.admin-review a.attachment');
  expect(await attachment.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await attachment.getAttribute('target')).toBe('_blank');
  // Each recording that failed the automatic check, with the check and why.
  expect(
    await card(page, 'job-algorithm-failed')
      .locator('.system-review tr.review-problem')
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent))),
  ).toEqual(systemProblems('job-algorithm-failed'));
  // The assessment, with the metric out of range flagged.
  expect(
    await card(page, 'job-algorithm-failed')
      .locator('.assessment tr.out-of-range')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-metric'))),
  ).toEqual(['snr']);

  // The failing job shows its upstream error and code; no other job shows one.
  expect(await text(page, 'fault-503', '.errors')).toMatch(
    /^UPSTREAM_UNAVAILABLE MetaStudio is unavailable \(HTTP 503/,
  );
  expect(await card(page, 'fault-503').locator('.timeline').count()).toBe(0);
  expect(await page.locator('article:not([data-job-id="fault-503"]) .errors').count()).toBe(0);

  // The live job completes without a reload, and its subscription ends there.
  await expect.poll(() => badge(LIVE_JOB), { timeout: 60_000 }).toBe('COMPLETED');
  await expect.poll(() => card(page, LIVE_JOB).locator('.live.on').count(), { timeout: 15_000 }).toBe(0);
  const states = await liveStates();
  const first = states.find((s) => s.status !== null);
  expect(first?.status, JSON.stringify(states)).not.toBe('COMPLETED');
  expect(first!.actions.length).toBeLessThan(LIVE_LIFECYCLE.length);
  expect(
    states.some((s) => s.following),
    'the card followed the job live',
  ).toBe(true);
  expect(states.at(-1)).toEqual({ status: 'COMPLETED', actions: LIVE_LIFECYCLE, following: false });
  // It only ever grew, one prefix of the lifecycle after another.
  for (const state of states) expect(LIVE_LIFECYCLE.slice(0, state.actions.length)).toEqual(state.actions);
  for (let i = 1; i < states.length; i++)
    expect(states[i]!.actions.length).toBeGreaterThanOrEqual(states[i - 1]!.actions.length);
}

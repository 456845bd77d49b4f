// The per-request job check: the job is the caller's only if its owner is the
// caller's app user id; another's job is refused exactly as an unknown one; one
// owner lookup per job per request, and decisions remembered in the memo.
import { describe, expect, it } from 'vitest';
import type { CallerScope } from '../../src/scope/callerScope.js';
import { JobAccess, type OwnerLookup } from '../../src/scope/jobAccess.js';
import { LocalOwnerMemo } from '../../src/scope/ownerMemo.js';
import { scopeEvents } from '../../src/scope/scopeEvents.js';
import { type UpstreamError, upstreamHttpError } from '../../src/upstream/errors.js';

const OWNERS: Record<string, string | undefined> = { 'job-a': 'alice', 'job-b': 'bob', 'job-nobody': undefined };
const SETTINGS = { ownershipTtlMs: 600_000, refusalTtlMs: 5_000 };

/** Owners as MetaStudio's details give them, counting reads. */
function details(failure?: UpstreamError) {
  const reads: string[] = [];
  const lookup: OwnerLookup = async (jobId) => {
    reads.push(jobId);
    if (failure) throw failure;
    if (!(jobId in OWNERS)) throw upstreamHttpError(404, { errorMsg: 'job not found', requestId: 'req-1' });
    return OWNERS[jobId];
  };
  return { reads, lookup };
}

const alice: CallerScope = { kind: 'user', appUserId: 'alice' };

async function refusal(promise: Promise<void>) {
  const error = await promise.then(
    () => expect.unreachable('the check passed'),
    (thrown: UpstreamError) => thrown,
  );
  return { message: error.message, extensions: error.extensions };
}

describe('JobAccess', () => {
  it('checks nothing with scoping off or for support', async () => {
    for (const scope of [{ kind: 'off' }, { kind: 'all' }] as CallerScope[]) {
      const { reads, lookup } = details();
      const access = new JobAccess(scope, new LocalOwnerMemo(), lookup, SETTINGS);
      await access.check('job-b');
      await access.check('job-unknown');
      expect(reads).toEqual([]);
    }
  });

  it('lets the owner read, once per job per request, and remembers it across requests', async () => {
    const { reads, lookup } = details();
    const memo = new LocalOwnerMemo();
    const access = new JobAccess(alice, memo, lookup, SETTINGS);
    await Promise.all([access.check('job-a'), access.check('job-a'), access.check('job-a')]);
    expect(reads).toEqual(['job-a']);
    await new JobAccess(alice, memo, lookup, SETTINGS).check('job-a');
    expect(reads).toEqual(['job-a']);
  });

  it("refuses another user's job, and a job with no owner, exactly as an unknown one", async () => {
    const { lookup } = details();
    const access = () => new JobAccess(alice, new LocalOwnerMemo(), lookup, SETTINGS);
    const unknown = await refusal(access().check('job-unknown'));
    expect(unknown).toEqual({
      message: 'MetaStudio does not know this training job',
      extensions: { code: 'UPSTREAM_NOT_FOUND', status: 404 },
    });
    expect(await refusal(access().check('job-b'))).toEqual(unknown);
    expect(await refusal(access().check('job-nobody'))).toEqual(unknown);
  });

  it("treats a 403 to the caller's X-App-UserId as an unknown job", async () => {
    const { lookup } = details(upstreamHttpError(403, { errorMsg: 'app user mismatch' }));
    const error = await refusal(new JobAccess(alice, new LocalOwnerMemo(), lookup, SETTINGS).check('job-b'));
    expect(error.extensions).toEqual({ code: 'UPSTREAM_NOT_FOUND', status: 404 });
  });

  it('remembers a refusal, foreign or unknown, for the refusal TTL; confirmed owners for the ownership TTL', async () => {
    let now = 1;
    const memo = new LocalOwnerMemo(() => now);
    const { reads, lookup } = details();
    const request = () => new JobAccess(alice, memo, lookup, SETTINGS);
    for (const job of ['job-a', 'job-b', 'job-unknown'])
      await request()
        .check(job)
        .catch(() => {});
    expect(reads).toEqual(['job-a', 'job-b', 'job-unknown']);
    for (const job of ['job-a', 'job-b', 'job-unknown'])
      await request()
        .check(job)
        .catch(() => {});
    expect(reads).toHaveLength(3);
    now += SETTINGS.refusalTtlMs + 1;
    for (const job of ['job-a', 'job-b', 'job-unknown'])
      await request()
        .check(job)
        .catch(() => {});
    expect(reads).toEqual(['job-a', 'job-b', 'job-unknown', 'job-b', 'job-unknown']);
    now += SETTINGS.ownershipTtlMs;
    await request().check('job-a');
    expect(reads.at(-1)).toBe('job-a');
  });

  it('lets other upstream failures through unremembered', async () => {
    const { reads, lookup } = details(upstreamHttpError(503, {}));
    const memo = new LocalOwnerMemo();
    for (let i = 0; i < 2; i++) {
      const error = await refusal(new JobAccess(alice, memo, lookup, SETTINGS).check('job-a'));
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    }
    expect(reads).toEqual(['job-a', 'job-a']);
  });

  it("keeps the caller's own jobs of a list page, confirmed for the request and the memo; drops the others", async () => {
    const { reads, lookup } = details();
    const memo = new LocalOwnerMemo();
    const events: object[] = [];
    const off = scopeEvents.foreignListed.subscribe((event) => events.push(event));
    const page = [
      { jobId: 'job-a', appUserId: 'alice' },
      { jobId: 'job-b', appUserId: 'bob' },
      { jobId: null, appUserId: 'alice' },
      { jobId: 'job-nobody', appUserId: null },
    ];
    const access = new JobAccess(alice, memo, lookup, SETTINGS);
    expect(access.ownListed(page)).toEqual([{ jobId: 'job-a', appUserId: 'alice' }]);
    off();
    expect(events.map((event) => (event as { jobId: string }).jobId)).toEqual(['job-b', '', 'job-nobody']);
    await access.check('job-a');
    await new JobAccess(alice, memo, lookup, SETTINGS).check('job-a');
    expect(reads).toEqual([]);
    // Unchecked callers get the page as it is.
    expect(new JobAccess({ kind: 'all' }, memo, lookup, SETTINGS).ownListed(page)).toEqual(page);
  });

  it('reports a foreign job as a refusal, with the app user id hashed; an unknown one not', async () => {
    const events: object[] = [];
    const off = scopeEvents.refusal.subscribe((event) => events.push(event));
    const { lookup } = details();
    const requester = {};
    const access = new JobAccess(alice, new LocalOwnerMemo(), lookup, SETTINGS, requester);
    await access.check('job-b').catch(() => {});
    await access.check('job-unknown').catch(() => {});
    off();
    expect(events).toEqual([
      {
        requester,
        reason: 'foreign_job',
        appUserIdHash: '2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90',
        jobId: 'job-b',
      },
    ]);
  });
});

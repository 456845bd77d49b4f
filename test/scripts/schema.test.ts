import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join('node_modules', '.bin', 'tsx');

describe('schema.graphql', () => {
  it('is up to date with the code, and the check fails on a stale copy', async () => {
    await expect(run(tsx, ['scripts/schema.ts', 'check'])).resolves.toMatchObject({
      stdout: expect.stringContaining('up to date'),
    });

    const stale = join(await mkdtemp(join(tmpdir(), 'schema-')), 'schema.graphql');
    const committed = await readFile('schema.graphql', 'utf8');
    await writeFile(stale, committed.replace('totalCount: Int!', 'totalCount: Int'));
    const failure = await run(tsx, ['scripts/schema.ts', 'check', stale]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('stale') });
  });

  it('carries the public contract names and federation v2 links', async () => {
    const sdl = await readFile('schema.graphql', 'utf8');
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(sdl).toMatch(/type TrainingJob\s+@key\(fields: "jobId"\)/);
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    expect(sdl).toContain('trainingJob(jobId: ID!): TrainingJob\n');
    expect(sdl).toContain('trainingJobs(jobIds: [ID!]!): [TrainingJob]!');
    expect(sdl).toContain('operationHistory(');
    expect(sdl).toMatch(/max: Int = 1000\n\s*\): \[OperationLogItem!\]!/);
    expect(sdl).toMatch(
      /operations\([\s\S]*?offset: Int[\s\S]*?limit: Int[\s\S]*?first: Int[\s\S]*?after: String\s*\): OperationLogConnection\n/,
    );
    for (const line of [
      'totalCount: Int!',
      'nodes: [OperationLogItem!]!',
      'edges: [OperationLogEdge!]!',
      'pageInfo: PageInfo!',
      'time: DateTime!',
      'action: OperationAction!',
      'operator: OperationOperator!',
      'externalInfo: OpExternalInfo',
      'reviewIdList: [String!]!',
      'algorithmFailureReason: String',
      'adminAuditFailureReason: String',
    ]) {
      expect(sdl).toContain(line);
    }
  });
});

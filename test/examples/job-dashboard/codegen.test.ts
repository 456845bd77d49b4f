// The dashboard's generated documents and trusted-documents manifest are what
// `npm run codegen` writes today, and its documents validate against the schema.
import { generate } from '@graphql-codegen/cli';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import config from '../../../examples/job-dashboard/codegen.js';

const outputDir = Object.keys(config.generates)[0]!;

describe('job dashboard codegen', () => {
  it('has written every generated file as codegen would now', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, silent: true }, false);
    expect(outputs.map((o) => relative(outputDir, o.filename)).sort()).toEqual(readdirSync(outputDir).sort());
    for (const { filename, content } of outputs) {
      expect(readFileSync(filename, 'utf8'), `${relative(process.cwd(), filename)} is stale: run npm run codegen`).toBe(
        content,
      );
    }
  });

  it('fails on a document that does not validate against the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-codegen-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'Broken.tsx'), 'graphql(`query Broken { trainingJob(jobId: "x") { jobId progress } }`);\n');
    const broken = { ...config, documents: [join(dir, '*.tsx')], silent: true };
    await expect(generate(broken, false)).rejects.toThrow(/Cannot query field "progress" on type "TrainingJob"/);
  });
});

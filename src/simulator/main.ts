// `npm run simulator`: the embedded MetaStudio on its own, for people building
// against it. Its credentials are throwaway, so it prints them.
import { FAULT_JOB_IDS, startSimulator } from './simulator.js';
import { JOB_HISTORIES } from './histories.js';
import { MAX_LIVE_STEP_MS, MIN_LIVE_STEP_MS } from './liveJob.js';

function intFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    console.error(`${name} must be a whole number from 0 to ${max}`);
    process.exit(1);
  }
  return Number(raw);
}

const simulator = await startSimulator({
  port: intFromEnv('SIMULATOR_PORT', 9000, 65535),
  // 0.0.0.0 in a container, for the servers in the others.
  host: process.env.SIMULATOR_HOST || '127.0.0.1',
  latencyMs: intFromEnv('SIMULATOR_LATENCY_MS', 0, 60_000),
  recordRequests: false,
  credentials: {
    accessKey: process.env.SIMULATOR_AK || 'SIMULATORAK000000000',
    secretKey: process.env.SIMULATOR_SK || 'simulator-throwaway-secret-key',
  },
  projectId: process.env.SIMULATOR_PROJECT_ID || '0123456789abcdef0123456789abcdef',
});

console.log(`MetaStudio simulator on ${simulator.url}
Jobs: ${[...JOB_HISTORIES.keys(), ...FAULT_JOB_IDS].join(', ')}
Live jobs: live-<stepMs>-<name> gains an operation every stepMs (${MIN_LIVE_STEP_MS} to ${MAX_LIVE_STEP_MS}) from the first request until COMPLETE_JOB; with "rejected" in the name it ends rejected
Point the server at it (throwaway credentials):
  METASTUDIO_ENDPOINT=${simulator.url} METASTUDIO_PROJECT_ID=${simulator.projectId} CLOUD_SDK_AK=${simulator.credentials.accessKey} CLOUD_SDK_SK=${simulator.credentials.secretKey} npm start`);

const stop = () => void simulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

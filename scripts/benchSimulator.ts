// The benchmark's upstream: the simulator in a process of its own, so that its
// work and the load generator's do not queue on one event loop. It serves
// `jobs` jobs of 151 operations each (bench-0 ..., argv[2]), so that concurrent
// queries rarely ask for the same job and single-flight does not flatter us.
// Over IPC: {latencyMs} sets the latency; every message is answered with the
// request count so far.
import { JOB_HISTORIES } from '../src/simulator/histories.js';
import { startSimulator } from '../src/simulator/simulator.js';

export type SimulatorMessage = { latencyMs: number } | { count: true };
export type SimulatorReport =
  | { url: string; projectId: string; accessKey: string; secretKey: string }
  | { count: number };

const history = JOB_HISTORIES.get('job-long-history')!;
const simulator = await startSimulator({
  recordRequests: false,
  histories: new Map(Array.from({ length: Number(process.argv[2]) }, (_, i) => [`bench-${i}`, history] as const)),
});
const send = (report: SimulatorReport) => process.send!(report);
process.on('message', (message: SimulatorMessage) => {
  if ('latencyMs' in message) simulator.latencyMs = message.latencyMs;
  send({ count: simulator.requestCount });
});
process.on('disconnect', () => void simulator.close().then(() => process.exit(0)));
send({ url: simulator.url, projectId: simulator.projectId, ...simulator.credentials });

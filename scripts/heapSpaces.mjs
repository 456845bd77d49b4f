// Preloaded by scripts/memory.ts (`node --import ./scripts/heapSpaces.mjs dist/main.js`): samples
// V8's heap spaces every 50 ms and, on SIGUSR2, writes the peak of each (bytes in use and
// committed), the peak RSS and heap limit to HEAP_SPACES_OUT as JSON. Never part of the server.
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const peaks = {};
const note = (name, used, size) => {
  const peak = peaks[name] ?? { used: 0, size: 0 };
  peaks[name] = { used: Math.max(peak.used, used), size: Math.max(peak.size, size) };
};
const sample = () => {
  for (const space of getHeapSpaceStatistics()) note(space.space_name, space.space_used_size, space.space_size);
  const { external } = process.memoryUsage();
  note('external', external, external);
};
setInterval(sample, 50).unref();
process.on('SIGUSR2', () => {
  sample();
  writeFileSync(
    process.env.HEAP_SPACES_OUT,
    JSON.stringify({ peaks, heapSizeLimit: getHeapStatistics().heap_size_limit, now: process.memoryUsage() }),
  );
});

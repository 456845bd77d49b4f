// `npm start`: runs the built server from dist/, building it first when dist/ is
// missing or older than src/ (a fresh clone, a pull, an edit).
import { build, isStale } from './build.mjs';

if (isStale()) {
  console.error('dist/ is missing or older than src/: building (npm run build)...');
  await build();
}
await import('../dist/main.js');

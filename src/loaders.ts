// Per-request DataLoaders. One set is made for each GraphQL request, so caching
// never leaks between callers; within a request, every field that asks for the
// same window of the same job shares one upstream call.
import DataLoader from 'dataloader';
import { upstreamEvents } from './upstream/events.js';
import type { MetaStudioClient, OpLogWindow } from './upstream/client.js';
import type { OpLogPage } from './upstream/opLogPage.js';

export interface Loaders {
  opLogWindow: DataLoader<OpLogWindow, OpLogPage, string>;
}

export function createLoaders(client: MetaStudioClient): Loaders {
  return {
    opLogWindow: new DataLoader<OpLogWindow, OpLogPage, string>(
      // Distinct windows go out together; the client caps how many run at once.
      // A failed window becomes that key's error, the others still resolve.
      (windows) => {
        upstreamEvents.loaderBatch.publish({ loader: 'opLogWindow', size: windows.length });
        return Promise.all(windows.map((w) => client.listOperationLogs(w).catch((error: Error) => error)));
      },
      {
        // Everything that changes the answer is in the key, the project included.
        cacheKeyFn: ({ jobId, offset, limit }) => JSON.stringify([client.projectId, jobId, offset, limit]),
      },
    ),
  };
}

// A subscription asked for without accepting text/event-stream (yoga serves
// subscriptions over no other HTTP stream, multipart/mixed included) gets 406
// from yoga, which leaves the subscription running with nobody to read it: its
// poller would go on polling for nothing. End it.
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

export function useEndUnservedSubscriptions(): Plugin {
  return {
    // Runs after yoga's own result processors have had their say.
    onResultProcess({ result, resultProcessor }) {
      if (!resultProcessor && isAsyncIterable(result)) void result[Symbol.asyncIterator]().return?.();
    },
  };
}

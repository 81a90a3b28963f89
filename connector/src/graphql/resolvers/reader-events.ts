import { Repeater } from '@repeaterjs/repeater';
import type { SubscriptionResolvers } from '../generated/resolvers.js';
import type { ReaderEvent } from '../../card/reader-types.js';

/** Reader and card events as a GraphQL subscription; unsubscribes when the stream ends. */
export const readerEventsSubscription: SubscriptionResolvers['readerEvents'] = {
  subscribe: (_p, _a, { services }) =>
    new Repeater<{ readerEvents: ReaderEvent }>(async (push, stop) => {
      const off = services.readers.subscribe((e) => void push({ readerEvents: e }));
      await stop;
      off();
    }),
};

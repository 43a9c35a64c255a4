// @segment/analytics-node (server): every call of the scenario, then the duplicate messageId in a second request.
import { Analytics } from '@segment/analytics-node';
import { delivered, fail, run, scenario as s } from './lib/run.mjs';

await run('@segment/analytics-node', async ({ url, writeKey }) => {
  const analytics = new Analytics({ writeKey, host: url, maxRetries: 2, flushInterval: 100 });
  analytics.on('error', (err) => fail(err.reason ?? err));
  const ids = { userId: s.userId, anonymousId: s.anonymousId };
  await Promise.all([
    delivered((cb) => analytics.identify({ ...ids, traits: s.identify.traits }, cb)),
    delivered((cb) => analytics.track({ ...ids, event: s.track.event, properties: s.track.properties }, cb)),
    delivered((cb) => analytics.page({ anonymousId: s.anonymousId, ...s.page }, cb)),
    delivered((cb) => analytics.screen({ ...ids, ...s.screen }, cb)),
    delivered((cb) => analytics.group({ ...ids, ...s.group }, cb)),
    delivered((cb) => analytics.alias({ userId: s.userId, previousId: s.anonymousId }, cb)),
    delivered((cb) => analytics.track({ ...ids, ...s.duplicate }, cb)),
    analytics.flush(),
  ]);
  // A client that resends an event it already sent: same messageId, new request.
  await Promise.all([delivered((cb) => analytics.track({ ...ids, ...s.duplicate }, cb)), analytics.closeAndFlush()]);
});

// @rudderstack/rudder-sdk-node (server): gzip bodies labelled x-www-form-urlencoded; the first event goes out alone.
import Analytics from '@rudderstack/rudder-sdk-node';
import { delivered, fail, run, scenario as s } from './lib/run.mjs';

await run('@rudderstack/rudder-sdk-node', async ({ url, writeKey }) => {
  // Without an errorHandler a failed flush is an unhandled rejection; with one, we fail loudly ourselves.
  const client = new Analytics(writeKey, { dataPlaneUrl: url, retryCount: 1, flushInterval: 100, errorHandler: fail });
  const ids = { userId: s.userId, anonymousId: s.anonymousId };
  await Promise.all([
    delivered((cb) => client.identify({ ...ids, traits: s.identify.traits }, cb)),
    delivered((cb) => client.track({ ...ids, event: s.track.event, properties: s.track.properties }, cb)),
    delivered((cb) => client.page({ anonymousId: s.anonymousId, ...s.page }, cb)),
    delivered((cb) => client.screen({ ...ids, ...s.screen }, cb)),
    delivered((cb) => client.group({ ...ids, ...s.group }, cb)),
    delivered((cb) => client.alias({ userId: s.userId, previousId: s.anonymousId }, cb)),
    delivered((cb) => client.track({ ...ids, ...s.duplicate }, cb)),
    client.flush(),
  ]);
  // A client that resends an event it already sent: same messageId, new request.
  await Promise.all([delivered((cb) => client.track({ ...ids, ...s.duplicate }, cb)), client.flush()]);
});

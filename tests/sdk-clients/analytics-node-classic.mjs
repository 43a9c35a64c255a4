// Classic analytics-node 6.2.0 (Segment's deprecated server SDK, axios with Basic auth); same calls as the others.
import Analytics from 'analytics-node';
import { delivered, fail, run, scenario as s } from './lib/run.mjs';

await run('analytics-node', async ({ url, writeKey }) => {
  const client = new Analytics(writeKey, { host: url, retryCount: 1, flushInterval: 100, errorHandler: fail });
  const ids = { userId: s.userId, anonymousId: s.anonymousId };
  await Promise.all([
    delivered((cb) => client.identify({ ...ids, traits: s.identify.traits }, cb)),
    delivered((cb) => client.track({ ...ids, event: s.track.event, properties: s.track.properties }, cb)),
    delivered((cb) => client.page({ anonymousId: s.anonymousId, ...s.page }, cb)),
    delivered((cb) => client.screen({ ...ids, ...s.screen }, cb)),
    delivered((cb) => client.group({ ...ids, ...s.group }, cb)),
    delivered((cb) => client.alias({ userId: s.userId, previousId: s.anonymousId }, cb)),
    delivered((cb) => client.track({ ...ids, ...s.duplicate }, cb)),
  ]);
  await client.flush();
  // A client that resends an event it already sent: same messageId, new request.
  await Promise.all([delivered((cb) => client.track({ ...ids, ...s.duplicate }, cb)), client.flush()]);
});

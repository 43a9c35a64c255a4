// @segment/analytics-node retrying a batch whose acknowledgement was lost: the server stores the first attempt,
// the client sees a 503 instead of the 200 and resends the same events (same messageIds, new sentAt, X-Retry-Count).
// The SDK is unmodified; its documented `httpClient` option lets us drop the first answer on the client side.
import { Analytics } from '@segment/analytics-node';
import { delivered, fail, run, scenario as s } from './lib/run.mjs';

await run('@segment/analytics-node (lost ack)', async ({ url, writeKey }) => {
  const attempts = [];
  const losingFirstAck = async (input, init) => {
    const response = await fetch(input, init);
    attempts.push(init.headers['X-Retry-Count'] ?? '0');
    return attempts.length === 1 ? new Response('{}', { status: 503, statusText: 'ack lost on the way' }) : response;
  };
  const analytics = new Analytics({ writeKey, host: url, maxRetries: 3, flushInterval: 100, httpClient: losingFirstAck });
  analytics.on('error', (err) => fail(err.reason ?? err));
  const ids = { userId: s.userId, anonymousId: s.anonymousId };
  await Promise.all([
    delivered((cb) => analytics.identify({ ...ids, traits: s.identify.traits }, cb)),
    delivered((cb) => analytics.track({ ...ids, event: s.track.event, properties: s.track.properties }, cb)),
    analytics.closeAndFlush(),
  ]);
  if (attempts.join() !== '0,1') fail(new Error(`expected one retry of one batch, saw X-Retry-Count ${attempts.join()}`));
});

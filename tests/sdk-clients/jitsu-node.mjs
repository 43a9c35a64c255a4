// @jitsu/js in Node: one POST /api/s/{type} per call with X-Write-Key "id:secret". It has no screen, alias or
// messageId option (it always draws its own), so the duplicate is not sent. The page goes first, while anonymous;
// Jitsu's page(name, properties) puts the name (and here the category) inside properties.
import { jitsuAnalytics } from '@jitsu/js';
import { fail, run, scenario as s } from './lib/run.mjs';

await run('@jitsu/js', async ({ url, writeKey }) => {
  // Jitsu refuses a key without a colon; the server tries the whole key, then each side of the first colon.
  const key = writeKey.includes(':') ? writeKey : `sdk-test:${writeKey}`;
  const analytics = jitsuAnalytics({ host: url, writeKey: key, errorPolicy: fail, fetchTimeoutMs: 10_000 });
  analytics.setAnonymousId(s.anonymousId);
  // Each call resolves once the server's JSON answer is parsed; errors go to errorPolicy.
  await analytics.page(s.page.name, { category: s.page.category, ...s.page.properties });
  await analytics.identify(s.userId, s.identify.traits);
  await analytics.track(s.track.event, s.track.properties);
  await analytics.group(s.group.groupId, s.group.traits);
});

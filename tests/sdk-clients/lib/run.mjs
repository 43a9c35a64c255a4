// What every SDK script shares: the target from argv or env, the scenario, and a runner that exits non-zero on any error.
import { readFileSync } from 'node:fs';

export const scenario = JSON.parse(readFileSync(new URL('../scenario.json', import.meta.url), 'utf8'));

export function target() {
  const [url = process.env.SAMLET_URL, writeKey = process.env.SAMLET_WRITE_KEY] = process.argv.slice(2);
  if (!url || !writeKey) {
    console.error('usage: node <script>.mjs <baseUrl> <writeKey>   (or set SAMLET_URL and SAMLET_WRITE_KEY)');
    process.exit(2);
  }
  return { url: url.replace(/\/+$/, ''), writeKey };
}

// Wraps an SDK call that takes a Node-style callback; settles when the SDK reports the event delivered or failed.
export const delivered = (call) => new Promise((resolve, reject) => call((err) => (err ? reject(err) : resolve())));

export function fail(err) {
  console.error(`FAILED: ${err?.stack ?? err}`);
  process.exit(1);
}

// Runs the sends, then exits explicitly: 0 once every event is acknowledged, 1 on any SDK error or after 60 s.
export async function run(name, send) {
  const started = performance.now();
  process.on('unhandledRejection', fail);
  process.on('uncaughtException', fail);
  setTimeout(() => fail(new Error('timed out after 60 s')), 60_000).unref();
  try {
    await send(target());
  } catch (err) {
    fail(err);
  }
  console.log(`${name}: all events acknowledged in ${Math.round(performance.now() - started)} ms`);
  process.exit(0);
}

// The whole scenario through a Segment-style server client (identify, track, page, screen, group, alias, each taking
// a callback), then the duplicate again in a new request. `flush` starts a send; `finish` ends the client.
export async function sendScenario(client, flush, finish = flush) {
  const ids = { userId: scenario.userId, anonymousId: scenario.anonymousId };
  await Promise.all([
    delivered((cb) => client.identify({ ...ids, traits: scenario.identify.traits }, cb)),
    delivered((cb) => client.track({ ...ids, event: scenario.track.event, properties: scenario.track.properties }, cb)),
    delivered((cb) => client.page({ anonymousId: scenario.anonymousId, ...scenario.page }, cb)),
    delivered((cb) => client.screen({ ...ids, ...scenario.screen }, cb)),
    delivered((cb) => client.group({ ...ids, ...scenario.group }, cb)),
    delivered((cb) => client.alias({ userId: scenario.userId, previousId: scenario.anonymousId }, cb)),
    delivered((cb) => client.track({ ...ids, ...scenario.duplicate }, cb)),
    flush(),
  ]);
  // A client that resends an event it already sent: same messageId, new request.
  await Promise.all([delivered((cb) => client.track({ ...ids, ...scenario.duplicate }, cb)), finish()]);
}

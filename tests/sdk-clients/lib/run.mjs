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

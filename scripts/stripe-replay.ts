/**
 * Re-sends Stripe events to a running webhook with valid signatures, for support ("apply this event again") and tests:
 *
 *   tsx scripts/stripe-replay.ts --url http://127.0.0.1:3000/api/webhooks/stripe --event evt_123 [--event evt_456]
 *   tsx scripts/stripe-replay.ts --url … --failed           every stored event whose processing failed
 *   tsx scripts/stripe-replay.ts --url … --file events.json  fixture events (one event or an array)
 *
 * Stored events are read from DATABASE_URL (subscription_events.payload). The signature uses STRIPE_WEBHOOK_SECRET.
 * An event already applied is stored once and applied once, so replaying it is harmless; a failed one is marked for
 * another try first (its row is kept, its outcome cleared, and a new job queued).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { createPool, withService } from '@quire/db';
import { enqueueJob } from '@quire/db/jobs';

const { values } = parseArgs({
  options: { url: { type: 'string' }, event: { type: 'string', multiple: true }, failed: { type: 'boolean' }, file: { type: 'string' } },
});
const secret = process.env.STRIPE_WEBHOOK_SECRET;
if (!values.url || !secret || (!values.event?.length && !values.failed && !values.file)) {
  console.error('usage: STRIPE_WEBHOOK_SECRET=… tsx scripts/stripe-replay.ts --url <webhook> (--event <id>… | --failed | --file <json>)');
  process.exit(2);
}
const stripe = new Stripe('sk_replay_unused');

async function storedEvents(): Promise<object[]> {
  const pool = createPool(process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/quire`, { max: 1 });
  try {
    // withService: an operator's support tool, no signed-in person
    return await withService(pool, async (tx) => {
      const { rows } = values.failed
        ? await tx.query(`select stripe_event_id, payload from public.subscription_events where outcome = 'failed' and processed_at is null order by received_at`)
        : await tx.query(`select stripe_event_id, payload from public.subscription_events where stripe_event_id = any($1)`, [values.event]);
      // a stored event is a duplicate to the webhook: queue its processing again directly
      for (const row of rows) {
        await tx.query(`update public.subscription_events set outcome = null, error = null where stripe_event_id = $1 and processed_at is null`, [row.stripe_event_id]);
        await enqueueJob({ tx }, 'stripe-event', { eventId: row.stripe_event_id });
      }
      return rows.map((row) => row.payload as object);
    });
  } finally {
    await pool.end();
  }
}

const events: object[] = values.file ? [JSON.parse(await readFile(values.file, 'utf8'))].flat() : await storedEvents();
// an id that is not stored (a typo, another studio's database) must not pass for a successful replay
const missing = values.file || values.failed ? [] : (values.event ?? []).filter((id) => !events.some((event) => (event as { id?: string }).id === id));
for (const id of missing) console.error(`${id}: no such event stored in this database`);
let failed = 0;
for (const event of events) {
  const payload = JSON.stringify(event);
  const response = await fetch(values.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret }) },
    body: payload,
  });
  const id = (event as { id?: string }).id ?? '(no id)';
  console.log(`${id}: ${response.status} ${await response.text()}`);
  if (!response.ok) failed++;
}
console.log(`${events.length} event(s) sent, ${failed} refused${missing.length ? `, ${missing.length} not found` : ''}`);
process.exitCode = failed || missing.length ? 1 : 0;

/**
 * The two steps of a webhook event, on SQLite and PostgreSQL: the change's transaction queues one
 * event job naming its subscriptions; the event job writes their deliveries once, even when run again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { databaseKinds, type TestDatabase } from '../../../../test/helpers/databases.ts';
import type { RegistryDatabase } from '../db/database.ts';
import type { ClaimedJob, JobHandler } from '../jobs/runner.ts';
import type { AuditEntry } from '../registry/audit.ts';
import { webhookEventHandler } from './event-job.ts';
import { DELIVER_JOB, emitWebhookEvents, EVENT_JOB, type EventPayload } from './fan-out.ts';

const AT = '2026-03-01T12:00:00.000Z';

for (const kind of databaseKinds) {
  describe(`webhook events on ${kind.name}`, { skip: kind.skip }, () => {
    let database: TestDatabase;
    let db: RegistryDatabase;
    let packageId: number;
    let published: number;
    let yanked: number;

    before(async () => {
      database = await kind.create();
      db = await database.open();
      const k = db.kysely;
      const user = await k
        .insertInto('users')
        .values({ username: 'alice', email: 'a@example.com', password_hash: 'x', is_active: 1, created_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow();
      const pkg = await k
        .insertInto('packages')
        .values({ name: 'hooked', canonical_name: 'hooked', keywords: '[]', created_at: AT, updated_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow();
      packageId = Number(pkg.id);
      await k.insertInto('package_owners').values({ package_id: packageId, user_id: user.id, created_at: AT }).execute();
      const hook = (events: string[]) =>
        k
          .insertInto('webhooks')
          .values({
            owner_id: user.id,
            url: 'https://example.com/hook',
            events: JSON.stringify(events),
            secret: 'whsec_x',
            created_at: AT,
            updated_at: AT,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      published = Number((await hook(['package.published'])).id);
      yanked = Number((await hook(['version.yanked'])).id);
    });
    after(() => database.cleanup());

    const entry = (version: string): AuditEntry => ({
      action: 'publish',
      actor: null,
      package: { id: packageId, name: 'hooked' },
      version,
      at: AT,
    });
    const jobs = (kindName: string) => db.kysely.selectFrom('jobs').selectAll().where('kind', '=', kindName).orderBy('id').execute();
    const asClaimed = (row: { id: number; kind: string; payload: string }): ClaimedJob => ({
      id: row.id,
      kind: row.kind,
      payload: JSON.parse(row.payload),
      attempt: 1,
      maxAttempts: 13,
      orderingKey: null,
      createdAt: new Date(AT),
    });
    const run: JobHandler = (job, c) => webhookEventHandler({ db })(job, c);
    const ctx = { now: () => new Date(AT), signal: new AbortController().signal };

    test('the change queues one event job for the subscriptions listening, and no delivery yet', async () => {
      await db.kysely.transaction().execute((trx) => emitWebhookEvents(trx, entry('1.0.0')));
      const [event, ...more] = await jobs(EVENT_JOB);
      assert.equal(more.length, 0);
      const payload = JSON.parse(event!.payload) as EventPayload;
      assert.deepEqual(
        payload.deliveries.map(([hook]) => hook),
        [published],
      );
      assert.match(payload.deliveries[0]![1], /^msg_[0-9a-z]{9}[\w-]{22}$/);
      assert.equal(event!.ordering_key, `webhook-event:${packageId}`);
      assert.deepEqual(await db.kysely.selectFrom('webhook_deliveries').select('id').execute(), []);
      assert.ok(yanked > 0);
    });

    test('the event job writes each delivery and its job once, however often it runs', async () => {
      const [event] = await jobs(EVENT_JOB);
      const payload = JSON.parse(event!.payload) as EventPayload;
      assert.deepEqual(await run(asClaimed(event!), ctx), { status: 'done' });
      assert.deepEqual(await run(asClaimed(event!), ctx), { status: 'done' });
      const rows = await db.kysely.selectFrom('webhook_deliveries').selectAll().execute();
      assert.deepEqual(
        rows.map((r) => [r.id, Number(r.webhook_id), r.event, r.body, r.state]),
        [[payload.deliveries[0]![1], published, 'package.published', payload.body, 'pending']],
      );
      const deliveries = await jobs(DELIVER_JOB);
      assert.deepEqual(
        deliveries.map((j) => [JSON.parse(j.payload), j.ordering_key]),
        [[{ deliveryId: rows[0]!.id }, `webhook:${packageId}:${published}`]],
      );
    });

    test('a subscription deleted before its event job runs gets no delivery', async () => {
      await db.kysely.transaction().execute((trx) => emitWebhookEvents(trx, entry('1.0.1')));
      const event = (await jobs(EVENT_JOB)).at(-1)!;
      await db.kysely.deleteFrom('webhooks').where('id', '=', published).execute();
      assert.deepEqual(await run(asClaimed(event), ctx), { status: 'done' });
      assert.deepEqual(await db.kysely.selectFrom('webhook_deliveries').select('id').execute(), []);
      assert.equal((await jobs(DELIVER_JOB)).length, 1);
    });

    test('a malformed payload is a failed job, not a retry', async () => {
      const outcome = await run({ ...asClaimed({ id: 0, kind: EVENT_JOB, payload: '{"event":"x"}' }) }, ctx);
      assert.deepEqual(outcome, { status: 'failed', error: 'the payload is not a webhook event' });
    });
  });
}

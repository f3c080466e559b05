/**
 * Operator commands (the server's own database, DATABASE_URL or the embedded default of `npm start`):
 *
 *   pnpm quire plan set <email> <free|pro|team>   set an account's plan (self-hosting without Stripe)
 *   pnpm quire plan show <email>                  print an account's plan and status
 *   pnpm quire failures [hours]                   failed jobs and webhooks of the last hours (24), with their ids
 *
 * Only someone with the database's credentials can run it: it is the owner's tool, not the users'.
 */
import { createPool } from '@quire/db';
import { setPlanByEmail } from '@quire/db/billing';
import { listRecentFailures } from '@quire/db/failures';
import { isTier, TIERS } from '@quire/domain';

const USAGE = `usage: pnpm quire plan set <email> <${TIERS.join('|')}>
       pnpm quire plan show <email>
       pnpm quire failures [hours]`;

function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/quire`;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'failures') return failures(argv[1]);
  const [group, command, email, tier] = argv;
  if (group !== 'plan' || !email || (command === 'set' ? !tier : command !== 'show')) {
    console.error(USAGE);
    return 2;
  }
  const pool = createPool(databaseUrl(), { max: 1, applicationName: 'quire-cli' });
  try {
    if (command === 'set') {
      if (!isTier(tier)) {
        console.error(`unknown plan "${tier}": choose one of ${TIERS.join(', ')}`);
        return 2;
      }
      if (!(await setPlanByEmail(pool, email, tier))) {
        console.error(`no account with the email ${email}`);
        return 1;
      }
      console.log(`${email} is now on the ${tier} plan`);
      return 0;
    }
    const { rows } = await pool.query(`select subscription_tier, subscription_status, stripe_customer_id from public.user_profiles where lower(email) = lower($1)`, [email]);
    if (!rows[0]) {
      console.error(`no account with the email ${email}`);
      return 1;
    }
    console.log(`${email}: ${rows[0].subscription_tier} (${rows[0].subscription_status})${rows[0].stripe_customer_id ? `, Stripe customer ${rows[0].stripe_customer_id}` : ''}`);
    return 0;
  } finally {
    await pool.end();
  }
}

/** One line per failure, newest first: when, what, which attempt, the ids support looks up, and the error. */
async function failures(hoursArg: string | undefined): Promise<number> {
  const hours = hoursArg === undefined ? 24 : Number(hoursArg);
  if (!Number.isFinite(hours) || hours <= 0) {
    console.error(USAGE);
    return 2;
  }
  const pool = createPool(databaseUrl(), { max: 1, applicationName: 'quire-cli' });
  try {
    const rows = await listRecentFailures(pool, hours);
    if (!rows.length) console.log(`no job or webhook failed in the last ${hours} hours`);
    for (const f of rows) {
      const what = f.kind === 'job' ? `job ${f.source}` : `webhook ${f.source}${f.reason ? ` (${f.reason})` : ''}`;
      const attempt = f.attempt === null ? '' : ` attempt ${f.attempt}`;
      const ids = [f.referenceId && `id ${f.referenceId}`, f.userId && `user ${f.userId}`, f.projectId && `project ${f.projectId}`].filter(Boolean).join(', ');
      const error = f.error ? `: ${f.error.name}: ${f.error.message}` : '';
      console.log(`${f.createdAt.toISOString()}  ${what}${attempt}${f.final ? ', final' : ', retried'}${ids ? `  [${ids}]` : ''}${error}`);
    }
    return 0;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`quire: ${error.message}`);
  return 1;
});

/**
 * Operator commands (the server's own database, DATABASE_URL or the embedded default of `npm start`):
 *
 *   pnpm quire plan set <email> <free|pro|team>   set an account's plan (self-hosting without Stripe)
 *   pnpm quire plan show <email>                  print an account's plan and status
 *
 * Only someone with the database's credentials can run it: it is the owner's tool, not the users'.
 */
import { createPool } from '@quire/db';
import { setPlanByEmail } from '@quire/db/billing';
import { isTier, TIERS } from '@quire/domain';

const USAGE = `usage: pnpm quire plan set <email> <${TIERS.join('|')}>
       pnpm quire plan show <email>`;

function databaseUrl(): string {
  return process.env.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/quire`;
}

async function main(argv: string[]): Promise<number> {
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

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`quire: ${error.message}`);
  return 1;
});

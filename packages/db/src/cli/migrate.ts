import { migrate } from '../migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set. Point it at Postgres, or run `npm start`, which starts an embedded one.');
  process.exit(1);
}
try {
  const result = await migrate(url, { log: (line) => console.log(line) });
  console.log(result.applied.length ? `${result.applied.length} migration(s) applied` : 'database already up to date');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

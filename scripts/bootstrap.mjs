#!/usr/bin/env node
// The two commands of the README's quick start. Only Node's own modules here: this runs before anything is installed.
//   node scripts/bootstrap.mjs start   install, then start Postgres (embedded), collab and web
//   node scripts/bootstrap.mjs test    install (including the browser the end-to-end tests drive), then run every test
//   node scripts/bootstrap.mjs install the same installs as test, and nothing else (CI's first step)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
const PNPM_VERSION = '10';
// The runtime the project is tested on (Hocuspocus 4 needs Node >= 22; Node 20 is past its end of life).
const NODE_MAJOR = 22;
const NODE_VERSION = '22.23.5';

function say(line) {
  console.log(`\x1b[36mquire\x1b[0m ${line}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

function works(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** pnpm from the npm registry (corepack's own download is not reachable everywhere). */
function pnpm() {
  if (works('pnpm', ['--version'])) return ['pnpm', []];
  say(`installing pnpm@${PNPM_VERSION} from the npm registry`);
  if (works('npm', ['install', '--global', '--no-fund', '--no-audit', `pnpm@${PNPM_VERSION}`]) && works('pnpm', ['--version'])) {
    return ['pnpm', []];
  }
  return ['npx', ['--yes', `pnpm@${PNPM_VERSION}`]];
}

function install([bin, prefix]) {
  say('installing packages');
  run(bin, [...prefix, 'install', '--frozen-lockfile', '--reporter=append-only']);
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  say("installing Debian's Chromium for the browser tests");
  ensureAptPackage('chromium');
}

/**
 * The export tests check their output with Debian's tools: epubcheck (EPUB validity), pandoc (the benchmark's
 * baseline) and poppler-utils (pdftoppm for docs/exports samples). One apt run installs whichever are missing.
 */
function ensureExportTools() {
  const missing = [
    ['epubcheck', '/usr/share/java/epubcheck.jar'],
    ['pandoc', '/usr/bin/pandoc'],
    ['poppler-utils', '/usr/bin/pdftoppm'],
  ].filter(([, file]) => !existsSync(file));
  if (missing.length === 0) return;
  say(`installing Debian's ${missing.map(([name]) => name).join(', ')} for the export tests`);
  ensureAptPackage(...missing.map(([name]) => name));
}

function reachable(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/** The scale-out tests need a Redis; use the machine's, starting one if it is installed but stopped. */
async function ensureRedis() {
  if (process.env.REDIS_URL || (await reachable(6379))) return;
  if (!works('redis-server', ['--version'])) {
    say("installing Debian's redis-server for the scale-out tests");
    ensureAptPackage('redis-server');
  }
  say('starting redis-server on 127.0.0.1:6379');
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 50 && !(await reachable(6379)); i++) await new Promise((r) => setTimeout(r, 100));
}

function ensureAptPackage(...names) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (process.getuid?.() === 0) {
    run('apt-get', ['update'], { env });
    run('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env });
  } else {
    run('sudo', ['apt-get', 'update'], { env });
    run('sudo', ['apt-get', 'install', '-y', '--no-install-recommends', ...names], { env });
  }
}

function handOver([bin, prefix], args, env = process.env) {
  const child = spawn(bin, [...prefix, ...args], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/**
 * An older node installs Node NODE_VERSION from the npm registry (the node-<platform>-<arch> packages carry the
 * official binaries) into .runtime/ and runs this script again with it, first on PATH so that pnpm, tsx and every
 * server and test below use it too.
 */
function ensureNode() {
  if (Number(process.versions.node.split('.')[0]) >= NODE_MAJOR) return false;
  const prefix = path.join(root, '.runtime', `node-${NODE_VERSION}`);
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = path.join(prefix, 'node_modules', pkg, 'bin');
  const node = path.join(bin, process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(node)) {
    say(`Node ${process.versions.node} is older than ${NODE_MAJOR}: installing Node ${NODE_VERSION} from the npm registry into .runtime/`);
    run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-fund', '--no-audit', `${pkg}@${NODE_VERSION}`]);
  }
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  handOver([node, []], [fileURLToPath(import.meta.url), ...process.argv.slice(2)], env);
  return true;
}

try {
  const tool = ensureNode() ? undefined : pnpm();
  if (!tool) {
    // the newer node runs this script again
  } else if (mode === 'start') {
    install(tool);
    // node itself runs the launcher, so a SIGTERM reaches it directly and it can stop its servers in order
    handOver([process.execPath, []], ['--import', 'tsx', 'scripts/launch.ts']);
  } else if (mode === 'install') {
    // what the tests need, without running them: CI lints and builds between this and `npm test`
    install(tool);
    ensureChromium();
    ensureExportTools();
    await ensureRedis();
  } else if (mode === 'test') {
    install(tool);
    ensureChromium();
    ensureExportTools();
    await ensureRedis();
    say('building the web app once for the end-to-end tests');
    run(tool[0], [...tool[1], 'exec', 'tsx', 'scripts/launch.ts', '--build-only']);
    handOver(tool, ['exec', 'vitest', 'run', ...process.argv.slice(3)]);
  } else {
    console.error('usage: node scripts/bootstrap.mjs start|test|install');
    process.exit(2);
  }
} catch (error) {
  console.error(`\nquire: ${error.message}`);
  process.exit(1);
}

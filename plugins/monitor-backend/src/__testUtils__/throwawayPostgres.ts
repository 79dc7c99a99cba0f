import { execFile } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { Knex } from 'knex';
import getPort from 'get-port';

const run = promisify(execFile);

function serverBinaries(): string {
  if (process.env.PG_BINDIR) {
    return process.env.PG_BINDIR;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort() : [];
  const found = versions
    .map(version => join(root, version, 'bin'))
    .filter(dir => existsSync(join(dir, 'pg_ctl')))
    .pop();
  if (!found) {
    throw new Error(
      'No PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql; set PG_BINDIR',
    );
  }
  return found;
}

/**
 * A PostgreSQL server of a test's own, in a temporary folder on a port of
 * its own, that the test may stop and start: never the machine's shared
 * server. Made with the server binaries already on the machine.
 */
export class ThrowawayPostgres {
  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly asPostgres: string[],
  ) {}

  static async create(): Promise<ThrowawayPostgres> {
    const bin = serverBinaries();
    const folder = mkdtempSync(join(tmpdir(), 'monitor-throwaway-pg-'));
    // initdb refuses to run as root: run the server as the postgres user.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const { stdout } = await run('id', ['-u', 'postgres']);
      const { stdout: gid } = await run('id', ['-g', 'postgres']);
      chownSync(folder, Number(stdout.trim()), Number(gid.trim()));
    }
    const server = new ThrowawayPostgres(
      bin,
      folder,
      await getPort({ host: '127.0.0.1' }),
      asRoot ? ['runuser', '-u', 'postgres', '--'] : [],
    );
    await server.exec('initdb', [
      '-D',
      join(folder, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
    ]);
    await server.start();
    return server;
  }

  private async exec(program: string, args: string[]) {
    const [command, ...prefix] = [...this.asPostgres, join(this.bin, program)];
    return run(command, [...prefix, ...args], { cwd: this.dataDir });
  }

  async start() {
    await this.exec('pg_ctl', [
      '-D',
      join(this.dataDir, 'data'),
      '-l',
      join(this.dataDir, 'server.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  }

  /** Stops the server at once, as a crash or a failover would. */
  async stop() {
    await this.exec('pg_ctl', [
      '-D',
      join(this.dataDir, 'data'),
      '-m',
      'immediate',
      '-w',
      'stop',
    ]);
  }

  knex(): Knex {
    return knexFactory({
      client: 'pg',
      connection: {
        host: '127.0.0.1',
        port: this.port,
        user: 'postgres',
        database: 'postgres',
      },
      pool: { min: 0, max: 5, acquireTimeoutMillis: 5_000 },
      // While the server is down on purpose, every try to connect fails:
      // the test checks the answers, the log need not list each.
      log: { warn: () => {} },
    });
  }

  async remove() {
    await this.stop().catch(() => {});
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

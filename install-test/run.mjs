#!/usr/bin/env node
// The install test: does what a team with its own portal does, in portals
// this repository did not make.
//
//   1. build and pack the packages (scripts/pack.sh);
//   2. create a portal with @backstage/create-app for the release in
//      backstage.json, outside this workspace: one on the legacy frontend
//      system, one on the new;
//   3. install the tarballs and apply the README's install steps as written
//      (install-test/readme.mjs reads them), check that the packages bring
//      no second copy of a Backstage package, and type-check the portal;
//   4-6. start the portal, send the README's curl report, read the job back
//      through the read API, and look at it in Chromium (portal.spec.ts).
//
// The two portals go through their steps side by side: while one installs
// its packages, the other type-checks or runs. Two steps are taken by one
// portal at a time: `yarn install` (with two at once, each resolving with
// no lockfile, Yarn 4.13 has crashed in its HTTP client's retry: "The
// `onCancel` handler was attached after the promise settled"), and steps
// 4-6, on the install test's ports (7100, 3100).
//
// Every step is timed. A failed step fails the test with its output; the
// steps after it in that portal are counted as failures, never skipped.
// Writes a report: { passed, failed, steps: [{ name, ok, seconds }] }.
//
// Usage: node install-test/run.mjs [--json report.json]
//          [--reuse-packages | --pack-only | --packed]
// --reuse-packages: keep the tarballs of an earlier run, when working on the
//   test itself.
// --pack-only, then --packed: step 1 alone, then the steps after it, as two
//   runs (scripts/test.sh packs before other checks start: packing rewrites
//   the packages' package.json for a moment). Each run reports its own steps.
// Work happens in $TC_PORTAL_INSTALL_TEST_DIR (default: the system's temp
// directory); Yarn's global cache makes later runs faster.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  cpSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installSteps } from './readme.mjs';
import { applySteps } from './apply.mjs';

const require = createRequire(import.meta.url);
const semver = require('semver');
const { parseSyml } = require('@yarnpkg/parsers');

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(REPO, 'README.md');
const SECTION = 'Install into an existing portal';
const WORK = resolve(
  process.env.TC_PORTAL_INSTALL_TEST_DIR ??
    join(tmpdir(), 'tc-portal-install-test'),
);
const PACKAGES = join(WORK, 'packages');
const RELEASE = JSON.parse(
  readFileSync(join(REPO, 'backstage.json'), 'utf8'),
).version;
const OURS = [
  'monitor-common',
  'monitor-backend',
  'monitor',
  'search-backend-module-monitor',
].map(p =>
  JSON.parse(readFileSync(join(REPO, 'plugins', p, 'package.json'), 'utf8')),
);

const PORTALS = [
  { name: 'legacy', legacy: true, subsections: ['1.', '2.', '3.'] },
  { name: 'next', legacy: false, subsections: ['1.', '2.', '4.'] },
];

const steps = [];
const started = Date.now();

/**
 * Runs a command; resolves to its standard output, or rejects with the end
 * of its output. `input` is written to its standard input; `stdio` as for
 * spawn (the output is kept only where it is piped).
 */
function sh(command, args, options = {}) {
  const { input, env, ...rest } = options;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...rest,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', chunk => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', chunk => {
      output += chunk;
    });
    child.stdin?.end(input ?? '');
    child.on('error', reject);
    child.on('close', (status, signal) => {
      if (status === 0) {
        resolvePromise(stdout);
        return;
      }
      // Its last lines, each cut short (Yarn's crashes print its minified
      // source).
      const tail = output
        .trim()
        .split('\n')
        .slice(-60)
        .map(line => (line.length > 800 ? `${line.slice(0, 800)} [...]` : line))
        .join('\n');
      reject(
        new Error(
          `\`${command} ${args.join(' ')}\` exited with ${
            status ?? signal
          }:\n${tail}`,
        ),
      );
    });
  });
}

/** Runs and times one step; its result goes to `into` (a portal's list). */
async function step(name, fn, into = steps) {
  const t0 = Date.now();
  process.stdout.write(`--- ${name}\n`);
  try {
    const detail = await fn();
    const seconds = (Date.now() - t0) / 1000;
    into.push({ name, ok: true, seconds });
    process.stdout.write(
      `ok  ${name} (${seconds.toFixed(1)} s)${detail ? `: ${detail}` : ''}\n`,
    );
    return true;
  } catch (error) {
    const seconds = (Date.now() - t0) / 1000;
    into.push({ name, ok: false, seconds, error: error.message });
    process.stdout.write(
      `FAIL ${name} (${seconds.toFixed(1)} s)\n${error.message}\n`,
    );
    return false;
  }
}

/**
 * Removes an earlier run's folder without waiting for it: the folder moves
 * aside at once, and `rm` deletes it (a portal's node_modules is 2 GB, which
 * takes minutes to delete on a busy machine) while the steps go on.
 */
const removals = [];
function discard(dir) {
  if (!existsSync(dir)) return;
  const aside = join(WORK, `removing-${Date.now()}-${basename(dir)}`);
  renameSync(dir, aside);
  removals.push(sh('rm', ['-rf', aside]));
}

/** A turn to take: `take(fn)` runs fn after every earlier taker's fn. */
function turns() {
  let free = Promise.resolve();
  return fn => {
    const run = free.then(fn);
    free = run.catch(() => {});
    return run;
  };
}
const registryTurn = turns();
const portsTurn = turns();

/** The create-app release whose template is for `RELEASE`, installed in WORK. */
async function createAppFor(release) {
  const cacheFile = join(WORK, `create-app-for-${release}.json`);
  let version = existsSync(cacheFile)
    ? JSON.parse(readFileSync(cacheFile, 'utf8')).version
    : undefined;
  if (!version) {
    const versions = JSON.parse(
      await sh('npm', ['view', '@backstage/create-app', 'versions', '--json']),
    )
      .filter(v => !semver.prerelease(v))
      .sort(semver.rcompare);
    const scratch = join(WORK, 'create-app-probe');
    for (const candidate of versions) {
      rmSync(scratch, { recursive: true, force: true });
      mkdirSync(scratch, { recursive: true });
      const tarball = (
        await sh(
          'npm',
          ['pack', `@backstage/create-app@${candidate}`, '--silent'],
          {
            cwd: scratch,
          },
        )
      ).trim();
      await sh('tar', ['xzf', join(scratch, tarball), '-C', scratch]);
      const made = /version = "([^"]+)"/.exec(
        readFileSync(join(scratch, 'package/dist/package.json.cjs.js'), 'utf8'),
      )?.[1];
      if (made === release) {
        version = candidate;
        break;
      }
      if (made && semver.lt(made, release)) break;
    }
    if (!version)
      throw new Error(`no @backstage/create-app makes Backstage ${release}`);
    writeFileSync(cacheFile, JSON.stringify({ version }));
  }
  const dir = join(WORK, `create-app-${version}`);
  if (
    !existsSync(join(dir, 'node_modules/@backstage/create-app/package.json'))
  ) {
    await sh('npm', [
      'install',
      '--prefix',
      dir,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `@backstage/create-app@${version}`,
    ]);
  }
  return { version, dir: join(dir, 'node_modules/@backstage/create-app') };
}

/**
 * The release's package versions, as create-app's templates name them: what
 * a portal made on the release's day has in its lockfile. (create-app would
 * lock the release's known-good versions with a seed lockfile from GitHub,
 * which this machine cannot reach; without it, a fresh portal floats to the
 * next release's packages and does not start.) This repository's pins must
 * agree with them: it is a portal of the same release.
 */
function releaseVersions(createApp) {
  // dist/lib/versions.cjs.js: `var _package$E = require('../plugins/catalog-react/package.json.cjs.js');`
  // and `"@backstage/plugin-catalog-react": _package$E.version`.
  const lib = join(createApp.dir, 'dist/lib');
  const table = readFileSync(join(lib, 'versions.cjs.js'), 'utf8');
  const files = Object.fromEntries(
    [...table.matchAll(/var (\S+) = require\('([^']+)'\);/g)].map(
      ([, v, file]) => [v, file],
    ),
  );
  const versions = {};
  for (const [, pkg, v] of table.matchAll(
    /"(@backstage\/[^"]+)": (\S+)\.version/g,
  )) {
    const text = readFileSync(join(lib, files[v]), 'utf8');
    versions[pkg] = /version = "([^"]+)"/.exec(text)[1];
  }
  if (Object.keys(versions).length < 20) {
    throw new Error(
      `read only ${Object.keys(versions).length} versions from create-app ${
        createApp.version
      }`,
    );
  }
  const ours = JSON.parse(
    readFileSync(join(REPO, 'package.json'), 'utf8'),
  ).resolutions;
  const disagree = Object.entries(versions)
    .filter(([pkg, version]) => ours[pkg] && ours[pkg] !== version)
    .map(
      ([pkg, version]) =>
        `${pkg}: create-app ${createApp.version} has ${version}, this repository pins ${ours[pkg]}`,
    );
  if (disagree.length) throw new Error(disagree.join('\n'));
  return versions;
}

/** Our packages' Backstage dependencies: one copy each in the portal, in range. */
function checkOurDependencies(portalDir) {
  const lock = parseSyml(readFileSync(join(portalDir, 'yarn.lock'), 'utf8'));
  const installed = new Map();
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata' || entry.resolution.includes('@workspace:'))
      continue;
    const name = entry.resolution.slice(0, entry.resolution.indexOf('@', 1));
    if (!installed.has(name)) installed.set(name, new Set());
    installed.get(name).add(entry.version);
  }
  const problems = [];
  let checked = 0;
  for (const pkg of OURS) {
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      if (!dep.startsWith('@backstage/')) continue;
      checked += 1;
      const versions = [...(installed.get(dep) ?? [])];
      if (versions.length !== 1) {
        problems.push(
          `${dep}: ${versions.length} copies in the portal (${versions.join(
            ', ',
          )}), ${pkg.name} asks ${range}`,
        );
      } else if (!semver.satisfies(versions[0], range)) {
        problems.push(
          `${dep}@${versions[0]} in the portal does not satisfy ${pkg.name}'s ${range}`,
        );
      }
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return `${checked} Backstage dependencies, one copy each, in range`;
}

function tarballNames() {
  return OURS.map(p => `${p.name.slice(1).replace('/', '-')}-${p.version}.tgz`);
}

/** One portal's steps, in order; resolves to their results. */
async function runPortal(portal, createApp, release) {
  const dir = join(WORK, `portal-${portal.name}`);
  const results = [];
  const yarnEnv = { BACKSTAGE_APP_NAME: `portal-${portal.name}` };
  const chain = [
    [
      `${portal.name}: create-app ${createApp.version} (Backstage ${RELEASE})${
        portal.legacy ? ' --legacy' : ''
      }`,
      async () => {
        discard(dir);
        await sh(
          'node',
          [
            join(createApp.dir, 'bin/backstage-create-app'),
            ...(portal.legacy ? ['--legacy'] : []),
            '--path',
            dir,
            '--skip-install',
          ],
          { env: yarnEnv, input: '' },
        );
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        pkg.resolutions = { ...pkg.resolutions, ...release };
        writeFileSync(
          join(dir, 'package.json'),
          `${JSON.stringify(pkg, null, 2)}\n`,
        );
        return `${dir}, ${Object.keys(release).length} release versions locked`;
      },
    ],
    [
      `${portal.name}: README install steps`,
      () => {
        mkdirSync(join(dir, 'tc-portal'));
        for (const tarball of tarballNames()) {
          if (!existsSync(join(PACKAGES, tarball)))
            throw new Error(
              `${join(
                PACKAGES,
                tarball,
              )} is missing: the packages were not packed`,
            );
          cpSync(join(PACKAGES, tarball), join(dir, 'tc-portal', tarball));
        }
        // The test installs from tarballs, not from a registry.
        const readmeSteps = installSteps(
          README,
          SECTION,
          portal.subsections,
        ).filter(s => s.file !== '.yarnrc.yml');
        const named = readmeSteps.map(s => s.text ?? '').join('\n');
        for (const tarball of tarballNames()) {
          if (!named.includes(tarball))
            throw new Error(
              `the README's install steps do not name ${tarball}, which scripts/pack.sh made`,
            );
        }
        return applySteps(dir, readmeSteps).join(', ');
      },
    ],
    [
      `${portal.name}: yarn install`,
      async () => {
        // A new portal has no lockfile to keep (CI=1 would forbid writing
        // one). Its node_modules holds hard links to Yarn's global store
        // rather than copies (the same files; the portals are thrown away
        // after the test): a portal's install took 36 s and 49 s of CPU
        // with a warm store against 80 s and 112 s copying (2026-12-05),
        // time taken from every other lane of the test command.
        const install = (env = {}) =>
          sh('yarn', ['install'], {
            cwd: dir,
            env: {
              YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
              YARN_NM_MODE: 'hardlinks-global',
              ...env,
            },
          });
        try {
          await install().catch(error => {
            // Yarn 4.13's HTTP client can crash on a request that timed out
            // ("The `onCancel` handler was attached after the promise
            // settled"), a registry hiccup and Yarn's, not the portal's:
            // the install is tried once more.
            if (!String(error.message).includes('onCancel')) throw error;
            console.log(`${portal.name}: Yarn crashed on a timeout; again`);
            return install();
          });
        } catch (error) {
          // The template's age gate (npmMinimalAgeGate) can take a package
          // whose exact dependency, published later, is still too new: the
          // install fails until the dependency's age passes the gate. That
          // window is the registry's, not ours: the portal installs with the
          // releases of a week ago instead.
          if (!String(error.message).includes('quarantined')) {
            throw error;
          }
          console.log(
            `${portal.name}: a dependency is inside the age gate; installing with a gate of 7 days`,
          );
          await install({ YARN_NPM_MINIMAL_AGE_GATE: '7d' });
        }
      },
      registryTurn,
    ],
    [`${portal.name}: Backstage dependencies`, () => checkOurDependencies(dir)],
    [
      `${portal.name}: yarn tsc`,
      async () => {
        await sh('yarn', ['tsc'], { cwd: dir });
      },
    ],
    [
      `${portal.name}: backend, curl report, read API and Chromium`,
      async () => {
        await sh(
          'yarn',
          [
            'playwright',
            'test',
            '--config',
            join(REPO, 'install-test/playwright.config.ts'),
            '--project',
            portal.name,
          ],
          {
            cwd: REPO,
            env: { TC_PORTAL_INSTALL_TEST_PORTAL: dir },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
      },
      portsTurn,
    ],
  ];
  let ok = true;
  for (const [name, fn, turn] of chain) {
    if (ok) {
      const run = () => step(name, fn, results);
      ok = await (turn ? turn(run) : run());
    } else {
      results.push({
        name,
        ok: false,
        seconds: 0,
        error: 'not run: an earlier step failed',
      });
      process.stdout.write(`FAIL ${name}: not run, an earlier step failed\n`);
    }
  }
  return results;
}

mkdirSync(WORK, { recursive: true });
// What an interrupted run was still removing.
for (const name of readdirSync(WORK)) {
  if (name.startsWith('removing-'))
    removals.push(sh('rm', ['-rf', join(WORK, name)]));
}
const packOnly = process.argv.includes('--pack-only');
let createApp;
let release;
const packed =
  process.argv.includes('--packed') ||
  (await step('pack the packages', async () => {
    if (
      process.argv.includes('--reuse-packages') &&
      tarballNames().every(t => existsSync(join(PACKAGES, t)))
    ) {
      return `reused ${PACKAGES}`;
    }
    rmSync(PACKAGES, { recursive: true, force: true });
    return (await sh('bash', [join(REPO, 'scripts/pack.sh'), PACKAGES]))
      .trim()
      .split('\n')
      .join(', ');
  }));
const ready =
  !packOnly &&
  packed &&
  (await step(`find create-app for Backstage ${RELEASE}`, async () => {
    createApp = await createAppFor(RELEASE);
    release = releaseVersions(createApp);
    return `@backstage/create-app@${createApp.version}`;
  }));
if (ready) {
  const results = await Promise.all(
    PORTALS.map(portal => runPortal(portal, createApp, release)),
  );
  steps.push(...results.flat());
}

// An earlier run's folders, if their removal outlasted the steps.
await Promise.allSettled(removals);
const passed = steps.filter(s => s.ok).length;
const failed = steps.length - passed;
const total = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  `\ninstall test: ${passed} steps passed, ${failed} failed, in ${total} s`,
);
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0) {
  writeFileSync(
    process.argv[jsonAt + 1],
    JSON.stringify({ passed, failed, seconds: Number(total), steps }, null, 2),
  );
}
process.exit(failed === 0 ? 0 : 1);

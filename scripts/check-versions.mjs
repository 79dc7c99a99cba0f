#!/usr/bin/env node
// Checks a Yarn lockfile's Backstage packages, as `backstage-cli
// versions:check` did before the CLI dropped it:
//   - every @backstage package is installed at one version only (two copies
//     of a frontend package split its React contexts and API refs);
//   - that version satisfies every range that asks for it, so the
//     repository's `resolutions` pin no package below what a dependant needs
//     (a third-party package that asks for the release before may be held
//     above its range: Tech Insights' backend asks for backend-defaults
//     ^0.17.7, which Backstage 1.55 ships as 0.18.0).
//
// Usage: node scripts/check-versions.mjs [path/to/yarn.lock]
// Exits non-zero, naming each problem, when either rule is broken.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const lockfilePath = resolve(process.argv[2] ?? 'yarn.lock');
const require = createRequire(lockfilePath);
const { parseSyml } = require('@yarnpkg/parsers');
const semver = require('semver');

const BACKSTAGE = /^@backstage\//;
const lock = parseSyml(readFileSync(lockfilePath, 'utf8'));

/** name -> Set of installed versions */
const installed = new Map();
/** name -> list of { range, from } that ask for it */
const wanted = new Map();

const nameOf = descriptor =>
  descriptor.slice(
    0,
    descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0),
  );

for (const [key, entry] of Object.entries(lock)) {
  if (key === '__metadata') continue;
  const name = nameOf(key.split(',')[0].trim());
  if (BACKSTAGE.test(name) && !entry.resolution.includes('@workspace:')) {
    if (!installed.has(name)) installed.set(name, new Set());
    installed.get(name).add(entry.version);
  }
  for (const [dep, range] of Object.entries(entry.dependencies ?? {})) {
    if (!BACKSTAGE.test(dep) || !range.startsWith('npm:')) continue;
    if (!wanted.has(dep)) wanted.set(dep, []);
    wanted.get(dep).push({ range: range.slice(4), from: entry.resolution });
  }
}

const problems = [];
const heldAbove = [];
for (const [name, versions] of [...installed].sort()) {
  if (versions.size > 1) {
    problems.push(
      `${name} is installed ${versions.size} times: ${[...versions].join(
        ', ',
      )}`,
    );
    continue;
  }
  const [version] = versions;
  for (const { range, from } of wanted.get(name) ?? []) {
    if (semver.satisfies(version, range)) continue;
    // A third-party plugin that lags the release (it asks for the one
    // before) is held at the release's version by the root resolutions:
    // above its range, never below.
    if (!from.includes('@workspace:') && semver.gtr(version, range)) {
      heldAbove.push(`${name}@${version} above ${range}, asked by ${from}`);
      continue;
    }
    problems.push(
      `${name}@${version} does not satisfy ${range}, asked by ${from}`,
    );
  }
}

if (problems.length > 0) {
  console.error(`${lockfilePath}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `${
    installed.size
  } @backstage packages, one version each, every range satisfied${
    heldAbove.length
      ? ` or held above by the resolutions (${heldAbove.join('; ')})`
      : ''
  }`,
);

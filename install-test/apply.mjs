// Applies the README's install steps (see readme.mjs) to a portal made by
// @backstage/create-app. The README says where code goes in words; PLACES
// finds those words' lines in the create-app templates. A place the README
// names and this table does not know, or cannot find, is an error: the
// README and the test stay in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const YAML = require('yaml');

const PLACES = {
  'before backend.start()': { before: /^backend\.start\(\);/ },
  'inside <FlatRoutes>': { after: /<FlatRoutes>/ },
  'inside <SidebarGroup label="Menu">': { after: /<SidebarGroup label="Menu"/ },
  'inside <SearchResult>': { after: /<SearchResult>/ },
  "after nav.take('page:notifications')": {
    after: /nav\.take\('page:notifications'\)/,
  },
  'in overviewContent, after {entityWarningContent}': {
    from: /^const overviewContent = /,
    after: /\{entityWarningContent\}/,
  },
  'in serviceEntityPage, after the Overview route': {
    from: /^const serviceEntityPage = /,
    after: /<\/EntityLayout\.Route>/,
  },
};

function fail(step, message) {
  throw new Error(`README step for ${step.file}: ${message}`);
}

function deepMerge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      target[key] = deepMerge(target[key] ?? {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function applyJson(path, step) {
  const text = step.text
    .split('\n')
    .filter(l => !l.trim().startsWith('//'))
    .join('\n');
  const merged = deepMerge(
    JSON.parse(readFileSync(path, 'utf8')),
    JSON.parse(text),
  );
  writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
}

/** Merges `source` into `target`, lists by adding the items they lack. */
function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (Array.isArray(value)) {
      const list = Array.isArray(target[key]) ? target[key] : [];
      target[key] = [...list, ...value.filter(item => !list.includes(item))];
    } else if (value && typeof value === 'object') {
      target[key] = mergeInto(target[key] ?? {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function applyYaml(path, step) {
  const before = YAML.parse(readFileSync(path, 'utf8')) ?? {};
  const added = YAML.parse(step.text);
  if (step.merge) {
    writeFileSync(path, YAML.stringify(mergeInto(before, added)));
    return;
  }
  for (const key of Object.keys(added)) {
    if (key in before) fail(step, `${path} already has a top-level "${key}"`);
  }
  writeFileSync(
    path,
    `${readFileSync(path, 'utf8').trimEnd()}\n\n${step.text}\n`,
  );
  YAML.parse(readFileSync(path, 'utf8')); // still valid YAML
}

function lastImportLine(lines) {
  let last = -1;
  lines.forEach((line, i) => {
    if (
      /^(import .* from |import |} from )'[^']+';$/.test(line) ||
      /^import '[^']+';$/.test(line)
    ) {
      last = i;
    }
  });
  return last;
}

function applySource(path, step) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (step.imports.some(l => l.trim())) {
    const at = lastImportLine(lines);
    if (at < 0) fail(step, `found no imports in ${path}`);
    lines.splice(at + 1, 0, ...step.imports.filter(l => l.trim()));
  }
  for (const { place, lines: code } of step.places) {
    const spec = PLACES[place];
    if (!spec)
      fail(step, `the place "${place}" is not one the install test knows`);
    const start = spec.from ? lines.findIndex(l => spec.from.test(l)) : 0;
    if (start < 0) fail(step, `no ${spec.from} in ${path}`);
    const anchor = spec.after ?? spec.before;
    const offset = lines.slice(start).findIndex(l => anchor.test(l));
    if (offset < 0) fail(step, `"${place}": no ${anchor} in ${path}`);
    const at = start + offset;
    // Inside an element: one level deeper than its opening tag.
    const indent =
      /^\s*/.exec(lines[at])[0] + (place.startsWith('inside') ? '  ' : '');
    const body = code.filter(l => l.trim()).map(l => indent + l);
    // Prettier ends a JSX expression in a README block with `;`, which has
    // no place among an element's children.
    body[body.length - 1] = body[body.length - 1].replace(/>;$/, '>');
    lines.splice(spec.after ? at + 1 : at, 0, ...body);
  }
  writeFileSync(path, lines.join('\n'));
}

/** Applies README steps to the portal at `portalDir`; returns what it did. */
export function applySteps(portalDir, steps) {
  const done = [];
  for (const step of steps) {
    const path = join(portalDir, step.file);
    if (step.kind === 'jsonc' || step.kind === 'json') applyJson(path, step);
    else if (step.kind === 'yaml') applyYaml(path, step);
    else if (step.kind === 'source') applySource(path, step);
    else fail(step, `a "${step.kind}" block is not a step the test can apply`);
    done.push(
      `${step.file}${
        step.places
          ? ` (${step.places.map(p => p.place).join('; ') || 'imports'})`
          : ''
      }`,
    );
  }
  return done;
}

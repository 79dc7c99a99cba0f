// Reads the README's install steps, so that the install test applies the
// text a portal team reads and nothing else.
//
// A step is a fenced block whose first line is a comment naming a file of
// the portal (`// packages/app/src/App.tsx`, `# app-config.yaml`). Inside a
// source file, a comment line ending in a colon names the place of the lines
// that follow (`// inside <FlatRoutes>:`); lines before the first place are
// imports. Other blocks (shell commands, examples without a file) are prose.
import { readFileSync } from 'node:fs';

/** The README's fenced blocks, with the `##`/`###` headings they sit under. */
export function readBlocks(readmePath) {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const blocks = [];
  const headings = {};
  let block;
  for (const line of lines) {
    if (block) {
      if (line.startsWith('```')) {
        blocks.push(block);
        block = undefined;
      } else {
        block.lines.push(line);
      }
      continue;
    }
    const heading = /^(#{2,3}) (.*)$/.exec(line);
    if (heading) {
      headings[heading[1].length] = heading[2];
      if (heading[1].length === 2) delete headings[3];
      continue;
    }
    const fence = /^```(\S*)/.exec(line);
    if (fence) {
      block = {
        lang: fence[1],
        section: headings[2],
        subsection: headings[3],
        lines: [],
      };
    }
  }
  return blocks;
}

// `# app-config.yaml (merge into yours)`: the block's keys and list items
// join what the portal's file has.
const FILE_COMMENT =
  /^(?:\/\/|#) ((?:[\w.-]+\/)*[\w.-]+\.(?:tsx?|ya?ml|json))( \(merge into yours\))?$/;
const PLACE_COMMENT = /^\/\/ (.+):$/;

/**
 * The install steps of the README section `## <section>`, under the
 * subsections given (by the start of their titles), in README order.
 */
export function installSteps(readmePath, section, subsections) {
  return readBlocks(readmePath)
    .filter(
      b =>
        b.section === section &&
        subsections.some(s => b.subsection?.startsWith(s)),
    )
    .map(b => {
      const named = FILE_COMMENT.exec(b.lines[0] ?? '');
      return { ...b, file: named?.[1], merge: Boolean(named?.[2]) };
    })
    .filter(b => b.file)
    .map(({ lang, file, merge, lines, subsection }) => {
      const body = lines.slice(1);
      if (!['ts', 'tsx'].includes(lang)) {
        return { kind: lang, file, merge, subsection, text: body.join('\n') };
      }
      const imports = [];
      const places = [];
      for (const line of body) {
        const place = PLACE_COMMENT.exec(line);
        if (place) {
          places.push({ place: place[1], lines: [] });
        } else if (places.length > 0) {
          places[places.length - 1].lines.push(line);
        } else {
          imports.push(line);
        }
      }
      return { kind: 'source', file, subsection, imports, places };
    });
}

/** The README's `curl` example of a report, as one shell command. */
export function curlExample(readmePath) {
  const block = readBlocks(readmePath).find(
    b => b.lang === 'sh' && b.lines.some(l => l.startsWith('curl ')),
  );
  if (!block) throw new Error(`${readmePath} has no curl example`);
  return block.lines.filter(l => !l.startsWith('#')).join('\n');
}

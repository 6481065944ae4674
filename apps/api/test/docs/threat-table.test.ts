// Keeps the README's threat table ("## Threats and the tests that prove each defence") from drifting
// away from the code, the test suite and the threat model. The table is the project's claim "this
// threat is defended here and proven by that test"; this file checks every part of that claim that a
// machine can:
//  1. the table is there and well-formed: columns `threat | defence | where | test`; every row starts
//     its threat cell with ids (`T07`, `T01–T10`, `T12, T13`), names ≥ 1 code path and ≥ 1 test file;
//  2. every code path and test file it names exists. Paths are in backticks, relative to the repo
//     root (`apps/api/src/auth/keys.ts`, `e2e/xss.spec.ts`), or a bare file name (`keys.ts`) meaning
//     "in the folder of the previous path of the same column" (earlier in the cell, else rows above).
//     A backticked text after `›` in the test column is a test title that must exist in that file;
//  3. every id of a row has, in one of that row's test files, a test whose title starts with the id:
//     `it('T07 …'`, `test('T07 …'`, `describe('T07 …'`, `test.describe('T07 …'` (Playwright) — not
//     `.skip`/`.todo`/`.fixme`, which prove nothing;
//  4. every threat of docs/threat-model.md (its table rows `| T07 | …`) is in the README table, and
//     the table lists no id that the threat model does not define.
// Every problem is collected and reported at once, one line each (with the README line number).
// What removing each check's subject did is in docs/testing.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/db/paths.js';

const README = path.join(repoRoot, 'README.md');
const THREAT_MODEL = path.join(repoRoot, 'docs/threat-model.md');
const SECTION = '## Threats and the tests that prove each defence';
const COLUMNS = ['threat', 'defence', 'where', 'test'];

type PathRef = { text: string; resolved: string | null; problem?: string };
type Row = { line: number; ids: string[]; code: PathRef[]; tests: (PathRef & { titles: string[] })[] };

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const ID_LIST = /^\s*(T\d{2}(?:\s*[–—-]\s*T\d{2})?(?:\s*,\s*T\d{2}(?:\s*[–—-]\s*T\d{2})?)*)(?=\s|$)/;

/** `T01–T03, T07` → T01, T02, T03, T07. */
function expandIds(list: string): string[] {
  const ids: string[] = [];
  for (const part of list.split(',')) {
    const [from, to] = part.split(/[–—-]/).map((s) => Number(s.trim().slice(1)));
    if (to !== undefined && to < from!) throw new Error(`backwards range ${part.trim()}`);
    for (let n = from!; n <= (to ?? from!); n++) ids.push(`T${String(n).padStart(2, '0')}`);
  }
  return ids;
}

function compactIds(ids: string[]): string {
  const nums = [...new Set(ids)].map((id) => Number(id.slice(1))).sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < nums.length; i++) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    const name = (n: number) => `T${String(n).padStart(2, '0')}`;
    if (j - i >= 2) out.push(`${name(nums[i]!)}–${name(nums[j]!)}`);
    else for (let k = i; k <= j; k++) out.push(name(nums[k]!));
    i = j;
  }
  return out.join(', ');
}

function splitCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The section's first table: header cells and body rows with their README line numbers. */
function readTable(readme: string, problems: string[]): { header: string[]; rows: { line: number; cells: string[] }[] } | null {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.trim() === SECTION);
  if (start < 0) {
    problems.push(`README.md has no "${SECTION}" section`);
    return null;
  }
  let i = start + 1;
  while (i < lines.length && !lines[i]!.trim().startsWith('|')) {
    if (lines[i]!.startsWith('## ')) break;
    i++;
  }
  if (i >= lines.length || !lines[i]!.trim().startsWith('|')) {
    problems.push(`README.md: no table under "${SECTION}"`);
    return null;
  }
  const header = splitCells(lines[i]!).map((c) => c.toLowerCase());
  if (!/^\|?\s*:?-{3,}/.test(lines[i + 1]?.trim() ?? '')) problems.push(`README.md:${i + 2}: the table has no separator row`);
  const rows: { line: number; cells: string[] }[] = [];
  for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith('|'); j++) rows.push({ line: j + 1, cells: splitCells(lines[j]!) });
  return { header, rows };
}

/** Backticked texts of a cell, each with the title that follows it after `›` (test column). */
function backticked(cell: string): { text: string; titles: string[] }[] {
  const out: { text: string; titles: string[] }[] = [];
  const re = /(›\s*)?`([^`]+)`/g;
  for (let m = re.exec(cell); m; m = re.exec(cell)) {
    if (m[1] && out.length > 0) out[out.length - 1]!.titles.push(m[2]!);
    else if (m[1]) out.push({ text: '', titles: [m[2]!] });
    else out.push({ text: m[2]!, titles: [] });
  }
  return out;
}

/** Resolves a table path: repo-root-relative, or a bare name in the folder of `previous`. */
function resolvePath(text: string, previous: string | null): PathRef {
  if (text === '') return { text, resolved: null, problem: 'a test title (›) without a test file before it' };
  if (path.isAbsolute(text) || text.split('/').includes('..'))
    return { text, resolved: null, problem: 'must be relative to the repo root, without ".."' };
  if (text.includes('/')) {
    const resolved = path.join(repoRoot, text);
    return existsSync(resolved)
      ? { text, resolved }
      : { text, resolved: null, problem: `does not exist (paths with "/" are relative to the repo root)${suggest(text, previous)}` };
  }
  if (!previous) return { text, resolved: null, problem: 'a bare file name needs an earlier path in the same column' };
  const resolved = path.join(path.dirname(previous), text);
  return existsSync(resolved)
    ? { text, resolved }
    : {
        text,
        resolved: null,
        problem: `not found in ${path.relative(repoRoot, path.dirname(previous))}/ (the folder of the previous path in this column)`,
      };
}

/** For a path that is not repo-root-relative, the repo path it probably meant (ancestors of `previous`). */
function suggest(text: string, previous: string | null): string {
  for (let dir = previous ? path.dirname(previous) : null; dir && dir.startsWith(repoRoot) && dir !== repoRoot; dir = path.dirname(dir)) {
    const candidate = path.join(dir, text);
    if (existsSync(candidate)) return `; did you mean \`${path.relative(repoRoot, candidate)}\`?`;
  }
  return '';
}

function parseRows(readme: string, problems: string[]): Row[] {
  const table = readTable(readme, problems);
  if (!table) return [];
  if (table.header.join('|') !== COLUMNS.join('|')) {
    problems.push(`README.md: the threat table's columns must be "${COLUMNS.join(' | ')}", found "${table.header.join(' | ')}"`);
    return [];
  }
  const previous: Record<'code' | 'tests', string | null> = { code: null, tests: null };
  const rows: Row[] = [];
  for (const { line, cells } of table.rows) {
    const at = `README.md:${line}`;
    if (cells.length !== COLUMNS.length) {
      problems.push(`${at}: ${cells.length} cells, expected ${COLUMNS.length}`);
      continue;
    }
    const [threat, , where, test] = cells as [string, string, string, string];
    const idList = ID_LIST.exec(threat)?.[1];
    let ids: string[] = [];
    if (!idList)
      problems.push(
        `${at}: the threat cell must start with threat ids (e.g. "T07", "T01–T10", "T12, T13"), found "${threat.slice(0, 40)}"`,
      );
    else {
      try {
        ids = expandIds(idList);
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
      }
    }
    const refs = (cell: string, column: 'code' | 'tests') =>
      backticked(cell).map(({ text, titles }) => {
        const ref = resolvePath(text, previous[column]);
        if (ref.resolved) previous[column] = ref.resolved;
        return { ...ref, titles };
      });
    const code = refs(where, 'code');
    const tests = refs(test, 'tests');
    if (code.length === 0) problems.push(`${at}: the "where" cell names no code path in backticks`);
    if (tests.length === 0) problems.push(`${at}: the "test" cell names no test file in backticks`);
    for (const c of code) if (c.titles.length > 0) problems.push(`${at}: a test title (›) in the "where" cell`);
    rows.push({ line, ids, code, tests });
  }
  return rows;
}

/** The ids of docs/threat-model.md: the first cell of its table rows (`| T07 | … |`), in order. */
function threatModelIds(markdown: string): string[] {
  return [...markdown.matchAll(/^\|\s*(T\d{2})\s*\|/gm)].map((m) => m[1]!);
}

// ---------------------------------------------------------------------------------------------
// Test titles
// ---------------------------------------------------------------------------------------------

/**
 * Titles of it/test/describe calls (vitest and Playwright), modifiers allowed except the ones that
 * do not run the test (skip, todo, fixme). String literal titles only.
 */
const TITLE_CALL =
  /(?<![\w$.])(?:it|test|describe)(?:\.(?:only|concurrent|sequential|serial|parallel|describe|fails|fail|slow))*\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;

function testTitles(source: string): string[] {
  const titles: string[] = [];
  for (let m = TITLE_CALL.exec(source); m; m = TITLE_CALL.exec(source)) titles.push(m[2]!.replace(/\\(.)/g, '$1'));
  TITLE_CALL.lastIndex = 0;
  return titles;
}

const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;

/** Every test file of the repo but this one (for hints only: where a test for an id exists outside its row). */
function allTestFiles(dir = repoRoot): string[] {
  const self = fileURLToPath(import.meta.url);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    if (entry.isDirectory()) return allTestFiles(full);
    return TEST_FILE.test(entry.name) && full !== self ? [full] : [];
  });
}

/** `T53 (apps/api/test/attacks/fuzz.test.ts)` for ids that have a test somewhere, plain `T14` otherwise. */
function withTestLocations(ids: string[]): string {
  const titled = allTestFiles().map((f) => ({ file: path.relative(repoRoot, f), titles: testTitles(readFileSync(f, 'utf8')) }));
  return ids
    .map((id) => {
      const files = titled.filter((t) => t.titles.some((title) => new RegExp(`^${id}(?!\\d)`).test(title))).map((t) => t.file);
      return files.length ? `${id} (tested in ${files.join(', ')})` : `${id} (no test yet)`;
    })
    .join('\n  ');
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

function load() {
  const problems: string[] = [];
  const rows = parseRows(readFileSync(README, 'utf8'), problems);
  return { problems, rows };
}

const report = (problems: string[]) => (problems.length === 0 ? '' : `\n${problems.join('\n')}\n`);

describe('threat-table checker (self-test)', () => {
  it('expands id lists and ranges, and recognises test titles the way the suite writes them', () => {
    expect(expandIds('T01–T03, T07')).toEqual(['T01', 'T02', 'T03', 'T07']);
    expect(compactIds(['T07', 'T01', 'T02', 'T03', 'T09', 'T10'])).toBe('T01–T03, T07, T09, T10');
    const source = [
      "it('T07 nbf in the future', () => {});",
      'test("T28 note renders as text", async () => {});',
      "test.describe('T29 CSP', () => {});",
      'describe.concurrent(`T30 storage`, () => {});',
      "it.skip('T08 skipped proves nothing', () => {});",
      "test.fixme('T09 neither', () => {});",
      "const parts = value.split(',');",
      "it('T10 it\\'s escaped', () => {});",
    ].join('\n');
    expect(testTitles(source)).toEqual(['T07 nbf in the future', 'T28 note renders as text', 'T29 CSP', 'T30 storage', "T10 it's escaped"]);
    expect(
      threatModelIds('| id | attack |\n|---|---|\n| T07 | nbf in the future |\n|T08| wrong iss |\n- T09 in a list\n| see T10 |'),
    ).toEqual(['T07', 'T08']);
  });
});

describe('README threat table', () => {
  it('is present and well-formed: ids, code paths and test files on every row', () => {
    const { problems, rows } = load();
    if (rows.length === 0 && problems.length === 0) problems.push('README.md: the threat table has no rows');
    expect(problems, report(problems)).toEqual([]);
  });

  it('names only code paths and test files that exist', () => {
    const { rows } = load();
    const problems: string[] = [];
    for (const row of rows) {
      for (const ref of [...row.code, ...row.tests])
        if (ref.problem) problems.push(`README.md:${row.line}: \`${ref.text}\` ${ref.problem}`);
      for (const t of row.tests) {
        if (!t.resolved) continue;
        if (!statSync(t.resolved).isFile() || !TEST_FILE.test(t.resolved)) {
          problems.push(`README.md:${row.line}: \`${t.text}\` is not a test file (*.test.ts / *.spec.ts)`);
          continue;
        }
        const titles = testTitles(readFileSync(t.resolved, 'utf8'));
        for (const title of t.titles)
          if (!titles.includes(title)) problems.push(`README.md:${row.line}: \`${t.text}\` has no test titled "${title}"`);
      }
    }
    expect(problems, report(problems)).toEqual([]);
  });

  it('has, for every id of a row, a test titled with that id in one of the row’s test files', () => {
    const { rows } = load();
    const problems: string[] = [];
    for (const row of rows) {
      const files = row.tests.filter((t) => t.resolved && TEST_FILE.test(t.resolved));
      const titles = files.flatMap((t) => testTitles(readFileSync(t.resolved!, 'utf8')));
      const missing = row.ids.filter((id) => !titles.some((title) => new RegExp(`^${id}(?!\\d)`).test(title)));
      if (missing.length > 0) {
        problems.push(
          `README.md:${row.line}: no test titled ${compactIds(missing)} in ${files.map((f) => path.relative(repoRoot, f.resolved!)).join(', ') || '(no existing test file)'}`,
        );
      }
    }
    expect(problems, report(problems)).toEqual([]);
  });

  it('covers every threat of docs/threat-model.md, and only those', () => {
    const known = threatModelIds(readFileSync(THREAT_MODEL, 'utf8'));
    expect(known.length, 'no threat ids found in docs/threat-model.md (rows like "| T07 | … |")').toBeGreaterThan(0);
    const { rows } = load();
    const listed = new Set(rows.flatMap((r) => r.ids));
    const missing = known.filter((id) => !listed.has(id));
    const unknown = [...listed].filter((id) => !known.includes(id));
    const twice = known.filter((id, i) => known.indexOf(id) !== i);
    const problems = [
      ...(twice.length ? [`docs/threat-model.md defines these ids more than once: ${compactIds(twice)}`] : []),
      ...(missing.length
        ? [
            `threats of docs/threat-model.md missing from the README table (${missing.length}): ${compactIds(missing)}\n  ${withTestLocations(missing)}`,
          ]
        : []),
      ...(unknown.length ? [`ids in the README table that docs/threat-model.md does not define: ${compactIds(unknown)}`] : []),
    ];
    expect(problems, report(problems)).toEqual([]);
  });
});

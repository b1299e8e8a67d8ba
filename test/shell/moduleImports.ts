// Finds the modules a TypeScript or JavaScript source file imports, and whether each import
// loads the module at run time ("value") or is erased by the compiler ("type"). Used by the
// architecture test; small and regex-based on purpose: TypeScript 7's JS API ships only as
// `typescript/unstable/*`, and the rules it checks are about import statements only.
//
// "type" means only `import type ...` and `export type ... from`. An import whose specifiers are
// all inline types (`import { type A } from 'x'`) is a value import here: under
// `verbatimModuleSyntax` (tsconfig.base.json) it compiles to `import {} from 'x'`, which still
// loads the module.

export type ImportKind = 'value' | 'type';

export interface ModuleImport {
  specifier: string;
  kind: ImportKind;
  /** 1-based line of the import, for the failure message. */
  line: number;
}

export function findImports(source: string): ModuleImport[] {
  const { code, literals } = lex(source);
  const found: Array<ModuleImport & { index: number }> = [];
  const add = (specifier: string, kind: ImportKind, index: number) => {
    // A match that starts inside a string or regex literal is text, not an import.
    if (literals.some(([start, end]) => index > start && index < end)) return;
    found.push({ specifier, kind, index, line: code.slice(0, index).split('\n').length });
  };

  // import X from 'm'; import { a } from 'm'; import type { A } from 'm'; export { a } from 'm';
  // export * from 'm'; export type { A } from 'm'. The clause never contains a quote or `;`.
  const staticForm = /(?<![.\w$])(import|export)\s+(type\s+)?([^'";]*?)\bfrom\s*(['"])([^'"\n]+)\4/g;
  for (const match of code.matchAll(staticForm)) {
    const [, , typeKeyword, clause] = match;
    // `import type from 'm'` is a default import named "type", not a type-only import.
    const typeOnly = Boolean(typeKeyword) && clause!.trim() !== '';
    add(match[5]!, typeOnly ? 'type' : 'value', match.index!);
  }
  // import 'm';  (side effects only)
  for (const match of code.matchAll(/(?<![.\w$])import\s*(['"])([^'"\n]+)\1/g)) add(match[2]!, 'value', match.index!);
  // require('m'), import('m'), and TypeScript's `import x = require('m')`.
  for (const match of code.matchAll(/(?<![.\w$])(?:require|import)\s*\(\s*(['"`])([^'"`\n]+)\1\s*\)/g)) {
    add(match[2]!, 'value', match.index!);
  }
  return found.sort((a, b) => a.index - b.index).map(({ specifier, kind, line }) => ({ specifier, kind, line }));
}

export function isElectronSpecifier(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/');
}

/** The imports that would load Electron when this file runs. */
export function electronValueImports(source: string): ModuleImport[] {
  return findImports(source).filter((entry) => entry.kind === 'value' && isElectronSpecifier(entry.specifier));
}

/**
 * Replaces comments with spaces (keeping line breaks, so line numbers stay right) while leaving
 * strings, template literals and regular expression literals intact, so that neither a comment
 * that mentions `require('electron')` nor a URL such as 'https://…' inside a string confuses the
 * search.
 */
export function blankComments(source: string): string {
  return lex(source).code;
}

/** The source with comments blanked, and where its string, template and regex literals are. */
function lex(source: string): { code: string; literals: Array<[start: number, end: number]> } {
  const literals: Array<[number, number]> = [];
  let out = '';
  let i = 0;
  // What the previous significant character says about a `/`: division or a regex literal.
  let previous = '';
  while (i < source.length) {
    const char = source[i]!;
    const next = source[i + 1];
    if (char === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
      continue;
    }
    if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      const stop = endOfQuoted(source, i, char);
      literals.push([i, stop]);
      out += source.slice(i, stop);
      previous = char;
      i = stop;
      continue;
    }
    if (char === '/' && startsRegex(previous, out)) {
      const stop = endOfRegex(source, i);
      literals.push([i, stop]);
      out += source.slice(i, stop);
      previous = '/';
      i = stop;
      continue;
    }
    out += char;
    if (!/\s/.test(char)) previous = char;
    i += 1;
  }
  return { code: out, literals };
}

function endOfQuoted(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\') i += 2;
    else if (char === quote) return i + 1;
    else if (quote !== '`' && char === '\n') return i; // unterminated: stop at the line end
    else i += 1;
  }
  return source.length;
}

function startsRegex(previous: string, before: string): boolean {
  if (previous === '' || '(,=:[!&|?{};+-*%<>~^'.includes(previous)) return true;
  return /(?:^|[^\w$.])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)\s*$/.test(before);
}

function endOfRegex(source: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\n') return i;
    if (char === '/' && !inClass) return i + 1;
    if (char === '[') inClass = true;
    if (char === ']') inClass = false;
    i += char === '\\' ? 2 : 1;
  }
  return source.length;
}

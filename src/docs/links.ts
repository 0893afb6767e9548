/**
 * Links from the reference to AOZ Studio's own documentation of an instruction: the `.aozdoc`
 * file of the public AOZ-Studio repository on GitHub.
 *
 * AOZ names those files after the instruction: lower-case, spaces turned into `_`, suffixes kept
 * (`Wait Key` -> `wait_key.aozdoc`, `Left$` -> `left$.aozdoc`), in
 * `AOZ_Studio/app/aoz/languages/v1_0/<folder>/doc/default/`, where <folder> is the family's
 * `aozFolder`; extensions are in `AOZ_Studio/app/aoz/extensions/<extension>/doc/default/`. An
 * instruction and a function of the same name usually share one page (`Left$`); a few functions
 * have their own, named with a leading `_` (`Pen` -> `_pen.aozdoc`).
 * Where the rule does not hold (no page, or a page under another name or folder) the entry is listed
 * in AOZ_DOC_EXCEPTIONS. The rule and the map are checked against a checkout of AOZ-Studio by
 * test/docs/aoz-links.test.ts (AOZ_STUDIO=<checkout or git dir> npm run docs:links).
 */
import { normaliseName } from '../lexer/vocabulary.js';

export const AOZ_REPOSITORY = 'https://github.com/fransooi/AOZ-Studio';
const BLOB = `${AOZ_REPOSITORY}/blob/main/AOZ_Studio/app/aoz/`;

export type LinkKind = 'instruction' | 'function' | 'statement' | 'operator';

/**
 * The extension folder of an entry of a family whose folder is `extensions`, from the start of the
 * entry's name.
 */
const EXTENSION_PREFIXES: readonly (readonly [prefix: string, folder: string])[] = [
  ['websocket ', 'websocket'],
  ['call service', 'net'],
  ['json ', 'json'],
];

/**
 * Entries that do not follow the naming rule, keyed `kind:lower-case name`: the path of their page
 * under `AOZ_Studio/app/aoz/`, or null when AOZ has no page for them (aozrun extensions, or
 * instructions AOZ never documented).
 * Checked against AOZ-Studio's repository (its single commit 52adee0).
 */
export const AOZ_DOC_EXCEPTIONS: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  // Functions with a page of their own beside their instruction's.
  ['function:pen', 'languages/v1_0/textwindows/doc/default/_pen.aozdoc'],
  ['function:paper', 'languages/v1_0/textwindows/doc/default/_paper.aozdoc'],
  // Documented in another folder than the family's.
  ['instruction:cls', 'languages/v1_0/graphics/doc/default/cls.aozdoc'],
  ['function:repeat$', 'languages/v1_0/textwindows/doc/default/repeat$.aozdoc'],
  ['function:true', 'languages/v1_0/variables/doc/default/true.aozdoc'],
  ['function:false', 'languages/v1_0/variables/doc/default/false.aozdoc'],
  // Pages named after their first line.
  ['function:odd', 'languages/v1_0/maths/doc/default/odd_(_number_).aozdoc'],
  ['function:even', 'languages/v1_0/maths/doc/default/even_(_number_).aozdoc'],
  // No page in AOZ.
  ['instruction:refresh', null],
  ['function:zero$', null],
  ['function:is degree', null],
  ['function:is radian', null],
  ['function:rad', null],
  // aozrun extensions.
  ['instruction:websocket on message', null],
  ['instruction:websocket on close', null],
  ['instruction:websocket on error', null],
]);

/** The key of an entry in AOZ_DOC_EXCEPTIONS. */
export function exceptionKey(kind: LinkKind, name: string): string {
  return `${kind}:${normaliseName(name)}`;
}

/** The folder of an AOZ documentation page, relative to `AOZ_Studio/app/aoz/`, or undefined. */
export function aozDocFolder(aozFolder: string, name: string): string | undefined {
  if (aozFolder === 'extensions') {
    const n = normaliseName(name);
    const ext = EXTENSION_PREFIXES.find(([prefix]) => n.startsWith(prefix));
    return ext ? `extensions/${ext[1]}/doc/default` : undefined;
  }
  if (aozFolder.startsWith('extensions/')) return `${aozFolder}/doc/default`;
  return `languages/v1_0/${aozFolder}/doc/default`;
}

/** The file name the naming rule gives: `Wait Key` -> `wait_key.aozdoc`. */
export function aozDocFileName(name: string): string {
  return `${normaliseName(name).replace(/ /g, '_')}.aozdoc`;
}

/**
 * The page's path relative to `AOZ_Studio/app/aoz/` (the rule, or its exception), or null when
 * there is none. `fileOverride`: the file name without `.aozdoc` when the caller knows better than
 * the rule, null for no page (the statements table).
 */
export function aozDocPath(
  aozFolder: string,
  kind: LinkKind,
  name: string,
  fileOverride?: string | null,
): string | null {
  const exception = AOZ_DOC_EXCEPTIONS.get(exceptionKey(kind, name));
  if (exception !== undefined) return exception;
  if (fileOverride === null) return null;
  const folder = aozDocFolder(aozFolder, name);
  if (folder === undefined) return null;
  const file = fileOverride === undefined ? aozDocFileName(name) : `${fileOverride}.aozdoc`;
  return `${folder}/${file}`;
}

/** The GitHub address of a page given by its path relative to `AOZ_Studio/app/aoz/`. */
export function aozDocUrl(path: string): string {
  const segment = (s: string) =>
    encodeURIComponent(s).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return BLOB + path.split('/').map(segment).join('/');
}

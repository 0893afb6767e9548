/** The JSON extension (aoz-facts §12.3, with its defects fixed), through real programs. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorNumber } from '../../src/interpreter/errors.js';
import { failsWith, outputOf } from '../helpers/run.js';

/** A BASIC string expression for any text: AOZ strings have no escape for `"` (Chr$(34)). */
function lit(text: string): string {
  return text
    .split('"')
    .map((part) => `"${part}"`)
    .join(' + Chr$(34) + ');
}

const LIBRARY = {
  name: 'Library',
  open: true,
  closed: false,
  books: [
    { title: 'Dune', year: 1965, author: { name: 'Frank Herbert' } },
    { title: 'Solaris', year: 1961, author: { name: 'Stanisław Lem' } },
  ],
  grid: [
    [1, 2],
    [3, 4],
  ],
  price: 12.5,
  nothing: null,
};

/** A program that starts with channel 1 holding LIBRARY. */
function withLibrary(body: string): string {
  return `JSON Open 1\nJSON Parse 1, ${lit(JSON.stringify(LIBRARY))}\n${body}\n`;
}

describe('JSON Open, Parse, Property, Property$', () => {
  it('reads numbers and strings at nested paths', async () => {
    const out = await outputOf(
      withLibrary(
        [
          'Print JSON Property$(1, "name")',
          'Print JSON Property$(1, "books[0].title")',
          'Print JSON Property(1, "books[1].year")',
          'Print JSON Property$(1, "books[1].author.name")',
          'Print JSON Property(1, "price")',
          'Print JSON Property(1, "grid[1][0]")',
        ].join('\n'),
      ),
    );
    expect(out).toBe('Library\nDune\n 1961\nStanisław Lem\n 12.5\n 3\n');
  });

  it('gives booleans as 1 and 0', async () => {
    expect(await outputOf(withLibrary('Print JSON Property(1, "open"); JSON Property(1, "closed")'))).toBe(
      ' 1 0\n',
    );
  });

  it('returns the default when the property is missing or of another type', async () => {
    const out = await outputOf(
      withLibrary(
        [
          'Print JSON Property(1, "books[5].year", -1)',
          'Print JSON Property(1, "name", 7)',
          'Print JSON Property(1, "nothing", 8)',
          'Print JSON Property(1, "missing.deeper", 9)',
          'Print JSON Property$(1, "price", "none")',
          'Print JSON Property$(1, "books[0].subtitle", "-")',
          'Print JSON Property$(1, "", "empty")',
        ].join('\n'),
      ),
    );
    expect(out).toBe('-1\n 7\n 8\n 9\nnone\n-\nempty\n');
  });

  it('says which part of the path is missing', async () => {
    let err = await failsWith(withLibrary('Print JSON Property(1, "books[2].year")'), 'property_not_defined');
    expect(err).toContain('books[2].year (books has 2 elements)');
    err = await failsWith(withLibrary('Print JSON Property$(1, "books[0].isbn")'), 'property_not_defined');
    expect(err).toContain('Property not defined: books[0].isbn at line 3');
    err = await failsWith(
      withLibrary('Print JSON Property$(1, "shop.address.city")'),
      'property_not_defined',
    );
    expect(err).toContain('shop.address.city (shop does not exist)');
    err = await failsWith(withLibrary('Print JSON Property(1, "name.length")'), 'property_not_defined');
    expect(err).toContain('(name is a string, not an object)');
    err = await failsWith(withLibrary('Print JSON Property(1, "price[0]")'), 'property_not_defined');
    expect(err).toContain('(price is a number, not an array)');
  });

  it('rejects a value of the wrong type', async () => {
    let err = await failsWith(withLibrary('Print JSON Property(1, "name")'), 'property_not_defined');
    expect(err).toContain('name (it is a string, not a number)');
    err = await failsWith(withLibrary('Print JSON Property$(1, "books[0].year")'), 'property_not_defined');
    expect(err).toContain('(it is a number, not a string)');
    err = await failsWith(withLibrary('Print JSON Property(1, "nothing")'), 'property_not_defined');
    expect(err).toContain('(it is null, not a number)');
    err = await failsWith(withLibrary('Print JSON Property$(1, "books")'), 'property_not_defined');
    expect(err).toContain('(it is an array, not a string)');
    await failsWith(withLibrary('Print JSON Property$(1, "")'), 'property_not_defined');
  });

  it('indexes a document that is an array with a leading [n]', async () => {
    const doc = lit('[{"name":"coffee","price":1.8},{"name":"tea","price":1.5}]');
    const out = await outputOf(
      [
        'JSON Open 0',
        `JSON Parse 0, ${doc}`,
        'Print JSON Property$(0, "[1].name"); JSON Property(0, "[0].price")',
        'JSON Parse 0, "[[10,20],[30]]"',
        'Print JSON Property(0, "[1][0]")',
        'JSON Parse 0, "42"',
        'Print JSON Property(0, "x", -1)',
      ].join('\n'),
    );
    expect(out).toBe('tea 1.8\n 30\n-1\n');
    const err = await failsWith(
      'JSON Open 0\nJSON Parse 0, "42"\nPrint JSON Property(0, "x")',
      'property_not_defined',
    );
    expect(err).toContain('(the document is a number, not an object)');
  });

  it('never reads properties JSON does not have (prototype names)', async () => {
    const out = await outputOf(
      [
        'JSON Open 1',
        'Print JSON Property$(1, "constructor", "none"); JSON Property(1, "toString", -1)',
        'Print JSON Property(1, "__proto__", -2)',
        'JSON Parse 1, "[1,2]"',
        'Print JSON Property(1, "[0].length", -3); JSON Property(1, "length", -4)',
      ].join('\n'),
    );
    expect(out).toBe('none-1\n-2\n-3-4\n');
  });

  it('rejects malformed paths even with a default', async () => {
    for (const path of ['a[x]', 'a[', 'a]', 'a[-1]', 'a[1]b', 'a..b', '.a', 'a.', 'a.[0]']) {
      const err = await failsWith(
        withLibrary(`Print JSON Property(1, "${path}", 0)`),
        'illegal_function_call',
      );
      expect(err).toContain(`JSON path "${path}"`);
    }
    // Spaces inside an index are tolerated; names are taken as written.
    expect(await outputOf(withLibrary('Print JSON Property(1, "grid[ 0 ][ 1 ]")'))).toBe(' 2\n');
  });

  it('replaces the document on Parse, and keeps it when the text is not JSON', async () => {
    const out = await outputOf(
      [
        'JSON Open 1',
        'JSON Parse 1, "[1]"',
        'JSON Parse 1, "[2,3]"',
        'Print JSON Stringify$(1)',
        'On Error Goto BAD',
        'JSON Parse 1, "{oops"',
        'Print "not reached"',
        'BAD:',
        'Print Errn = ERRNUM',
        'Print Err$',
        'Print JSON Stringify$(1)',
      ]
        .join('\n')
        .replace('ERRNUM', String(errorNumber('json_syntax_error'))),
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe('[2,3]');
    expect(lines[1]).toBe(' 1');
    expect(lines[2]).toMatch(/^Incorrect JSON format: .*JSON/);
    expect(lines[3]).toBe('[2,3]');
  });

  it('stops an untrapped program on invalid JSON with the parser explanation', async () => {
    const err = await failsWith('JSON Open 1\nJSON Parse 1, ""', 'json_syntax_error');
    expect(err).toContain('Unexpected end of JSON input');
    expect(err).not.toContain('Internal error');
    await failsWith('JSON Open 1\nJSON Parse 1, "{a:1}"', 'json_syntax_error');
    await failsWith('JSON Open 1\nJSON Parse 1, "[1,]"', 'json_syntax_error');
  });

  it('accepts and ignores tags$', async () => {
    expect(
      await outputOf('JSON Open 2, "x"\nJSON Parse 2, "[1]", "tags"\nPrint JSON Stringify$(2, "e")'),
    ).toBe('[1]\n');
  });
});

describe('JSON Set Property, Set Property$, Stringify$, New', () => {
  it('builds a document', async () => {
    const out = await outputOf(
      [
        'JSON Open 3',
        'JSON Set Property$ 3, "name", "Café"',
        'JSON Set Property 3, "count", 2',
        'JSON Set Property 3, "ratio", 0.25',
        'JSON Set Property$ 3, "items", "[]"',
        'JSON Set Property$ 3, "items[0]", "{}"',
        'JSON Set Property$ 3, "items[0].what", "tea"',
        'JSON Set Property 3, "items[1]", -7',
        'JSON Set Property$ 3, "items[1]", "replaced"',
        'JSON Set Property$ 3, "quote", Chr$(34) + "hi" + Chr$(34)',
        'Print JSON Stringify$(3)',
        'Print JSON Property$(3, "items[0].what"); JSON Property(3, "count")',
      ].join('\n'),
    );
    expect(out).toBe(
      '{"name":"Café","count":2,"ratio":0.25,"items":[{"what":"tea"},"replaced"],"quote":"\\"hi\\""}\ntea 2\n',
    );
  });

  it('round-trips Stringify$ through Parse', async () => {
    const out = await outputOf(
      withLibrary(
        [
          'JSON Open 2',
          'JSON Parse 2, JSON Stringify$(1)',
          'Print JSON Stringify$(2) = JSON Stringify$(1)',
        ].join('\n'),
      ),
    );
    expect(out).toBe(' 1\n');
    const printed = await outputOf(withLibrary('Print JSON Stringify$(1)'));
    expect(JSON.parse(printed)).toEqual(LIBRARY);
  });

  it('sets elements of a document that is an array', async () => {
    const out = await outputOf(
      [
        'JSON Open 0',
        'JSON Parse 0, "[]"',
        'JSON Set Property 0, "[0]", 5',
        'JSON Set Property$ 0, "[1]", "{}"',
        'JSON Set Property 0, "[1].x", 1',
        'Print JSON Stringify$(0)',
      ].join('\n'),
    );
    expect(out).toBe('[5,{"x":1}]\n');
  });

  it('needs every part of the path before the last to exist', async () => {
    let err = await failsWith('JSON Open 1\nJSON Set Property 1, "a.b", 1', 'property_not_defined');
    expect(err).toContain('a.b (a does not exist)');
    err = await failsWith(
      withLibrary('JSON Set Property 1, "books[0].author.born.year", 1920'),
      'property_not_defined',
    );
    expect(err).toContain('(books[0].author.born does not exist)');
    err = await failsWith(withLibrary('JSON Set Property 1, "name.first", 1'), 'property_not_defined');
    expect(err).toContain('(name is a string, not an object)');
    err = await failsWith(withLibrary('JSON Set Property 1, "books.x", 1'), 'property_not_defined');
    expect(err).toContain('(books is an array, not an object)');
    err = await failsWith(withLibrary('JSON Set Property 1, "books[3]", 1'), 'property_not_defined');
    expect(err).toContain('(books has 2 elements: the next one is [2])');
    err = await failsWith(withLibrary('JSON Set Property 1, "price[0]", 1'), 'property_not_defined');
    expect(err).toContain('(price is a number, not an array)');
    await failsWith('JSON Open 1\nJSON Set Property 1, "", 1', 'property_not_defined');
  });

  it('refuses numbers JSON cannot hold', async () => {
    await failsWith('JSON Open 1\nJSON Set Property 1, "x", 1/0', 'illegal_function_call');
  });

  it('keeps a key named __proto__ as an ordinary property', async () => {
    const out = await outputOf(
      [
        'JSON Open 1',
        'JSON Set Property$ 1, "__proto__", "{}"',
        'JSON Set Property 1, "__proto__.x", 1',
        'Print JSON Stringify$(1)',
        'Print JSON Property(1, "__proto__.x"); JSON Property(1, "x", -1)',
      ].join('\n'),
    );
    expect(out).toBe('{"__proto__":{"x":1}}\n 1-1\n');
  });

  it('JSON New empties the document; JSON Open again starts afresh', async () => {
    const out = await outputOf(
      withLibrary(
        [
          'JSON New 1',
          'Print JSON Stringify$(1)',
          'JSON Set Property 1, "a", 1',
          'JSON Open 1',
          'Print JSON Stringify$(1)',
        ].join('\n'),
      ),
    );
    expect(out).toBe('{}\n{}\n');
  });

  it('a fresh channel holds {}', async () => {
    expect(await outputOf('JSON Open 0\nPrint JSON Stringify$(0)')).toBe('{}\n');
  });
});

describe('channels', () => {
  const uses = [
    'JSON Close 4',
    'JSON New 4',
    'JSON Parse 4, "{}"',
    'JSON Load 4, "x.json"',
    'JSON Save 4, "x.json"',
    'Print JSON Stringify$(4)',
    'Print JSON Property(4, "a")',
    'Print JSON Property$(4, "a", "x")',
    'JSON Set Property 4, "a", 1',
    'JSON Set Property$ 4, "a", "b"',
  ];

  it('every instruction and function needs an open channel', async () => {
    for (const use of uses) {
      const err = await failsWith(`JSON Open 3\n${use}`, 'json_channel_not_defined');
      expect(err).toContain('JSON channel not defined (4)');
    }
  });

  it('a closed channel is no longer defined', async () => {
    for (const use of uses) {
      await failsWith(`JSON Open 4\nJSON Close 4\n${use}`, 'json_channel_not_defined');
    }
  });

  it('channels are independent, and the error is catchable', async () => {
    const out = await outputOf(
      [
        'JSON Open 1 : JSON Open 2',
        'JSON Set Property 1, "a", 1',
        'JSON Set Property 2, "b", 2',
        'Print JSON Stringify$(1); JSON Stringify$(2)',
        'On Error Goto NOPE',
        'Print JSON Stringify$(9)',
        'NOPE:',
        `Print Errn = ${errorNumber('json_channel_not_defined')}; " "; Err$`,
      ].join('\n'),
    );
    expect(out).toBe('{"a":1}{"b":2}\n 1 JSON channel not defined (9)\n');
  });

  it('a channel index is an integer >= 0', async () => {
    await failsWith('JSON Open -1', 'illegal_function_call');
    await failsWith('JSON Open 1.5', 'illegal_function_call');
  });

  it('each run has its own channels', async () => {
    await outputOf('JSON Open 7\nJSON Set Property 7, "a", 1');
    await failsWith('Print JSON Stringify$(7)', 'json_channel_not_defined');
  });
});

describe('JSON Load and JSON Save', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aozrun-json-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a UTF-8 file', async () => {
    const file = join(dir, 'library.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(LIBRARY, null, 2)}\n`, 'utf8');
    const out = await outputOf(
      `JSON Open 1\nJSON Load 1, ${lit(file)}\nPrint JSON Property$(1, "books[1].author.name")`,
    );
    expect(out).toBe('Stanisław Lem\n');
  });

  it('saves the document as compact JSON, which loads back', async () => {
    const file = join(dir, 'built.json');
    const out = await outputOf(
      [
        'JSON Open 1',
        'JSON Set Property$ 1, "title", "Ünïcode ✓"',
        'JSON Set Property$ 1, "list", "[]"',
        'JSON Set Property 1, "list[0]", 3.5',
        `JSON Save 1, ${lit(file)}`,
        'JSON Open 2',
        `JSON Load 2, ${lit(file)}`,
        'Print JSON Property$(2, "title"); JSON Property(2, "list[0]")',
      ].join('\n'),
    );
    expect(out).toBe('Ünïcode ✓ 3.5\n');
    expect(readFileSync(file, 'utf8')).toBe('{"title":"Ünïcode ✓","list":[3.5]}');
  });

  it('replaces an existing file', async () => {
    const file = join(dir, 'replace.json');
    writeFileSync(file, 'old content that is longer than the new one');
    await outputOf(`JSON Open 1\nJSON Parse 1, "[1]"\nJSON Save 1, ${lit(file)}`);
    expect(readFileSync(file, 'utf8')).toBe('[1]');
  });

  it('a missing file is File not found, catchable, and leaves the document as it was', async () => {
    const file = join(dir, 'missing.json');
    const err = await failsWith(`JSON Open 1\nJSON Load 1, ${lit(file)}`, 'file_not_found');
    expect(err).toContain('missing.json');
    const out = await outputOf(
      [
        'JSON Open 1',
        'JSON Parse 1, "[1]"',
        'On Error Goto NOFILE',
        `JSON Load 1, ${lit(file)}`,
        'Print "not reached"',
        'NOFILE:',
        `Print Errn = ${errorNumber('file_not_found')}; " "; JSON Stringify$(1)`,
      ].join('\n'),
    );
    expect(out).toBe(' 1 [1]\n');
  });

  it('a file that is not JSON is json_syntax_error and leaves the document as it was', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"a": 1,,}');
    const err = await failsWith(`JSON Open 1\nJSON Load 1, ${lit(file)}`, 'json_syntax_error');
    expect(err).toContain('at line 2');
    const out = await outputOf(
      [
        'JSON Open 1',
        'JSON Set Property 1, "kept", 1',
        'On Error Goto BAD',
        `JSON Load 1, ${lit(file)}`,
        'BAD:',
        `Print Errn = ${errorNumber('json_syntax_error')}; " "; JSON Stringify$(1)`,
      ].join('\n'),
    );
    expect(out).toBe(' 1 {"kept":1}\n');
  });

  it('loading a folder or saving into a missing folder is an I/O error', async () => {
    let err = await failsWith(`JSON Open 1\nJSON Load 1, ${lit(dir)}`, 'io_error');
    expect(err).toContain('it is a folder');
    err = await failsWith(`JSON Open 1\nJSON Save 1, ${lit(join(dir, 'no', 'such', 'x.json'))}`, 'io_error');
    expect(err).toContain('the folder does not exist');
    err = await failsWith(`JSON Open 1\nJSON Save 1, ${lit(dir)}`, 'io_error');
    expect(err).toContain('it is a folder');
  });

  it('an empty file name is an Illegal function call', async () => {
    await failsWith('JSON Open 1\nJSON Load 1, ""', 'illegal_function_call');
    await failsWith('JSON Open 1\nJSON Save 1, ""', 'illegal_function_call');
  });

  it('reads a relative path from the current folder', async () => {
    const name = `aozrun-json-relative-${process.pid}.json`;
    const file = join(process.cwd(), name);
    writeFileSync(file, '{"ok":true}');
    try {
      expect(await outputOf(`JSON Open 1\nJSON Load 1, "${name}"\nPrint JSON Property(1, "ok")`)).toBe(
        ' 1\n',
      );
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('waits for the file before the next statement, also inside a procedure', async () => {
    const file = join(dir, 'proc.json');
    writeFileSync(file, '{"n":41}');
    const out = await outputOf(
      [
        'JSON Open 1',
        'SHOW',
        'Procedure SHOW',
        `  JSON Load 1, ${lit(file)}`,
        '  Print JSON Property(1, "n") + 1',
        'End Proc',
      ].join('\n'),
    );
    expect(out).toBe(' 42\n');
  });
});

describe('robustness', () => {
  it('a document too deep to write is a BASIC error, not a crash', async () => {
    const err = await failsWith(
      'JSON Open 1\nJSON Parse 1, String$("[", 100000) + String$("]", 100000)\nPrint Len(JSON Stringify$(1))',
      'out_of_stack_space',
    );
    expect(err).toContain('nested too deeply');
    // Reading such a document is fine: paths are followed without recursion.
    expect(
      await outputOf(
        'JSON Open 1\nJSON Parse 1, String$("[", 100000) + String$("]", 100000)\nPrint "parsed"',
      ),
    ).toBe('parsed\n');
  });
});

/**
 * Nests the flat line items into blocks and reports every mismatch with AOZ's messages
 * ("Next without for", "If without endif", ...), then carries on so later errors are reported too.
 */
import { type Diagnostic, type ErrorId, errorMessage } from '../interpreter/errors.js';
import type { Expr, IfBranch, Param, Pos, Procedure, Stmt } from './ast.js';
import type { Flat } from './flat.js';

type Open =
  | {
      kind: 'If';
      pos: Pos;
      branches: { pos: Pos; cond: Expr; body: Stmt[] }[];
      otherwise: Stmt[] | null;
    }
  | (Omit<Extract<Stmt, { kind: 'For' }>, 'body'> & { body: Stmt[] })
  | { kind: 'Repeat'; pos: Pos; body: Stmt[] }
  | { kind: 'While'; pos: Pos; cond: Expr; body: Stmt[] }
  | { kind: 'Do'; pos: Pos; body: Stmt[] }
  | { kind: 'Procedure'; pos: Pos; name: string; params: readonly Param[]; body: Stmt[] };

/** The error for a block left open, at its opening statement. */
const UNCLOSED: Record<Open['kind'], ErrorId> = {
  If: 'if_without_endif',
  For: 'for_without_next',
  Repeat: 'repeat_without_until',
  While: 'while_without_wend',
  Do: 'do_without_loop',
  Procedure: 'procedure_not_closed',
};

export interface Structured {
  readonly main: Stmt[];
  readonly procedures: Procedure[];
  /** Blocks still open where the text ends (the REPL then asks for more lines). */
  readonly openBlocks: number;
}

export function structure(items: readonly Flat[], diagnostics: Diagnostic[]): Structured {
  const procedures: Procedure[] = [];
  const nester = new Nester(diagnostics, procedures);
  const main = nester.run(items);
  return { main, procedures, openBlocks: nester.leftOpen };
}

class Nester {
  private readonly stack: Open[] = [];
  private readonly root: Stmt[] = [];
  leftOpen = 0;

  constructor(
    private readonly diagnostics: Diagnostic[],
    /** Where procedures go; null inside a one-line If, where a Procedure cannot start. */
    private readonly procedures: Procedure[] | null,
  ) {}

  run(items: readonly Flat[]): Stmt[] {
    for (const item of items) this.item(item);
    this.leftOpen = this.stack.length;
    while (this.stack.length > 0) {
      const open = this.stack.pop()!;
      this.error(UNCLOSED[open.kind], open.pos);
    }
    return this.root;
  }

  private error(id: ErrorId, pos: Pos, args: string[] = []): void {
    this.diagnostics.push({ severity: 'error', id, message: errorMessage(id, args), pos });
  }

  private body(): Stmt[] {
    const top = this.stack[this.stack.length - 1];
    if (!top) return this.root;
    if (top.kind === 'If') return top.otherwise ?? top.branches[top.branches.length - 1]!.body;
    return top.body;
  }

  private add(s: Stmt): void {
    this.body().push(s);
  }

  /**
   * Pops up to the innermost open block of `kind` (reporting the blocks left open on the way);
   * reports `stray` and returns null when there is none.
   */
  private close<K extends Open['kind']>(
    kind: K,
    pos: Pos,
    stray: ErrorId,
    accept: (o: Extract<Open, { kind: K }>) => boolean = () => true,
  ): Extract<Open, { kind: K }> | null {
    let k = this.stack.length - 1;
    while (k >= 0 && this.stack[k]!.kind !== 'Procedure') {
      const o = this.stack[k]!;
      if (o.kind === kind && accept(o as Extract<Open, { kind: K }>)) break;
      k--;
    }
    if (k < 0 || this.stack[k]!.kind !== kind) {
      this.error(stray, pos);
      return null;
    }
    while (this.stack.length - 1 > k) {
      const o = this.stack.pop()!;
      this.error(UNCLOSED[o.kind], o.pos);
    }
    return this.stack.pop() as Extract<Open, { kind: K }>;
  }

  private item(f: Flat): void {
    switch (f.kind) {
      case 'stmt':
        this.add(f.stmt);
        return;
      case 'InlineIf': {
        const branch = (items: readonly Flat[]) => new Nester(this.diagnostics, null).run(items);
        const branches: IfBranch[] = [{ pos: f.pos, cond: f.cond, body: branch(f.then) }];
        this.add({
          kind: 'If',
          pos: f.pos,
          branches,
          otherwise: f.otherwise ? branch(f.otherwise) : null,
        });
        return;
      }
      case 'IfStart':
        this.stack.push({
          kind: 'If',
          pos: f.pos,
          branches: [{ pos: f.pos, cond: f.cond, body: [] }],
          otherwise: null,
        });
        return;
      case 'ElseIf': {
        const top = this.stack[this.stack.length - 1];
        if (top?.kind !== 'If' || top.otherwise) {
          this.error('else_without_if', f.pos);
          return;
        }
        top.branches.push({ pos: f.pos, cond: f.cond, body: [] });
        return;
      }
      case 'Else': {
        const top = this.stack[this.stack.length - 1];
        if (top?.kind !== 'If' || top.otherwise) {
          this.error('else_without_if', f.pos);
          return;
        }
        top.otherwise = [];
        return;
      }
      case 'EndIf': {
        const o = this.close('If', f.pos, 'end_if_without_if');
        if (o) this.add({ kind: 'If', pos: o.pos, branches: o.branches, otherwise: o.otherwise });
        return;
      }
      case 'ForStart':
        this.stack.push({ ...f, kind: 'For', body: [] });
        return;
      case 'Next': {
        const wanted = f.variable?.toLowerCase();
        const o = this.close(
          'For',
          f.pos,
          'next_without_for',
          (fo) => wanted === undefined || fo.variable.name.toLowerCase() === wanted,
        );
        if (o) {
          this.add(o);
        }
        return;
      }
      case 'RepeatStart':
        this.stack.push({ kind: 'Repeat', pos: f.pos, body: [] });
        return;
      case 'Until': {
        const o = this.close('Repeat', f.pos, 'until_without_repeat');
        if (o) this.add({ kind: 'Repeat', pos: o.pos, body: o.body, until: f.cond });
        return;
      }
      case 'WhileStart':
        this.stack.push({ kind: 'While', pos: f.pos, cond: f.cond, body: [] });
        return;
      case 'Wend': {
        const o = this.close('While', f.pos, 'wend_without_while');
        if (o) this.add({ kind: 'While', pos: o.pos, cond: o.cond, body: o.body });
        return;
      }
      case 'DoStart':
        this.stack.push({ kind: 'Do', pos: f.pos, body: [] });
        return;
      case 'Loop': {
        const o = this.close('Do', f.pos, 'loop_without_do');
        if (o) this.add({ kind: 'Do', pos: o.pos, body: o.body });
        return;
      }
      case 'ProcStart':
        if (this.procedures === null || this.stack.some((o) => o.kind === 'Procedure')) {
          this.error('procedure_inside_procedure', f.pos);
        } else {
          for (const o of this.stack.splice(0)) this.error(UNCLOSED[o.kind], o.pos);
        }
        this.stack.push({ kind: 'Procedure', pos: f.pos, name: f.name, params: f.params, body: [] });
        return;
      case 'EndProc': {
        const k = this.stack.findIndex((o) => o.kind === 'Procedure');
        if (k < 0) {
          this.error('procedure_not_opened', f.pos);
          return;
        }
        while (this.stack.length - 1 > k) {
          const o = this.stack.pop()!;
          this.error(UNCLOSED[o.kind], o.pos);
        }
        const p = this.stack.pop() as Extract<Open, { kind: 'Procedure' }>;
        this.procedures?.push({
          kind: 'Procedure',
          pos: p.pos,
          name: p.name,
          params: p.params,
          body: p.body,
          result: f.value,
          endPos: f.pos,
        });
        return;
      }
    }
  }
}

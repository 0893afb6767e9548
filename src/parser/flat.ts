/**
 * What the line grammar produces: simple statements, plus markers for the block statements that
 * span lines (If/Else If/Else/End If, For/Next, Repeat/Until, While/Wend, Do/Loop,
 * Procedure/End Proc). `structure.ts` nests them into the AST and reports mismatches, so a
 * syntax error in one line never hides the errors of the next ones.
 */
import type { Expr, Param, Pos, Stmt } from './ast.js';

export type Flat =
  | { readonly kind: 'stmt'; readonly stmt: Stmt }
  | {
      readonly kind: 'InlineIf';
      readonly pos: Pos;
      readonly cond: Expr;
      readonly then: readonly Flat[];
      readonly otherwise: readonly Flat[] | null;
    }
  | { readonly kind: 'IfStart'; readonly pos: Pos; readonly cond: Expr }
  | { readonly kind: 'ElseIf'; readonly pos: Pos; readonly cond: Expr }
  | { readonly kind: 'Else'; readonly pos: Pos }
  | { readonly kind: 'EndIf'; readonly pos: Pos }
  | ({ readonly kind: 'ForStart' } & Omit<Extract<Stmt, { kind: 'For' }>, 'kind' | 'body'>)
  | { readonly kind: 'Next'; readonly pos: Pos; readonly variable: string | null }
  | { readonly kind: 'RepeatStart'; readonly pos: Pos }
  | { readonly kind: 'Until'; readonly pos: Pos; readonly cond: Expr }
  | { readonly kind: 'WhileStart'; readonly pos: Pos; readonly cond: Expr }
  | { readonly kind: 'Wend'; readonly pos: Pos }
  | { readonly kind: 'DoStart'; readonly pos: Pos }
  | { readonly kind: 'Loop'; readonly pos: Pos }
  | {
      readonly kind: 'ProcStart';
      readonly pos: Pos;
      readonly name: string;
      readonly params: readonly Param[];
    }
  | { readonly kind: 'EndProc'; readonly pos: Pos; readonly value: Expr | null };

/**
 * The AST: a tagged union with a source position on every node. A new node kind must be handled by
 * every exhaustive `switch (node.kind)` (see `assertNever`), so the build breaks where it is missing.
 */
import type { SourcePos } from '../interpreter/errors.js';

export type Pos = SourcePos;

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '^'
  | 'Mod'
  | '='
  | '<>'
  | '<'
  | '>'
  | '<='
  | '>='
  | 'And'
  | 'Or'
  | 'Xor'
  | '<<'
  | '>>'
  | '&'
  | '|';

export type UnaryOp = '-' | 'Not';

export type Expr =
  | { readonly kind: 'Number'; readonly pos: Pos; readonly value: number; readonly float: boolean }
  | { readonly kind: 'String'; readonly pos: Pos; readonly value: string }
  | { readonly kind: 'Variable'; readonly pos: Pos; readonly name: string }
  | { readonly kind: 'Element'; readonly pos: Pos; readonly name: string; readonly indexes: readonly Expr[] }
  | { readonly kind: 'Unary'; readonly pos: Pos; readonly op: UnaryOp; readonly operand: Expr }
  | {
      readonly kind: 'Binary';
      readonly pos: Pos;
      readonly op: BinaryOp;
      readonly left: Expr;
      readonly right: Expr;
    }
  | {
      readonly kind: 'FunctionCall';
      readonly pos: Pos;
      readonly name: string;
      readonly args: readonly (Expr | null)[];
    }
  | {
      readonly kind: 'ProcedureCall';
      readonly pos: Pos;
      readonly name: string;
      readonly args: readonly Expr[];
    };

/** Something that can be assigned to. */
export type LValue = Extract<Expr, { kind: 'Variable' } | { kind: 'Element' }>;

// ---------------------------------------------------------------------------------------------
// Statements (after block structuring)

export type JumpTarget =
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'line'; readonly line: number }
  | { readonly kind: 'computed'; readonly expr: Expr };

export interface PrintItem {
  readonly expr: Expr | null;
  /** The separator after the item: `;` adds nothing, `,` a tab (aoz-facts §3.2). */
  readonly sep: ';' | ',' | null;
}

export interface IfBranch {
  readonly pos: Pos;
  readonly cond: Expr;
  readonly body: readonly Stmt[];
}

export interface ArrayDecl {
  readonly pos: Pos;
  readonly name: string;
  readonly dims: readonly Expr[];
}

export type Stmt =
  | { readonly kind: 'Assign'; readonly pos: Pos; readonly target: LValue; readonly value: Expr }
  | { readonly kind: 'Print'; readonly pos: Pos; readonly items: readonly PrintItem[] }
  | {
      readonly kind: 'Input';
      readonly pos: Pos;
      readonly line: boolean;
      readonly prompt: Expr | null;
      readonly targets: readonly LValue[];
      /** A trailing `;` keeps the cursor on the line. */
      readonly newline: boolean;
    }
  | {
      readonly kind: 'Instruction';
      readonly pos: Pos;
      readonly name: string;
      readonly args: readonly (Expr | null)[];
    }
  | { readonly kind: 'Call'; readonly pos: Pos; readonly name: string; readonly args: readonly Expr[] }
  | { readonly kind: 'Label'; readonly pos: Pos; readonly name: string }
  | { readonly kind: 'Goto'; readonly pos: Pos; readonly target: JumpTarget }
  | { readonly kind: 'Gosub'; readonly pos: Pos; readonly target: JumpTarget }
  | { readonly kind: 'Return'; readonly pos: Pos }
  | { readonly kind: 'Pop'; readonly pos: Pos }
  | {
      readonly kind: 'If';
      readonly pos: Pos;
      readonly branches: readonly IfBranch[];
      readonly otherwise: readonly Stmt[] | null;
    }
  | {
      readonly kind: 'For';
      readonly pos: Pos;
      readonly variable: Extract<Expr, { kind: 'Variable' }>;
      readonly from: Expr;
      readonly to: Expr;
      readonly step: Expr | null;
      readonly body: readonly Stmt[];
    }
  | { readonly kind: 'Repeat'; readonly pos: Pos; readonly body: readonly Stmt[]; readonly until: Expr }
  | { readonly kind: 'While'; readonly pos: Pos; readonly cond: Expr; readonly body: readonly Stmt[] }
  | { readonly kind: 'Do'; readonly pos: Pos; readonly body: readonly Stmt[] }
  | { readonly kind: 'Exit'; readonly pos: Pos; readonly levels: number }
  | { readonly kind: 'ExitIf'; readonly pos: Pos; readonly cond: Expr; readonly levels: number }
  | { readonly kind: 'End'; readonly pos: Pos }
  | { readonly kind: 'PopProc'; readonly pos: Pos; readonly value: Expr | null }
  | { readonly kind: 'Dim'; readonly pos: Pos; readonly arrays: readonly ArrayDecl[] }
  | { readonly kind: 'Global'; readonly pos: Pos; readonly names: readonly string[] }
  | { readonly kind: 'Shared'; readonly pos: Pos; readonly names: readonly string[] };

export interface Param {
  readonly pos: Pos;
  readonly name: string;
}

export interface Procedure {
  readonly kind: 'Procedure';
  readonly pos: Pos;
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  /** `End Proc[expr]` */
  readonly result: Expr | null;
  readonly endPos: Pos;
}

export interface Program {
  readonly kind: 'Program';
  readonly main: readonly Stmt[];
  readonly procedures: readonly Procedure[];
}

export function assertNever(x: never): never {
  throw new Error(`unhandled AST node: ${JSON.stringify(x)}`);
}

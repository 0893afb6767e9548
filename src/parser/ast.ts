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
    }
  /** `Fn NAME(args)`: a function defined by Def Fn. */
  | { readonly kind: 'FnCall'; readonly pos: Pos; readonly name: string; readonly args: readonly Expr[] }
  /** Param, Param#, Param$: the value of the last procedure called (aoz-facts §5.3). */
  | { readonly kind: 'Param'; readonly pos: Pos; readonly type: 'number' | 'string' }
  /** Errn, ErrTrap, Err$ [(n)]: the state of error handling (aoz-facts §6.10). */
  | {
      readonly kind: 'ErrorInfo';
      readonly pos: Pos;
      readonly what: 'Errn' | 'ErrTrap' | 'Err$';
      readonly code: Expr | null;
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
  /** `Global A, B$, C()` and `Global "pattern*"` (a string: wildcard names, aoz-facts §5.5). */
  | { readonly kind: 'Global'; readonly pos: Pos; readonly names: readonly string[] }
  | { readonly kind: 'Shared'; readonly pos: Pos; readonly names: readonly string[] }
  | {
      readonly kind: 'PrintUsing';
      readonly pos: Pos;
      readonly format: Expr;
      readonly items: readonly Expr[];
      /** What ends the list: `;` stays on the line, `,` tabs, nothing goes to a new line. */
      readonly end: ';' | ',' | null;
    }
  /**
   * `Timer = 5`, `Mid$(A$, 4) = "x"`: an instruction of the tables given the value as its last
   * argument (the in-place string forms and pseudo-variables).
   */
  | {
      readonly kind: 'SetBuiltin';
      readonly pos: Pos;
      readonly name: string;
      readonly args: readonly (Expr | null)[];
      readonly value: Expr;
    }
  /** `Proc "NAME"`: a procedure named by a string, found at run time. */
  | { readonly kind: 'ProcByName'; readonly pos: Pos; readonly name: Expr }
  /** `On expr Goto/Gosub/Proc t0, t1...`: 0-based in AOZ mode (aoz-facts §6.7). */
  | {
      readonly kind: 'On';
      readonly pos: Pos;
      readonly selector: Expr;
      readonly action: 'Goto' | 'Gosub' | 'Proc';
      readonly targets: readonly string[];
    }
  /** `On Error Goto L`, `On Error Proc P`; `On Error` / `On Error Goto 0` switch it off. */
  | {
      readonly kind: 'OnError';
      readonly pos: Pos;
      readonly handler: { readonly kind: 'Goto' | 'Proc'; readonly name: string } | null;
    }
  | { readonly kind: 'OnBreak'; readonly pos: Pos; readonly proc: string }
  | {
      readonly kind: 'Resume';
      readonly pos: Pos;
      readonly mode: 'retry' | 'next' | 'label';
      readonly label: string | null;
    }
  | { readonly kind: 'RaiseError'; readonly pos: Pos; readonly code: Expr }
  | { readonly kind: 'Trap'; readonly pos: Pos; readonly body: Stmt }
  | {
      readonly kind: 'Every';
      readonly pos: Pos;
      readonly interval: Expr;
      readonly action: 'Proc' | 'Gosub';
      readonly target: string;
    }
  | { readonly kind: 'EverySwitch'; readonly pos: Pos; readonly on: boolean }
  | { readonly kind: 'BreakSwitch'; readonly pos: Pos; readonly on: boolean }
  | { readonly kind: 'Stop'; readonly pos: Pos }
  | { readonly kind: 'Data'; readonly pos: Pos; readonly items: readonly Expr[] }
  | { readonly kind: 'Read'; readonly pos: Pos; readonly targets: readonly LValue[] }
  | { readonly kind: 'Restore'; readonly pos: Pos; readonly target: JumpTarget | null }
  | {
      readonly kind: 'DefFn';
      readonly pos: Pos;
      readonly name: string;
      readonly params: readonly Param[];
      readonly body: Expr;
    };

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

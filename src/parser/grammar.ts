/**
 * The line grammar (Chevrotain, embedded actions): one physical line of tokens -> Flat items.
 * Only structural statements have rules here; every instruction of the runtime tables goes through
 * the generic `BuiltinName args` form (DESIGN §3).
 */
import {
  EmbeddedActionsParser,
  EOF,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
  tokenMatcher,
} from 'chevrotain';
import type { BuiltinPayload, NamePayload, NumberPayload, StringPayload } from '../lexer/lexer.js';
import * as T from '../lexer/tokens.js';
import type { ArrayDecl, BinaryOp, Expr, JumpTarget, LValue, Param, Pos, PrintItem, Stmt } from './ast.js';
import type { Flat } from './flat.js';

const LABELS = new Map<TokenType, string>([
  [T.StatementEnd, 'end of statement'],
  [T.Newline, 'end of line'],
  [T.Colon, "':'"],
  [T.NumberLit, 'a number'],
  [T.StringLit, 'a string'],
  [T.Identifier, 'a name'],
  [T.BuiltinName, 'an instruction'],
  [T.LParen, "'('"],
  [T.RParen, "')'"],
  [T.LBracket, "'['"],
  [T.RBracket, "']'"],
  [T.Comma, "','"],
  [T.Semicolon, "';'"],
  [T.Equals, "'='"],
  [T.To, "'To'"],
  [T.Then, "'Then'"],
  [EOF, 'end of line'],
]);

function describeToken(tok: IToken): string {
  if (tok.tokenType === EOF) return 'the end of the line';
  return `'${tok.image}'`;
}

function label(t: TokenType): string {
  return LABELS.get(t) ?? `'${t.name}'`;
}

const RULE_DESCRIPTIONS: Record<string, string> = {
  statement: 'a statement',
  primary: 'an expression',
  unaryExpr: 'an expression',
  lvalue: 'a variable',
  jumpTarget: 'a label, a line number or an expression',
  argumentList: "',' or the end of the arguments",
};

/** Readable messages instead of Chevrotain's raw token lists (STYLE: custom message provider). */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (expected === EOF) return `unexpected ${describeToken(actual)} after the statement`;
    return `expected ${label(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const tok = actual[0];
    const what = RULE_DESCRIPTIONS[ruleName] ?? ruleName;
    return tok ? `expected ${what} but found ${describeToken(tok)}` : `expected ${what}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const tok = actual[0];
    const what = RULE_DESCRIPTIONS[ruleName] ?? ruleName;
    return tok ? `expected ${what} but found ${describeToken(tok)}` : `expected ${what}`;
  },
};

function pos(tok: IToken): Pos {
  return { line: tok.startLine ?? 0, column: tok.startColumn ?? 0 };
}

// Payload readers tolerate the payload-less tokens of Chevrotain's grammar-recording phase.
function nameOf(tok: IToken): string {
  return (tok.payload as NamePayload | undefined)?.name ?? '';
}
function numberOf(tok: IToken): number {
  return (tok.payload as NumberPayload | undefined)?.value ?? 0;
}
function builtinNameOf(tok: IToken): string {
  return (tok.payload as BuiltinPayload | undefined)?.name ?? '';
}

function isEndToken(tok: IToken): boolean {
  return tok.tokenType === EOF || tokenMatcher(tok, T.StatementEnd) || tokenMatcher(tok, T.Else);
}

const BINARY_OPS = new Map<TokenType, BinaryOp>([
  [T.Plus, '+'],
  [T.Minus, '-'],
  [T.Star, '*'],
  [T.Slash, '/'],
  [T.Caret, '^'],
  [T.Mod, 'Mod'],
  [T.Equals, '='],
  [T.NotEqual, '<>'],
  [T.Less, '<'],
  [T.Greater, '>'],
  [T.LessEq, '<='],
  [T.GreaterEq, '>='],
  [T.And, 'And'],
  [T.Or, 'Or'],
  [T.Xor, 'Xor'],
  [T.ShiftLeft, '<<'],
  [T.ShiftRight, '>>'],
  [T.Ampersand, '&'],
  [T.Pipe, '|'],
]);

function binary(op: IToken, left: Expr, right: Expr): Expr {
  return { kind: 'Binary', pos: left.pos, op: BINARY_OPS.get(op.tokenType)!, left, right };
}

class LineParser extends EmbeddedActionsParser {
  /**
   * `validate`: run Chevrotain's grammar validations (ambiguities, left recursion...), ~35 ms of
   * start-up. Off at run time; test/startup/grammar.test.ts runs them, so skipping them is safe.
   */
  constructor(options: { validate?: boolean } = {}) {
    super(T.allTokenTypes, {
      recoveryEnabled: false,
      maxLookahead: 3,
      errorMessageProvider: messages,
      skipValidations: options.validate !== true,
    });
    this.performSelfAnalysis();
  }

  /** A whole line: an optional label, statements separated by `:`, then the end of the line. */
  line = this.RULE('line', () => {
    const items: Flat[] = [];
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            const t = this.CONSUME(T.Label);
            this.ACTION(() =>
              items.push({ kind: 'stmt', stmt: { kind: 'Label', pos: pos(t), name: nameOf(t) } }),
            );
          },
        },
        {
          ALT: () => {
            const t = this.CONSUME(T.LineNumber);
            this.ACTION(() =>
              items.push({
                kind: 'stmt',
                stmt: { kind: 'Label', pos: pos(t), name: String(numberOf(t)) },
              }),
            );
          },
        },
      ]);
    });
    this.SUBRULE(this.statementList, { ARGS: [items, false] });
    this.CONSUME(EOF);
    return items;
  });

  /** Statements separated by `:`; in the Then part of a one-line If, `Else` ends the list. */
  private statementList = this.RULE('statementList', (items: Flat[], inThen: boolean) => {
    this.OPTION(() => this.SUBRULE(this.statement, { ARGS: [items, inThen] }));
    this.MANY(() => {
      this.CONSUME(T.Colon);
      this.OPTION2(() => this.SUBRULE2(this.statement, { ARGS: [items, inThen] }));
    });
  });

  private statement = this.RULE('statement', (items: Flat[], inThen: boolean) => {
    const push = (f: Flat) => this.ACTION(() => items.push(f));
    const stmt = (s: Stmt) => push({ kind: 'stmt', stmt: s });
    this.OR([
      { ALT: () => stmt(this.SUBRULE(this.printStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.inputStatement)) },
      { ALT: () => push(this.SUBRULE(this.ifStatement)) },
      {
        GATE: () => !inThen,
        ALT: () => {
          const t = this.CONSUME(T.ElseIf);
          const cond = this.SUBRULE(this.expression);
          push({ kind: 'ElseIf', pos: pos(t), cond });
        },
      },
      {
        GATE: () => !inThen,
        ALT: () => {
          const t = this.CONSUME(T.Else);
          push({ kind: 'Else', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.EndIf);
          push({ kind: 'EndIf', pos: pos(t) });
        },
      },
      { ALT: () => push(this.SUBRULE(this.forStatement)) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Next);
          const v = this.OPTION3(() => this.CONSUME(T.Identifier));
          push({ kind: 'Next', pos: pos(t), variable: v ? nameOf(v) : null });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Repeat);
          push({ kind: 'RepeatStart', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Until);
          const cond = this.SUBRULE2(this.expression);
          push({ kind: 'Until', pos: pos(t), cond });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.While);
          const cond = this.SUBRULE3(this.expression);
          push({ kind: 'WhileStart', pos: pos(t), cond });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Wend);
          push({ kind: 'Wend', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Do);
          push({ kind: 'DoStart', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Loop);
          push({ kind: 'Loop', pos: pos(t) });
        },
      },
      { ALT: () => stmt(this.SUBRULE(this.exitStatement)) },
      { ALT: () => push(this.SUBRULE(this.procedureStart)) },
      {
        ALT: () => {
          const t = this.CONSUME(T.EndProc);
          const value = this.SUBRULE(this.optionalBracketValue);
          push({ kind: 'EndProc', pos: pos(t), value });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.PopProc);
          const value = this.SUBRULE2(this.optionalBracketValue);
          stmt({ kind: 'PopProc', pos: pos(t), value });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Goto);
          const target = this.SUBRULE(this.jumpTarget);
          stmt({ kind: 'Goto', pos: pos(t), target });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Gosub);
          const target = this.SUBRULE2(this.jumpTarget);
          stmt({ kind: 'Gosub', pos: pos(t), target });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Return);
          stmt({ kind: 'Return', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Pop);
          stmt({ kind: 'Pop', pos: pos(t) });
        },
      },
      {
        ALT: () => {
          const t = this.OR2([
            { ALT: () => this.CONSUME(T.End) },
            { ALT: () => this.CONSUME(T.Direct) },
            { ALT: () => this.CONSUME(T.Edit) },
          ]);
          stmt({ kind: 'End', pos: pos(t) });
        },
      },
      { ALT: () => stmt(this.SUBRULE(this.dimStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.scopeStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.instructionStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.printUsingStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.procStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.onStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.errorStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.everyStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.dataStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.defFnStatement)) },
      { ALT: () => stmt(this.SUBRULE(this.nameStatement)) },
    ]);
  });

  private printStatement = this.RULE('printStatement', (): Stmt => {
    const t = this.CONSUME(T.Print);
    const parts: (Expr | ';' | ',')[] = [];
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Semicolon);
            this.ACTION(() => parts.push(';'));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Comma);
            this.ACTION(() => parts.push(','));
          },
        },
        {
          ALT: () => {
            const e = this.SUBRULE(this.expression);
            this.ACTION(() => parts.push(e));
          },
        },
      ]);
    });
    return this.ACTION(() => {
      const items: PrintItem[] = [];
      for (const p of parts) {
        if (p === ';' || p === ',') {
          const last = items[items.length - 1];
          if (last && last.sep === null) items[items.length - 1] = { expr: last.expr, sep: p };
          else items.push({ expr: null, sep: p });
        } else {
          items.push({ expr: p, sep: null });
        }
      }
      return { kind: 'Print', pos: pos(t), items } as Stmt;
    });
  });

  /** `Input ["prompt";] var [, var...] [;]`: a prompt is a first expression followed by `;` (aoz-facts §4.1). */
  private inputStatement = this.RULE('inputStatement', (): Stmt => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.Input) }, { ALT: () => this.CONSUME(T.LineInput) }]);
    let prompt: Expr | null = null;
    const targets: LValue[] = [];
    let newline = true;
    const first = this.SUBRULE(this.expression);
    this.OR2([
      {
        GATE: () => tokenMatcher(this.LA(1), T.Semicolon) && !isEndToken(this.LA(2)),
        ALT: () => {
          this.CONSUME(T.Semicolon);
          prompt = first;
          const target = this.SUBRULE(this.lvalue);
          this.ACTION(() => targets.push(target));
        },
      },
      { ALT: () => this.ACTION(() => targets.push(this.asLValue(first))) },
    ]);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      const target = this.SUBRULE2(this.lvalue);
      this.ACTION(() => targets.push(target));
    });
    this.OPTION(() => {
      this.CONSUME2(T.Semicolon);
      newline = false;
    });
    return { kind: 'Input', pos: pos(t), line: t.tokenType === T.LineInput, prompt, targets, newline };
  });

  /** Problems the grammar itself cannot express (a non-variable read by Input), collected by the driver. */
  readonly semanticErrors: { message: string; pos: Pos }[] = [];

  private asLValue(e: Expr): LValue {
    if (e.kind === 'Variable' || e.kind === 'Element') return e;
    this.semanticErrors.push({ message: 'Input reads into variables: expected a variable', pos: e.pos });
    return { kind: 'Variable', pos: e.pos, name: '_' };
  }

  private ifStatement = this.RULE('ifStatement', (): Flat => {
    const t = this.CONSUME(T.If);
    const cond = this.SUBRULE(this.expression);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Then);
          const then = this.SUBRULE(this.inlineBranch);
          let otherwise: Flat[] | null = null;
          this.OPTION(() => {
            this.CONSUME(T.Else);
            otherwise = this.SUBRULE2(this.inlineBranch);
          });
          return { kind: 'InlineIf', pos: pos(t), cond, then, otherwise } as Flat;
        },
      },
      // Without Then the If opens a block, also when statements follow on the line (aoz-facts §6.2).
      { ALT: () => ({ kind: 'IfStart', pos: pos(t), cond }) as Flat },
    ]);
  });

  /** After Then/Else: a line number (Goto) or statements up to Else / the end of the line. */
  private inlineBranch = this.RULE('inlineBranch', (): Flat[] => {
    const items: Flat[] = [];
    this.OR([
      {
        GATE: () => tokenMatcher(this.LA(1), T.NumberLit) && isEndToken(this.LA(2)),
        ALT: () => {
          const n = this.CONSUME(T.NumberLit);
          this.ACTION(() =>
            items.push({
              kind: 'stmt',
              stmt: {
                kind: 'Goto',
                pos: pos(n),
                target: { kind: 'line', line: numberOf(n) },
              },
            }),
          );
        },
      },
      { ALT: () => this.SUBRULE(this.statementList, { ARGS: [items, true] }) },
    ]);
    return items;
  });

  private forStatement = this.RULE('forStatement', (): Flat => {
    const t = this.CONSUME(T.For);
    const v = this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    const from = this.SUBRULE(this.expression);
    this.CONSUME(T.To);
    const to = this.SUBRULE2(this.expression);
    const step = this.OPTION(() => {
      this.CONSUME(T.Step);
      return this.SUBRULE3(this.expression);
    });
    return this.ACTION(() => ({
      kind: 'ForStart' as const,
      pos: pos(t),
      variable: { kind: 'Variable' as const, pos: pos(v), name: nameOf(v) },
      from,
      to,
      step: step ?? null,
    }));
  });

  private exitStatement = this.RULE('exitStatement', (): Stmt => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Exit);
          const n = this.OPTION(() => this.CONSUME(T.NumberLit));
          return this.ACTION(() => ({ kind: 'Exit', pos: pos(t), levels: n ? numberOf(n) : 1 }) as Stmt);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.ExitIf);
          const cond = this.SUBRULE(this.expression);
          const n = this.OPTION2(() => {
            this.CONSUME(T.Comma);
            return this.CONSUME2(T.NumberLit);
          });
          return this.ACTION(
            () =>
              ({
                kind: 'ExitIf',
                pos: pos(t),
                cond,
                levels: n ? numberOf(n) : 1,
              }) as Stmt,
          );
        },
      },
    ]);
  });

  private procedureStart = this.RULE('procedureStart', (): Flat => {
    const t = this.CONSUME(T.Procedure);
    const name = this.CONSUME(T.Identifier);
    const params: Param[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => {
          const p = this.CONSUME2(T.Identifier);
          this.ACTION(() => params.push({ pos: pos(p), name: nameOf(p) }));
        },
      });
      this.CONSUME(T.RBracket);
    });
    return this.ACTION(() => ({ kind: 'ProcStart' as const, pos: pos(t), name: nameOf(name), params }));
  });

  private optionalBracketValue = this.RULE('optionalBracketValue', (): Expr | null => {
    let value: Expr | null = null;
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      value = this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
    return value;
  });

  /**
   * A label, a line number, or an expression giving either (aoz-facts §6.6): parsed as an
   * expression, then a bare name is a label and a bare number a line number.
   */
  private jumpTarget = this.RULE('jumpTarget', (): JumpTarget => {
    const e = this.SUBRULE(this.expression);
    return this.ACTION((): JumpTarget => {
      if (e.kind === 'Variable' && !/[$#]$/.test(e.name)) return { kind: 'label', name: e.name };
      if (e.kind === 'Number' && !e.float) return { kind: 'line', line: e.value };
      return { kind: 'computed', expr: e };
    });
  });

  private dimStatement = this.RULE('dimStatement', (): Stmt => {
    const t = this.CONSUME(T.Dim);
    const arrays: ArrayDecl[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const id = this.CONSUME(T.Identifier);
        this.CONSUME(T.LParen);
        const dims = this.SUBRULE(this.expressionList);
        this.CONSUME(T.RParen);
        this.ACTION(() => arrays.push({ pos: pos(id), name: nameOf(id), dims }));
      },
    });
    return { kind: 'Dim', pos: pos(t), arrays };
  });

  private scopeStatement = this.RULE('scopeStatement', (): Stmt => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.Global) }, { ALT: () => this.CONSUME(T.Shared) }]);
    const names: string[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        this.OR2([
          {
            ALT: () => {
              const id = this.CONSUME(T.Identifier);
              let name = '';
              this.ACTION(() => {
                name = nameOf(id);
              });
              this.OPTION(() => {
                this.CONSUME(T.LParen);
                this.CONSUME(T.RParen);
                name += '()';
              });
              this.ACTION(() => names.push(name));
            },
          },
          {
            // `Global "A*"`: every main-program name matching the pattern (aoz-facts §5.5).
            ALT: () => {
              const str = this.CONSUME(T.StringLit);
              this.ACTION(() => names.push(`"${(str.payload as StringPayload).value}`));
            },
          },
        ]);
      },
    });
    return { kind: t.tokenType === T.Global ? 'Global' : 'Shared', pos: pos(t), names };
  });

  /** `Name [arg] [, [arg]]...`: every instruction of the tables; arguments may be left empty. */
  private instructionStatement = this.RULE('instructionStatement', (): Stmt => {
    const t = this.CONSUME(T.BuiltinName);
    return this.OR([
      {
        // `Mid$(A$, 4) = "x"`: the value goes to the instruction as its last argument. The driver
        // marks the bracket of this form (AssignParen), which LL(k) lookahead cannot tell apart
        // from an argument in brackets.
        ALT: () => {
          this.CONSUME(T.AssignParen);
          const args = this.SUBRULE(this.argumentList, { ARGS: [false] });
          this.CONSUME(T.RParen);
          this.CONSUME(T.Equals);
          const value = this.SUBRULE(this.expression);
          return this.ACTION(
            () => ({ kind: 'SetBuiltin', pos: pos(t), name: builtinNameOf(t), args, value }) as Stmt,
          );
        },
      },
      {
        // `Timer = 5`
        ALT: () => {
          this.CONSUME2(T.Equals);
          const value = this.SUBRULE2(this.expression);
          return this.ACTION(
            () => ({ kind: 'SetBuiltin', pos: pos(t), name: builtinNameOf(t), args: [], value }) as Stmt,
          );
        },
      },
      {
        ALT: () => {
          const args = this.SUBRULE2(this.argumentList, { ARGS: [true] });
          return this.ACTION(
            () => ({ kind: 'Instruction', pos: pos(t), name: builtinNameOf(t), args }) as Stmt,
          );
        },
      },
    ]);
  });

  /** `Print Using format$; items` (aoz-facts §3.7). */
  private printUsingStatement = this.RULE('printUsingStatement', (): Stmt => {
    const t = this.CONSUME(T.PrintUsing);
    const format = this.SUBRULE(this.expression);
    this.CONSUME(T.Semicolon);
    const items: Expr[] = [];
    let end: ';' | ',' | null = null;
    this.MANY(() => {
      const e = this.SUBRULE2(this.expression);
      this.ACTION(() => {
        items.push(e);
        end = null;
      });
      this.OPTION(() => {
        const sep = this.OR([
          { ALT: () => this.CONSUME2(T.Semicolon) },
          { ALT: () => this.CONSUME(T.Comma) },
        ]);
        this.ACTION(() => {
          end = sep.tokenType === T.Comma ? ',' : ';';
        });
      });
    });
    return { kind: 'PrintUsing', pos: pos(t), format, items, end };
  });

  /**
   * `Proc NAME`, `Proc NAME[args]`, or `Proc "NAME"` (a name computed at run time, aoz-facts §5.4).
   * Parsed as an expression, then told apart: an alternative per form would be ambiguous for
   * Chevrotain's lookahead (a name starts both).
   */
  private procStatement = this.RULE('procStatement', (): Stmt => {
    const t = this.CONSUME(T.Proc);
    const e = this.SUBRULE(this.expression);
    return this.ACTION((): Stmt => {
      if (e.kind === 'Variable' && !/[$#]$/.test(e.name))
        return { kind: 'Call', pos: pos(t), name: e.name, args: [] };
      if (e.kind === 'ProcedureCall') return { kind: 'Call', pos: pos(t), name: e.name, args: e.args };
      return { kind: 'ProcByName', pos: pos(t), name: e };
    });
  });

  /** A label, a line number or a procedure name in On ... Goto/Gosub/Proc and Every. */
  private targetName = this.RULE('targetName', (): string => {
    return this.OR([
      { ALT: () => nameOf(this.CONSUME(T.Identifier)) },
      { ALT: () => String(numberOf(this.CONSUME(T.NumberLit))) },
    ]);
  });

  private onStatement = this.RULE('onStatement', (): Stmt => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.On);
          const selector = this.SUBRULE(this.expression);
          const action = this.OR2([
            { ALT: () => this.CONSUME(T.Goto) },
            { ALT: () => this.CONSUME(T.Gosub) },
            { ALT: () => this.CONSUME(T.Proc) },
          ]);
          const targets: string[] = [];
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              const n = this.SUBRULE(this.targetName);
              this.ACTION(() => targets.push(n));
            },
          });
          return this.ACTION(
            () =>
              ({
                kind: 'On',
                pos: pos(t),
                selector,
                action:
                  action.tokenType === T.Goto ? 'Goto' : action.tokenType === T.Gosub ? 'Gosub' : 'Proc',
                targets,
              }) as Stmt,
          );
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.OnError);
          let handler: { kind: 'Goto' | 'Proc'; name: string } | null = null;
          this.OPTION(() => {
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME2(T.Goto);
                  const n = this.SUBRULE2(this.targetName);
                  // `On Error Goto 0` switches the trap off, as documented.
                  this.ACTION(() => {
                    handler = n === '0' ? null : { kind: 'Goto', name: n };
                  });
                },
              },
              {
                ALT: () => {
                  this.CONSUME2(T.Proc);
                  const id = this.CONSUME(T.Identifier);
                  this.ACTION(() => {
                    handler = { kind: 'Proc', name: nameOf(id) };
                  });
                },
              },
            ]);
          });
          return { kind: 'OnError', pos: pos(t), handler } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.OnBreakProc);
          const id = this.CONSUME2(T.Identifier);
          return this.ACTION(() => ({ kind: 'OnBreak', pos: pos(t), proc: nameOf(id) }) as Stmt);
        },
      },
    ]);
  });

  /** Resume [label], Resume Next, Error n, Trap statement, Stop, Break On/Off. */
  private errorStatement = this.RULE('errorStatement', (): Stmt => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Resume);
          const label = this.OPTION(() => this.SUBRULE(this.targetName)) ?? null;
          return { kind: 'Resume', pos: pos(t), mode: label === null ? 'retry' : 'label', label } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.ResumeNext);
          return { kind: 'Resume', pos: pos(t), mode: 'next', label: null } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.ErrorKw);
          const code = this.SUBRULE(this.expression);
          return { kind: 'RaiseError', pos: pos(t), code } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Trap);
          const items: Flat[] = [];
          this.SUBRULE(this.statement, { ARGS: [items, true] });
          return this.ACTION(() => {
            const only = items.length === 1 ? items[0] : undefined;
            if (only?.kind !== 'stmt') {
              this.semanticErrors.push({ message: 'Trap takes one simple statement', pos: pos(t) });
              return { kind: 'Stop', pos: pos(t) } as Stmt;
            }
            return { kind: 'Trap', pos: pos(t), body: only.stmt } as Stmt;
          });
        },
      },
      { ALT: () => ({ kind: 'Stop', pos: pos(this.CONSUME(T.Stop)) }) as Stmt },
      { ALT: () => ({ kind: 'BreakSwitch', pos: pos(this.CONSUME(T.BreakOn)), on: true }) as Stmt },
      { ALT: () => ({ kind: 'BreakSwitch', pos: pos(this.CONSUME(T.BreakOff)), on: false }) as Stmt },
    ]);
  });

  /** `Every n Proc NAME` / `Every n Gosub LABEL`, `Every On`, `Every Off` (aoz-facts §6.9). */
  private everyStatement = this.RULE('everyStatement', (): Stmt => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Every);
          const interval = this.SUBRULE(this.expression);
          const action = this.OR2([
            { ALT: () => this.CONSUME(T.Proc) },
            { ALT: () => this.CONSUME(T.Gosub) },
          ]);
          const target = this.SUBRULE(this.targetName);
          return this.ACTION(
            () =>
              ({
                kind: 'Every',
                pos: pos(t),
                interval,
                action: action.tokenType === T.Proc ? 'Proc' : 'Gosub',
                target,
              }) as Stmt,
          );
        },
      },
      { ALT: () => ({ kind: 'EverySwitch', pos: pos(this.CONSUME(T.EveryOn)), on: true }) as Stmt },
      { ALT: () => ({ kind: 'EverySwitch', pos: pos(this.CONSUME(T.EveryOff)), on: false }) as Stmt },
    ]);
  });

  /** Data items, Read variables, Restore [label] (aoz-facts §7.1–7.2). */
  private dataStatement = this.RULE('dataStatement', (): Stmt => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Data);
          const items = this.SUBRULE(this.expressionList);
          return { kind: 'Data', pos: pos(t), items } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Read);
          const targets: LValue[] = [];
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              const v = this.SUBRULE(this.lvalue);
              this.ACTION(() => targets.push(v));
            },
          });
          return { kind: 'Read', pos: pos(t), targets } as Stmt;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Restore);
          const target = this.OPTION(() => this.SUBRULE(this.jumpTarget)) ?? null;
          return { kind: 'Restore', pos: pos(t), target } as Stmt;
        },
      },
    ]);
  });

  /** `Def Fn NAME(a, b) = expression`. */
  private defFnStatement = this.RULE('defFnStatement', (): Stmt => {
    const t = this.CONSUME(T.DefFn);
    const id = this.CONSUME(T.Identifier);
    const params: Param[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => {
          const p = this.CONSUME2(T.Identifier);
          this.ACTION(() => params.push({ pos: pos(p), name: nameOf(p) }));
        },
      });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Equals);
    const body = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'DefFn', pos: pos(t), name: nameOf(id), params, body }) as Stmt);
  });

  /** Arguments, any of which may be empty: `Locate ,5`. No argument at all gives an empty list. */
  private argumentList = this.RULE('argumentList', (allowTo: boolean): (Expr | null)[] => {
    const args: (Expr | null)[] = [];
    const first = this.OPTION(() => this.SUBRULE(this.expression));
    this.ACTION(() => args.push(first ?? null));
    this.MANY(() => {
      // In an instruction, `To` separates arguments like a comma: `Add V, 1, 0 To 9` (aoz-facts
      // §7.5). Not in function calls: `Rnd(a To b)` means something else than `Rnd(a, b)`.
      this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { GATE: () => allowTo, ALT: () => this.CONSUME(T.To) }]);
      const e = this.OPTION2(() => this.SUBRULE2(this.expression));
      this.ACTION(() => args.push(e ?? null));
    });
    return this.ACTION(() => (args.length === 1 && args[0] === null ? [] : args));
  });

  /** A statement starting with a name: assignment, element assignment or a procedure call. */
  private nameStatement = this.RULE('nameStatement', (): Stmt => {
    const id = this.CONSUME(T.Identifier);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          const value = this.SUBRULE(this.expression);
          return this.ACTION(
            () =>
              ({
                kind: 'Assign',
                pos: pos(id),
                target: { kind: 'Variable', pos: pos(id), name: nameOf(id) },
                value,
              }) as Stmt,
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const indexes = this.SUBRULE(this.expressionList);
          this.CONSUME(T.RParen);
          this.CONSUME2(T.Equals);
          const value = this.SUBRULE2(this.expression);
          return this.ACTION(
            () =>
              ({
                kind: 'Assign',
                pos: pos(id),
                target: { kind: 'Element', pos: pos(id), name: nameOf(id), indexes },
                value,
              }) as Stmt,
          );
        },
      },
      {
        ALT: () => {
          const args = this.SUBRULE(this.bracketArguments);
          return this.ACTION(() => ({ kind: 'Call', pos: pos(id), name: nameOf(id), args }) as Stmt);
        },
      },
      { ALT: () => this.ACTION(() => ({ kind: 'Call', pos: pos(id), name: nameOf(id), args: [] }) as Stmt) },
    ]);
  });

  /** `[a, b]`: procedure arguments are always in square brackets (aoz-facts §5.2). */
  private bracketArguments = this.RULE('bracketArguments', (): Expr[] => {
    this.CONSUME(T.LBracket);
    const args: Expr[] = [];
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => {
        const e = this.SUBRULE(this.expression);
        this.ACTION(() => args.push(e));
      },
    });
    this.CONSUME(T.RBracket);
    return args;
  });

  private lvalue = this.RULE('lvalue', (): LValue => {
    const id = this.CONSUME(T.Identifier);
    const indexes = this.OPTION(() => {
      this.CONSUME(T.LParen);
      const list = this.SUBRULE(this.expressionList);
      this.CONSUME(T.RParen);
      return list;
    });
    return this.ACTION(() =>
      indexes
        ? { kind: 'Element', pos: pos(id), name: nameOf(id), indexes }
        : { kind: 'Variable', pos: pos(id), name: nameOf(id) },
    );
  });

  private expressionList = this.RULE('expressionList', (): Expr[] => {
    const list: Expr[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const e = this.SUBRULE(this.expression);
        this.ACTION(() => list.push(e));
      },
    });
    return list;
  });

  // -- expressions: AOZ precedence, loosest first (aoz-facts §2.6): And < Or < Xor < = <> <
  // < > <= >= < + - < * / Mod < ^ < << >> < unary. `Or` binds tighter than `And`.

  expression = this.RULE('expression', (): Expr => this.SUBRULE(this.andExpr));

  private leftAssoc(operand: () => Expr, more: () => Expr, ops: TokenType[]): Expr {
    let left = operand();
    this.MANY(() => {
      const op = this.OR(ops.map((t) => ({ ALT: () => this.CONSUME(t) })));
      const right = more();
      this.ACTION(() => {
        left = binary(op, left, right);
      });
    });
    return left;
  }

  private andExpr = this.RULE('andExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.orExpr),
      () => this.SUBRULE2(this.orExpr),
      [T.And, T.Ampersand],
    ),
  );
  private orExpr = this.RULE('orExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.xorExpr),
      () => this.SUBRULE2(this.xorExpr),
      [T.Or, T.Pipe],
    ),
  );
  private xorExpr = this.RULE('xorExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.eqExpr),
      () => this.SUBRULE2(this.eqExpr),
      [T.Xor],
    ),
  );
  private eqExpr = this.RULE('eqExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.relExpr),
      () => this.SUBRULE2(this.relExpr),
      [T.EqOp],
    ),
  );
  private relExpr = this.RULE('relExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.addExpr),
      () => this.SUBRULE2(this.addExpr),
      [T.RelOp],
    ),
  );
  private addExpr = this.RULE('addExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.mulExpr),
      () => this.SUBRULE2(this.mulExpr),
      [T.Plus, T.Minus],
    ),
  );
  private mulExpr = this.RULE('mulExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.powExpr),
      () => this.SUBRULE2(this.powExpr),
      [T.Star, T.Slash, T.Mod],
    ),
  );
  private powExpr = this.RULE('powExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.shiftExpr),
      () => this.SUBRULE2(this.shiftExpr),
      [T.Caret],
    ),
  );
  private shiftExpr = this.RULE('shiftExpr', () =>
    this.leftAssoc(
      () => this.SUBRULE(this.unaryExpr),
      () => this.SUBRULE2(this.unaryExpr),
      [T.ShiftLeft, T.ShiftRight],
    ),
  );

  /** Unary minus and Not apply to the single operand that follows: `-2^2` is 4 (aoz-facts §2.5, §2.8). */
  private unaryExpr = this.RULE('unaryExpr', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unaryExpr);
          return this.ACTION(() => negate(pos(t), operand));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Plus);
          return this.SUBRULE2(this.unaryExpr);
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Not);
          const operand = this.SUBRULE3(this.unaryExpr);
          return this.ACTION(() => ({ kind: 'Unary', pos: pos(t), op: 'Not', operand }) as Expr);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  private primary = this.RULE('primary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLit);
          return this.ACTION(() => {
            const p = t.payload as NumberPayload;
            return { kind: 'Number', pos: pos(t), value: p.value, float: p.float } as Expr;
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLit);
          return this.ACTION(
            () => ({ kind: 'String', pos: pos(t), value: (t.payload as StringPayload).value }) as Expr,
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const e = this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
          return e;
        },
      },
      { ALT: () => this.SUBRULE(this.nameExpr) },
      { ALT: () => this.SUBRULE(this.functionCall) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Fn);
          const id = this.CONSUME(T.Identifier);
          let args: Expr[] = [];
          this.OPTION(() => {
            this.CONSUME2(T.LParen);
            args = this.SUBRULE(this.expressionList);
            this.CONSUME2(T.RParen);
          });
          return this.ACTION(() => ({ kind: 'FnCall', pos: pos(t), name: nameOf(id), args }) as Expr);
        },
      },
      { ALT: () => ({ kind: 'Param', pos: pos(this.CONSUME(T.Param)), type: 'number' }) as Expr },
      { ALT: () => ({ kind: 'Param', pos: pos(this.CONSUME(T.ParamFloat)), type: 'number' }) as Expr },
      { ALT: () => ({ kind: 'Param', pos: pos(this.CONSUME(T.ParamStr)), type: 'string' }) as Expr },
      {
        ALT: () => ({ kind: 'ErrorInfo', pos: pos(this.CONSUME(T.Errn)), what: 'Errn', code: null }) as Expr,
      },
      {
        ALT: () =>
          ({ kind: 'ErrorInfo', pos: pos(this.CONSUME(T.ErrTrap)), what: 'ErrTrap', code: null }) as Expr,
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.ErrStr);
          const code = this.OPTION3(() => {
            this.CONSUME3(T.LParen);
            const c = this.SUBRULE3(this.expression);
            this.CONSUME3(T.RParen);
            return c;
          });
          return { kind: 'ErrorInfo', pos: pos(t), what: 'Err$', code: code ?? null } as Expr;
        },
      },
    ]);
  });

  private nameExpr = this.RULE('nameExpr', (): Expr => {
    const id = this.CONSUME(T.Identifier);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          // `A()` names a whole array (Sort A(), Global A()).
          const indexes = this.OPTION(() => this.SUBRULE(this.expressionList)) ?? [];
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: 'Element', pos: pos(id), name: nameOf(id), indexes }) as Expr);
        },
      },
      {
        ALT: () => {
          const args = this.SUBRULE(this.bracketArguments);
          return this.ACTION(() => ({ kind: 'ProcedureCall', pos: pos(id), name: nameOf(id), args }) as Expr);
        },
      },
      { ALT: () => this.ACTION(() => ({ kind: 'Variable', pos: pos(id), name: nameOf(id) }) as Expr) },
    ]);
  });

  /** A function of the tables; parentheses only when it takes parameters (`Inkey$`, `Timer` take none). */
  private functionCall = this.RULE('functionCall', (): Expr => {
    const t = this.CONSUME(T.BuiltinName);
    let args: (Expr | null)[] = [];
    this.OPTION({
      GATE: () => {
        const p = t.payload as BuiltinPayload | undefined;
        return (p?.function ?? p?.instruction)?.params.length !== 0;
      },
      DEF: () => {
        this.CONSUME(T.LParen);
        args = this.SUBRULE(this.argumentList, { ARGS: [false] });
        this.CONSUME(T.RParen);
      },
    });
    return this.ACTION(() => ({
      kind: 'FunctionCall',
      pos: pos(t),
      name: builtinNameOf(t),
      args,
    }));
  });
}

/** A minus in front of a literal becomes part of it (aoz-facts §1.4). */
function negate(p: Pos, operand: Expr): Expr {
  if (operand.kind === 'Number') return { ...operand, pos: p, value: -operand.value };
  return { kind: 'Unary', pos: p, op: '-', operand };
}

let instance: LineParser | undefined;

/** One parser instance per process (building it records the grammar). */
export function lineParser(): LineParser {
  instance ??= new LineParser();
  return instance;
}

export { LineParser };

/**
 * The structural statements for the reference (DESIGN §3): the grammar knows them, so they have no
 * entry in the runtime's instruction tables. Documentation only: nothing here is executed.
 * Behaviour notes follow aoz-facts.md (§3 Print, §4 input, §5 procedures, §6 control flow, §7 data).
 */

export interface StatementDoc {
  /** As AOZ writes it: "Else If", "Pop Proc". */
  readonly name: string;
  /** Default: statement. */
  readonly kind?: 'statement' | 'operator';
  /** The forms, one line each, or the lines of a block (`...` stands for its body); '' separates forms. */
  readonly syntax: readonly string[];
  /** One line of meaning. */
  readonly doc: string;
  /** Other spellings `aozrun --doc` accepts ("On Goto" for On). */
  readonly aliases?: readonly string[];
  /** The AOZ documentation folder when it is not the group's. */
  readonly aozFolder?: string;
  /**
   * The AOZ page's file name without `.aozdoc` when the naming rule does not give it, or null when
   * AOZ has no page for this statement.
   */
  readonly aozDoc?: string | null;
}

export interface StatementGroup {
  readonly title: string;
  /** The AOZ documentation folder (languages/v1_0/<folder>) of most of the group's statements. */
  readonly aozFolder: string;
  readonly entries: readonly StatementDoc[];
}

export const statementGroups: readonly StatementGroup[] = [
  {
    title: 'Statements: printing and input',
    aozFolder: 'textwindows',
    entries: [
      {
        name: 'Print',
        syntax: ['Print [item [; item | , item]...] [; | ,]'],
        doc: 'Show numbers and strings at the text cursor: ";" joins items, "," moves to the next tab stop (every 4 columns), a final ";" or "," keeps the cursor on the line.',
      },
      {
        name: 'Print Using',
        syntax: ['Print Using format$; item [; item]... [; | ,]'],
        doc: 'Print items laid out by a format string: "#" is a digit, "." the decimal point, "+" or "-" the sign, "~" one character of a string; other characters are copied.',
      },
      {
        name: 'Input',
        aozFolder: 'keyboard_and_mouse',
        syntax: ['Input ["prompt";] var [, var]... [;]'],
        doc: 'Read a line typed at the keyboard into one or more variables (several values are separated by commas); without a prompt, "? " is shown.',
      },
      {
        name: 'Line Input',
        aozFolder: 'keyboard_and_mouse',
        syntax: ['Line Input ["prompt";] var$ [, var$]... [;]'],
        doc: 'Read whole typed lines, commas included, into string variables, one line per variable.',
      },
    ],
  },
  {
    title: 'Statements: control flow',
    aozFolder: 'structure',
    entries: [
      {
        name: 'If',
        syntax: [
          'If condition Then statements [Else statements]',
          '',
          'If condition',
          '  ...',
          '[Else If condition',
          '  ...]',
          '[Else',
          '  ...]',
          'End If',
        ],
        doc: 'Run statements only when a condition is true (not zero): on one line with Then, or as a block closed by End If.',
      },
      {
        name: 'Then',
        aozDoc: null,
        syntax: ['If condition Then statements [Else statements]'],
        doc: 'Starts the true branch of a one-line If, which ends with the line; a line number after Then jumps to that line.',
      },
      {
        name: 'Else',
        syntax: ['If condition Then statements Else statements', 'Else'],
        doc: 'Starts the part of an If that runs when none of the conditions before it was true.',
      },
      {
        name: 'Else If',
        syntax: ['Else If condition'],
        doc: 'Inside a block If: test one more condition when all those before were false.',
      },
      {
        name: 'End If',
        aozDoc: null,
        syntax: ['End If'],
        doc: 'Closes a block If.',
      },
      {
        name: 'For',
        aliases: ['To', 'Step'],
        syntax: ['For var = first To last [Step increment]', '  ...', 'Next [var]'],
        doc: 'Repeat a block with a counter going from first to last by increment (default 1); the block always runs at least once.',
      },
      {
        name: 'Next',
        syntax: ['Next [var]'],
        doc: 'Ends a For loop: adds the increment to the counter and goes round again until the counter passes the last value.',
      },
      {
        name: 'Repeat',
        syntax: ['Repeat', '  ...', 'Until condition'],
        doc: 'Repeat a block until the condition tested at its end becomes true; the block runs at least once.',
      },
      {
        name: 'Until',
        syntax: ['Until condition'],
        doc: 'Ends a Repeat loop, which stops once the condition is true.',
      },
      {
        name: 'While',
        syntax: ['While condition', '  ...', 'Wend'],
        doc: 'Repeat a block as long as the condition, tested before each round, stays true.',
      },
      {
        name: 'Wend',
        syntax: ['Wend'],
        doc: 'Ends a While loop and goes back to its test.',
      },
      {
        name: 'Do',
        syntax: ['Do', '  ...', 'Loop'],
        doc: 'Repeat a block for ever; leave it with Exit, Exit If, Goto, Pop Proc or End.',
      },
      {
        name: 'Loop',
        syntax: ['Loop'],
        doc: 'Ends a Do loop and goes back to its Do.',
      },
      {
        name: 'Exit',
        syntax: ['Exit [levels]'],
        doc: 'Leave the innermost loop at once, or as many nested loops as levels says (For, Repeat, While and Do count, If does not).',
      },
      {
        name: 'Exit If',
        syntax: ['Exit If condition [, levels]'],
        doc: 'Leave the innermost loop (or that many nested loops) when the condition is true.',
      },
      {
        name: 'Goto',
        syntax: ['Goto label', 'Goto line-number', 'Goto expression'],
        doc: 'Continue at a label or line number of the same procedure, or of the main program when outside any procedure.',
      },
      {
        name: 'Gosub',
        syntax: ['Gosub label'],
        doc: 'Run the subroutine at a label; its Return comes back to the statement after the Gosub.',
      },
      {
        name: 'Return',
        syntax: ['Return'],
        doc: 'Go back from a subroutine to the statement that follows its Gosub.',
      },
      {
        name: 'Pop',
        syntax: ['Pop'],
        doc: 'Drop the return address of the latest Gosub, so the subroutine can be left with Goto.',
      },
      {
        name: 'On',
        aliases: ['On Goto', 'On Gosub', 'On Proc'],
        syntax: [
          'On selector Goto label0, label1, ...',
          'On selector Gosub label0, label1, ...',
          'On selector Proc name0, name1, ...',
        ],
        doc: 'Jump to, call, or run the target that selector picks (0 picks the first one in AOZ mode); a value with no target goes on with the next statement.',
      },
      {
        name: 'End',
        syntax: ['End'],
        doc: 'Stop the program at once, even from inside a procedure.',
      },
      {
        name: 'Stop',
        syntax: ['Stop'],
        doc: 'Interrupt the program at this statement.',
      },
      {
        name: 'Edit',
        syntax: ['Edit'],
        doc: 'End the program (in AMOS it went back to the editor).',
      },
      {
        name: 'Direct',
        syntax: ['Direct'],
        doc: 'End the program (in AMOS it went to direct mode).',
      },
      {
        name: 'Rem',
        aliases: ["'", '//', '/*'],
        syntax: ['Rem text', "' text", '// text', '/* text */'],
        doc: 'A comment: the rest of the line is ignored; /* ... */ may span several lines.',
      },
    ],
  },
  {
    title: 'Statements: procedures',
    aozFolder: 'structure',
    entries: [
      {
        name: 'Procedure',
        syntax: ['Procedure NAME[param, ...]', '  ...', 'End Proc[value]'],
        doc: 'Define a procedure with its own local variables; a $ or # at the end of its name sets the type of the value it gives back.',
      },
      {
        name: 'End Proc',
        syntax: ['End Proc', 'End Proc[value]'],
        doc: 'Closes a procedure; the value in brackets goes back to the caller (the value of the call, or Param/Param$).',
      },
      {
        name: 'Pop Proc',
        syntax: ['Pop Proc', 'Pop Proc[value]'],
        doc: 'Leave the running procedure at once, with an optional value for the caller.',
      },
      {
        name: 'Proc',
        syntax: ['Proc NAME[arg, ...]', 'Proc "NAME"', 'NAME[arg, ...]'],
        doc: 'Call a procedure; the keyword may be left out, and the name may be given as a string.',
      },
      {
        name: 'Param',
        aliases: ['Param#', 'Param$'],
        aozDoc: null,
        syntax: ['=Param', '=Param#', '=Param$'],
        doc: 'The value that the last procedure called gave back with End Proc[value] or Pop Proc[value].',
      },
      {
        name: 'Global',
        aozFolder: 'variables',
        syntax: ['Global var [, var$] [, array()]...'],
        doc: 'In the main program: make these variables and arrays visible inside every procedure.',
      },
      {
        name: 'Shared',
        aozFolder: 'variables',
        syntax: ['Shared var [, var$] [, array()]...'],
        doc: 'Inside a procedure: use these variables and arrays of the main program instead of local ones.',
      },
      {
        name: 'Def Fn',
        syntax: ['Def Fn NAME(param, ...) = expression'],
        doc: 'Define a one-line function of its parameters, called with Fn.',
      },
      {
        name: 'Fn',
        syntax: ['=Fn NAME(arg, ...)'],
        doc: 'The value of a function defined with Def Fn, for these arguments.',
      },
    ],
  },
  {
    title: 'Statements: arrays and data',
    aozFolder: 'variables',
    entries: [
      {
        name: 'Dim',
        syntax: ['Dim array(size [, size]...) [, array(size)]...'],
        doc: 'Create arrays; each index runs from 0 to its size included, so Dim A(10) has 11 elements.',
      },
      {
        name: 'Data',
        syntax: ['Data value [, value]...'],
        doc: 'Values to be taken by Read, in the order of the source; each procedure has its own list.',
      },
      {
        name: 'Read',
        syntax: ['Read var [, var]...'],
        doc: 'Put the next Data values into variables; reading past the last one is an "Out of data" error.',
      },
      {
        name: 'Restore',
        syntax: ['Restore', 'Restore label'],
        doc: 'Make the next Read start again from the first Data, or from the first Data after the label.',
      },
    ],
  },
  {
    title: 'Statements: errors and events',
    aozFolder: 'structure',
    entries: [
      {
        name: 'On Error',
        aliases: ['On Error Goto', 'On Error Proc'],
        aozDoc: 'on_error_goto',
        syntax: ['On Error Goto label', 'On Error Proc name'],
        doc: 'Catch the runtime errors that follow: go to the label or run the procedure instead of stopping.',
      },
      {
        name: 'Resume',
        aliases: ['Resume Next'],
        syntax: ['Resume', 'Resume Next', 'Resume label'],
        doc: 'Leave an error handler: try the failed statement again, go on after it (Next), or continue at a label.',
      },
      {
        name: 'Errn',
        syntax: ['=Errn'],
        doc: 'The number of the last error caught by On Error.',
      },
      {
        name: 'Err$',
        syntax: ['=Err$(number)', '=Err$'],
        doc: 'The message of the error with this number; without a number, the message of the last error caught.',
      },
      {
        name: 'Error',
        aozDoc: null,
        syntax: ['Error number'],
        doc: 'Raise the runtime error with this number here, as if it had happened (Error 20: "Division by zero").',
      },
      {
        name: 'Trap',
        aozDoc: null,
        syntax: ['Trap statement'],
        doc: 'Run one statement and, if it fails, go on instead of stopping; ErrTrap then tells the error number.',
      },
      {
        name: 'ErrTrap',
        syntax: ['=ErrTrap'],
        doc: 'The number of the error caught by the last Trap, or 0 when it ran without error.',
      },
      {
        name: 'Every',
        syntax: ['Every seconds Proc name', 'Every seconds Gosub label'],
        doc: 'Call a procedure or a subroutine each time this many seconds have passed; each call switches the timer off until Every On.',
      },
      {
        name: 'Every On',
        syntax: ['Every On'],
        doc: 'Switch the Every timer on again, usually at the end of the procedure it calls.',
      },
      {
        name: 'Every Off',
        syntax: ['Every Off'],
        doc: 'Stop the calls of Every.',
      },
      {
        name: 'Break On',
        syntax: ['Break On'],
        doc: 'Let Ctrl-C interrupt the program (the default).',
      },
      {
        name: 'Break Off',
        syntax: ['Break Off'],
        doc: 'Make the program ignore Ctrl-C.',
      },
      {
        name: 'On Break Proc',
        syntax: ['On Break Proc name'],
        doc: 'Run this procedure when Ctrl-C is pressed, instead of stopping the program.',
      },
    ],
  },
  {
    title: 'Operators',
    aozFolder: 'maths',
    entries: [
      {
        name: 'Mod',
        kind: 'operator',
        syntax: ['a Mod b'],
        doc: 'The remainder of a divided by b, with the sign of a; it works on fractions too.',
      },
      {
        name: 'Not',
        kind: 'operator',
        syntax: ['Not a'],
        doc: 'Logical not: 1 (True) when a is 0, otherwise 0.',
      },
      {
        name: 'And',
        kind: 'operator',
        aozDoc: null,
        syntax: ['a And b'],
        doc: 'Bitwise and between two numbers; logical and in the conditions of If, Else If, While, Until and Exit If.',
      },
      {
        name: 'Or',
        kind: 'operator',
        aozDoc: null,
        syntax: ['a Or b'],
        doc: 'Bitwise or between two numbers, logical or in conditions; it binds tighter than And.',
      },
      {
        name: 'Xor',
        kind: 'operator',
        aozDoc: null,
        syntax: ['a Xor b'],
        doc: 'Bitwise exclusive or between two numbers.',
      },
    ],
  },
];

/** Appends operations to a section's code array, with forward jump targets (Marks) patched later. */
import type { SourcePos } from './errors.js';
import { type JsOp, jsJump, type Op } from './program.js';

/** A jump target; operations read `pc` when they run, so it may be placed after they are built. */
export class Mark {
  pc = -1;
}

export class Emitter {
  readonly code: Op[] = [];
  readonly js: (JsOp | undefined)[] = [];
  readonly positions: SourcePos[] = [];
  private readonly starts: number[] = [];
  pos: SourcePos = { line: 0, column: 0 };

  /** The next operation begins a statement: events may be dispatched before it (DESIGN §5). */
  startStatement(pos: SourcePos): void {
    this.pos = pos;
    this.starts.push(this.code.length);
  }

  emit(op: Op, pos: SourcePos = this.pos, js?: JsOp): void {
    this.code.push(op);
    this.js.push(js);
    this.positions.push(pos);
  }

  here(): number {
    return this.code.length;
  }

  place(mark: Mark): void {
    mark.pc = this.code.length;
  }

  jump(mark: Mark): void {
    this.emit(
      (m) => {
        m.frame.pc = mark.pc;
      },
      this.pos,
      () => jsJump(mark.pc),
    );
  }

  statementStarts(): Uint8Array {
    const flags = new Uint8Array(this.code.length + 1);
    for (const pc of this.starts) flags[pc] = 1;
    return flags;
  }
}
